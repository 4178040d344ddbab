// Fused LSTM forward and backward-through-time for one layer and one batch, in WebAssembly SIMD.
//
// Why: tfjs-layers unrolls an LSTM in JavaScript and launches ~216 kernels per time step; here a
// whole batch is one call forward and one call backward, and the only sequential work is the
// recurrent matMul of each step. Weight layout and gate order are tf.layers.lstm's (kernel
// [in, 4u], recurrentKernel [u, 4u], bias [4u], gates i, f, c, o), so the tfjs layer wrapper can
// hand its variables over as they are.
//
// Built with Debian clang/lld, no libc (scripts/build-wasm.sh). Memory is one linear heap with a
// bump allocator; the TypeScript wrapper (lstmKernel.ts) lays out every buffer in it and passes a
// LstmCall whose field order it mirrors.
//
// The matrix products, activations and vector helpers are in kernel_math.h, and what a call does
// outside the cell (input projection, outputs, input-side gradients) in kernel_layer.h, both
// shared with the fused GRU (gru_kernel.c); this file also holds what the module has once:
// memset/memcpy, the heap, the activation constants and the fused Adam step.

#include "kernel_layer.h"

// clang lowers zeroing and copying loops to memset/memcpy calls; without libc we supply them
// (no_builtin stops clang from turning these very loops back into calls to themselves).
__attribute__((no_builtin("memset"))) void *memset(void *dst, int value, size_t n) {
  unsigned char *d = dst;
  for (size_t k = 0; k < n; k++) d[k] = (unsigned char)value;
  return dst;
}

__attribute__((no_builtin("memcpy"))) void *memcpy(void *dst, const void *src, size_t n) {
  unsigned char *d = dst;
  const unsigned char *s = src;
  for (size_t k = 0; k < n; k++) d[k] = s[k];
  return dst;
}

// ---------------------------------------------------------------------------------------------
// Heap: bump allocation only. Each layer keeps one workspace for its lifetime and reuses it, so
// nothing is ever freed; the worker that trains is ended after a run, which returns the memory.

extern unsigned char __heap_base;
static size_t heap_top;

__attribute__((export_name("lstm_alloc"))) void *lstm_alloc(size_t bytes) {
  if (heap_top == 0) heap_top = (size_t)&__heap_base;
  size_t start = (heap_top + 15u) & ~(size_t)15u;
  size_t end = start + bytes;
  size_t have = __builtin_wasm_memory_size(0) * 65536u;
  if (end > have) {
    size_t pages = (end - have + 65535u) / 65536u;
    if (__builtin_wasm_memory_grow(0, pages) == (size_t)-1) return 0;
  }
  heap_top = end;
  return (void *)start;
}

// ---------------------------------------------------------------------------------------------
// Arguments of one layer call. lstmKernel.ts writes this struct field by field: keep the order.
// The flags (RETURN_SEQUENCES ...) are in kernel_math.h.

typedef struct {
  int batch, steps, inputs, units, flags;
  // forward inputs: x [B, T, D], kernel [D, 4U], recurrent [U, 4U], bias [4U], h0 and c0 [B, U]
  float *x, *kernel, *recurrent, *bias, *h0, *c0;
  float *y;
  // saved for backward, time-major: hs and cs [(T+1), B, U] with the initial state at slot 0,
  // gates [T, B, 4U] (activated i, f, c, o; overwritten by their gradients in backward),
  // tanh_c [T, B, U], proj0 [B, 4U] (the input projection when every step has the same input)
  float *hs, *cs, *gates, *tanh_c, *proj0;
  // backward: dy like y; outputs dx [B, T, D], dkernel, drecurrent, dbias, dh0, dc0
  float *dy, *dx, *dkernel, *drecurrent, *dbias, *dh0, *dc0;
  // backward scratch: dh, dc [B, U], dgate_sum [B, 4U]
  float *dh, *dc, *dgate_sum;
  // set by forward: 1 when x[b, t] == x[b, 0] for every t (a repeated latent vector)
  int repeated;
} LstmCall;

_Static_assert(sizeof(LstmCall) == 28 * 4, "LstmCall layout is mirrored in lstmKernel.ts");

// ---------------------------------------------------------------------------------------------
// The activation constants (why they are a table: kernel_math.h).

__attribute__((visibility("hidden"))) float activation_constants[ACTIVATION_CONSTANTS] = {
  // 88 keeps 2^n finite; below -87 the result would be denormal and is flushed by the clamp.
  [C_EXP_MIN] = -87.0f, [C_EXP_MAX] = 88.0f, [C_LOG2E] = 1.44269504088896341f,
  // 1.5 * 2^23 + 127: adding it rounds to the nearest integer n and leaves n + 127, the biased
  // exponent of 2^n, in the low mantissa bits (so no floor and no float-to-int conversion).
  [C_ROUND] = 12583039.0f,
  [C_LN2_HI] = 0.693359375f, [C_LN2_LO] = -2.12194440e-4f,
  [C_P5] = 1.9875691500e-4f, [C_P4] = 1.3981999507e-3f, [C_P3] = 8.3334519073e-3f,
  [C_P2] = 4.1665795894e-2f, [C_P1] = 1.6666665459e-1f, [C_P0] = 5.0000001201e-1f,
  [C_ONE] = 1.0f, [C_TWO] = 2.0f, [C_HARD_SLOPE] = 0.2f, [C_HALF] = 0.5f, [C_ZERO] = 0.0f,
};

// ---------------------------------------------------------------------------------------------
// The LSTM cell's element-wise step work (the shared part of the explanation: kernel_math.h).

// One row's gates [i, f, c, o] (U each) from pre-activations to activations.
static void activate_gates(float *gates, int U, int hard) {
  // i and f are adjacent: one run of 2U.
  if (hard) {
    activate_run(gates, 2 * U, ACT_HARD_SIGMOID);
    activate_run(gates + 3 * U, U, ACT_HARD_SIGMOID);
  } else {
    activate_run(gates, 2 * U, ACT_SIGMOID);
    activate_run(gates + 3 * U, U, ACT_SIGMOID);
  }
  activate_run(gates + 2 * U, U, ACT_TANH);
}

typedef struct {
  const float *gates;   // [4U] activations
  const float *c_prev;  // [U]
  float *c, *tanh_c, *h;
} CellRow;

static inline void state_lanes(const float *i, const float *f, const float *g, const float *o, const float *c_prev,
                               float *c, float *tc, float *h) {
  v128_t vc = ADD(MUL(LD(f), LD(c_prev)), MUL(LD(i), LD(g)));
  v128_t vt = v_tanh(vc);
  ST(c, vc), ST(tc, vt), ST(h, MUL(LD(o), vt));
}

// c = f * c_prev + i * g, h = o * tanh(c), from activated gates.
static void cell_state_row(int U, CellRow r) {
  const float *i = r.gates, *f = i + U, *g = f + U, *o = g + U;
  int u = 0;
  for (; u + 4 <= U; u += 4) state_lanes(i + u, f + u, g + u, o + u, r.c_prev + u, r.c + u, r.tanh_c + u, r.h + u);
  if (u < U) {
    float t[8][4] = {{0}};
    int n = U - u;
    for (int k = 0; k < n; k++) t[0][k] = i[u + k], t[1][k] = f[u + k], t[2][k] = g[u + k], t[3][k] = o[u + k], t[4][k] = r.c_prev[u + k];
    state_lanes(t[0], t[1], t[2], t[3], t[4], t[5], t[6], t[7]);
    for (int k = 0; k < n; k++) r.c[u + k] = t[5][k], r.tanh_c[u + k] = t[6][k], r.h[u + k] = t[7][k];
  }
}

// Gate gradients for 4 units: in: activations (i, f, g, o), dh, dc (carried from step s+1);
// out: pre-activation gradients written over the activations, dc for step s-1.
static inline void cell_grad_lanes(float *i, float *f, float *g, float *o, const float *tc, const float *c_prev,
                                   const float *dh, float *dc, int hard) {
  v128_t vi = LD(i), vf = LD(f), vg = LD(g), vo = LD(o), vt = LD(tc), vdh = LD(dh);
  v128_t one = K(C_ONE);
  v128_t dct = ADD(LD(dc), MUL(MUL(vdh, vo), wasm_f32x4_sub(one, MUL(vt, vt))));
  ST(o, MUL(MUL(vdh, vt), v_recurrent_grad(vo, hard)));
  ST(i, MUL(MUL(dct, vg), v_recurrent_grad(vi, hard)));
  ST(f, MUL(MUL(dct, LD(c_prev)), v_recurrent_grad(vf, hard)));
  ST(g, MUL(MUL(dct, vi), wasm_f32x4_sub(one, MUL(vg, vg))));
  ST(dc, MUL(dct, vf));
}

static void cell_backward_row(int U, float *gates, const float *tc, const float *c_prev, const float *dh, float *dc,
                              int hard) {
  float *i = gates, *f = i + U, *g = f + U, *o = g + U;
  int u = 0;
  for (; u + 4 <= U; u += 4) cell_grad_lanes(i + u, f + u, g + u, o + u, tc + u, c_prev + u, dh + u, dc + u, hard);
  if (u < U) {
    float t[8][4] = {{0}};
    int n = U - u;
    for (int k = 0; k < n; k++)
      t[0][k] = i[u + k], t[1][k] = f[u + k], t[2][k] = g[u + k], t[3][k] = o[u + k], t[4][k] = tc[u + k],
      t[5][k] = c_prev[u + k], t[6][k] = dh[u + k], t[7][k] = dc[u + k];
    cell_grad_lanes(t[0], t[1], t[2], t[3], t[4], t[5], t[6], t[7], hard);
    for (int k = 0; k < n; k++) i[u + k] = t[0][k], f[u + k] = t[1][k], g[u + k] = t[2][k], o[u + k] = t[3][k], dc[u + k] = t[7][k];
  }
}

// ---------------------------------------------------------------------------------------------

__attribute__((export_name("lstm_forward"))) void lstm_forward(LstmCall *p) {
  const int B = p->batch, T = p->steps, D = p->inputs, U = p->units, G = 4 * U;
  const int hard = (p->flags & HARD_SIGMOID) != 0;
  const int zero_state = (p->flags & ZERO_INITIAL_STATE) != 0;
  p->repeated = T > 1 && repeats_first_step(p->x, B, T, D);

  project_inputs(B, T, D, G, p->flags, p->repeated, p->x, p->kernel, p->bias, p->gates, p->proj0);

  copy_floats(p->hs, p->h0, B * U);
  copy_floats(p->cs, p->c0, B * U);
  for (int s = 0; s < T; s++) {
    float *zs = p->gates + s * B * G;
    const float *h_prev = p->hs + s * B * U;
    if (p->repeated) copy_floats(zs, p->proj0, B * G);
    if (s > 0 || !zero_state) matmul_nn(B, G, U, h_prev, U, 1, p->recurrent, G, zs, G, 1);
    for (int b = 0; b < B; b++) {
      CellRow row = {zs + b * G, p->cs + (s * B + b) * U, p->cs + ((s + 1) * B + b) * U, p->tanh_c + (s * B + b) * U,
                     p->hs + ((s + 1) * B + b) * U};
      activate_gates(zs + b * G, U, hard);
      cell_state_row(U, row);
    }
  }

  write_outputs(B, T, U, p->flags, p->hs, p->y);
}

__attribute__((export_name("lstm_backward"))) void lstm_backward(LstmCall *p) {
  const int B = p->batch, T = p->steps, D = p->inputs, U = p->units, G = 4 * U;
  const int hard = (p->flags & HARD_SIGMOID) != 0;
  const int zero_state = (p->flags & ZERO_INITIAL_STATE) != 0;

  zero_floats(p->dh, B * U);
  zero_floats(p->dc, B * U);
  for (int s = T - 1; s >= 0; s--) {
    float *zs = p->gates + s * B * G;
    add_output_gradient(B, T, U, p->flags, s, p->dy, p->dh);
    for (int b = 0; b < B; b++)
      cell_backward_row(U, zs + b * G, p->tanh_c + (s * B + b) * U, p->cs + (s * B + b) * U, p->dh + b * U,
                        p->dc + b * U, hard);
    // dh for step s-1 through the recurrent kernel: dgates [B, 4U] times recurrent [U, 4U]^T.
    if (s > 0 || !zero_state) matmul_nt(B, U, G, zs, G, p->recurrent, G, p->dh, U);
    else zero_floats(p->dh, B * U);
  }
  copy_floats(p->dh0, p->dh, B * U);
  copy_floats(p->dc0, p->dc, B * U);

  // Weight gradients as single products over all steps: gates now hold dgates [T*B, 4U]; with a
  // zero initial state, step 0 (h0 = 0) adds nothing to the recurrent weights' gradient.
  const int first = zero_state ? 1 : 0;
  if (T > first) matmul_nn(U, G, (T - first) * B, p->hs + first * B * U, 1, U, p->gates + first * B * G, G, p->drecurrent, G, 0);
  else zero_floats(p->drecurrent, U * G);
  input_gradients(B, T, D, G, p->flags, p->repeated, p->x, p->kernel, p->gates, p->dgate_sum, p->dkernel, p->dbias, p->dx);
}

// ---------------------------------------------------------------------------------------------
// One Adam step over n floats of one variable, as tf.train.adam computes it (same operations in
// the same order, in float32): m, v and w are updated in place from the gradient g. correction1
// and correction2 are 1 - beta1^t and 1 - beta2^t for step t. Why here: tfjs's Adam launches
// ~14 kernels per variable per step, each with 10-25 us of bookkeeping (fusedAdam.ts).

__attribute__((export_name("adam_update"))) void adam_update(int n, float *w, const float *g, float *m, float *v,
                                                             float learning_rate, float beta1, float beta2,
                                                             float epsilon, float correction1, float correction2) {
  const v128_t b1 = SPLAT(beta1), keep1 = SPLAT(1.0f - beta1), b2 = SPLAT(beta2), keep2 = SPLAT(1.0f - beta2);
  const v128_t c1 = SPLAT(correction1), c2 = SPLAT(correction2), eps = SPLAT(epsilon), step = SPLAT(-learning_rate);
  int k = 0;
  for (; k + 4 <= n; k += 4) {
    v128_t gk = LD(g + k);
    v128_t mk = ADD(MUL(LD(m + k), b1), MUL(gk, keep1));
    v128_t vk = ADD(MUL(LD(v + k), b2), MUL(MUL(gk, gk), keep2));
    ST(m + k, mk), ST(v + k, vk);
    v128_t ratio = wasm_f32x4_div(wasm_f32x4_div(mk, c1), ADD(wasm_f32x4_sqrt(wasm_f32x4_div(vk, c2)), eps));
    ST(w + k, ADD(MUL(ratio, step), LD(w + k)));
  }
  for (; k < n; k++) {
    float gk = g[k];
    float mk = m[k] * beta1 + gk * (1.0f - beta1);
    float vk = v[k] * beta2 + gk * gk * (1.0f - beta2);
    m[k] = mk, v[k] = vk;
    w[k] = (mk / correction1) / (__builtin_sqrtf(vk / correction2) + epsilon) * -learning_rate + w[k];
  }
}
