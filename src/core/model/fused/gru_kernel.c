// Fused GRU forward and backward-through-time for one layer and one batch, in WebAssembly SIMD:
// the GRU counterpart of lstm_kernel.c, linked into the same module (one heap, one instance).
//
// The cell is tf.layers.gru's, which is Keras 1's "reset before" GRU (tfjs refuses resetAfter):
// kernel [in, 3u], recurrentKernel [u, 3u], bias [3u], gates z (update), r (reset), h (candidate):
//   z = ra(x Wz + bz + h' Uz)      r = ra(x Wr + br + h' Ur)      (ra: sigmoid or hardSigmoid)
//   hh = tanh(x Wh + bh + (r * h') Uh)
//   h = z * h' + (1 - z) * hh      (h' the previous state)
// PyTorch's nn.GRU is "reset after" (r multiplies h' Uh + b_hn), a different function.
//
// Per step the sequential work is two recurrent products: h' [Uz Ur] for both sigmoid gates,
// then (r * h') Uh once r is known. Backward mirrors them with two products by the transposed
// recurrent kernel. Buffers are laid out by gruKernel.ts, which mirrors GruCall. The input
// projection, the outputs and the input-side gradients are kernel_layer.h's, shared with the LSTM.

#include "kernel_layer.h"

typedef struct {
  int batch, steps, inputs, units, flags;
  // forward inputs: x [B, T, D], kernel [D, 3U], recurrent [U, 3U], bias [3U], h0 [B, U]
  float *x, *kernel, *recurrent, *bias, *h0;
  float *y;
  // saved for backward, time-major: hs [(T+1), B, U] with the initial state at slot 0, gates
  // [T, B, 3U] (activated z, r, hh; overwritten by their pre-activation gradients in backward),
  // rh [T, B, U] (r * h', the left factor of the candidate's recurrent product), proj0 [B, 3U]
  // (the input projection when every step has the same input)
  float *hs, *gates, *rh, *proj0;
  // backward: dy like y; outputs dx [B, T, D], dkernel, drecurrent, dbias, dh0
  float *dy, *dx, *dkernel, *drecurrent, *dbias, *dh0;
  // backward scratch: dh, drh [B, U], dgate_sum [B, 3U]
  float *dh, *drh, *dgate_sum;
  // set by forward: 1 when x[b, t] == x[b, 0] for every t (a repeated latent vector)
  int repeated;
} GruCall;

_Static_assert(sizeof(GruCall) == 25 * 4, "GruCall layout is mirrored in gruKernel.ts");

// ---------------------------------------------------------------------------------------------
// Element-wise step work, 4 units at a time; a ragged tail goes through 4-lane staging buffers,
// as in lstm_kernel.c. Each pass is its own loop (see kernel_math.h on why activations are not
// fused into one long loop body).

// rh = r * h'
static inline void reset_lanes(const float *r, const float *h_prev, float *rh) { ST(rh, MUL(LD(r), LD(h_prev))); }

// h = z * h' + (1 - z) * hh, in tfjs's order of operations.
static inline void state_lanes(const float *z, const float *hh, const float *h_prev, float *h) {
  v128_t vz = LD(z);
  ST(h, ADD(MUL(vz, LD(h_prev)), MUL(wasm_f32x4_sub(K(C_ONE), vz), LD(hh))));
}

// From dh (the state's whole gradient): the pre-activation gradients of z and hh, written over
// their activations, and dh replaced by its direct share for h', dh * z.
static inline void update_grad_lanes(float *z, float *hh, const float *h_prev, float *dh, int hard) {
  v128_t vz = LD(z), vhh = LD(hh), vdh = LD(dh);
  v128_t one = K(C_ONE);
  ST(z, MUL(MUL(vdh, wasm_f32x4_sub(LD(h_prev), vhh)), v_recurrent_grad(vz, hard)));
  ST(hh, MUL(MUL(vdh, wasm_f32x4_sub(one, vz)), wasm_f32x4_sub(one, MUL(vhh, vhh))));
  ST(dh, MUL(vdh, vz));
}

// From drh (the gradient of r * h'): r's pre-activation gradient written over r, and dh += drh * r.
static inline void reset_grad_lanes(float *r, const float *h_prev, const float *drh, float *dh, int hard) {
  v128_t vr = LD(r), vdrh = LD(drh);
  ST(dh, ADD(LD(dh), MUL(vdrh, vr)));
  ST(r, MUL(MUL(vdrh, LD(h_prev)), v_recurrent_grad(vr, hard)));
}

static void reset_row(int U, const float *r, const float *h_prev, float *rh) {
  int u = 0;
  for (; u + 4 <= U; u += 4) reset_lanes(r + u, h_prev + u, rh + u);
  if (u < U) {
    float t[3][4] = {{0}};
    int n = U - u;
    for (int k = 0; k < n; k++) t[0][k] = r[u + k], t[1][k] = h_prev[u + k];
    reset_lanes(t[0], t[1], t[2]);
    for (int k = 0; k < n; k++) rh[u + k] = t[2][k];
  }
}

static void state_row(int U, const float *z, const float *hh, const float *h_prev, float *h) {
  int u = 0;
  for (; u + 4 <= U; u += 4) state_lanes(z + u, hh + u, h_prev + u, h + u);
  if (u < U) {
    float t[4][4] = {{0}};
    int n = U - u;
    for (int k = 0; k < n; k++) t[0][k] = z[u + k], t[1][k] = hh[u + k], t[2][k] = h_prev[u + k];
    state_lanes(t[0], t[1], t[2], t[3]);
    for (int k = 0; k < n; k++) h[u + k] = t[3][k];
  }
}

static void update_grad_row(int U, float *z, float *hh, const float *h_prev, float *dh, int hard) {
  int u = 0;
  for (; u + 4 <= U; u += 4) update_grad_lanes(z + u, hh + u, h_prev + u, dh + u, hard);
  if (u < U) {
    float t[4][4] = {{0}};
    int n = U - u;
    for (int k = 0; k < n; k++) t[0][k] = z[u + k], t[1][k] = hh[u + k], t[2][k] = h_prev[u + k], t[3][k] = dh[u + k];
    update_grad_lanes(t[0], t[1], t[2], t[3], hard);
    for (int k = 0; k < n; k++) z[u + k] = t[0][k], hh[u + k] = t[1][k], dh[u + k] = t[3][k];
  }
}

static void reset_grad_row(int U, float *r, const float *h_prev, const float *drh, float *dh, int hard) {
  int u = 0;
  for (; u + 4 <= U; u += 4) reset_grad_lanes(r + u, h_prev + u, drh + u, dh + u, hard);
  if (u < U) {
    float t[4][4] = {{0}};
    int n = U - u;
    for (int k = 0; k < n; k++) t[0][k] = r[u + k], t[1][k] = h_prev[u + k], t[2][k] = drh[u + k], t[3][k] = dh[u + k];
    reset_grad_lanes(t[0], t[1], t[2], t[3], hard);
    for (int k = 0; k < n; k++) r[u + k] = t[0][k], dh[u + k] = t[3][k];
  }
}

// ---------------------------------------------------------------------------------------------

__attribute__((export_name("gru_forward"))) void gru_forward(GruCall *p) {
  const int B = p->batch, T = p->steps, D = p->inputs, U = p->units, G = 3 * U;
  const int hard = (p->flags & HARD_SIGMOID) != 0;
  const int zero_state = (p->flags & ZERO_INITIAL_STATE) != 0;
  p->repeated = T > 1 && repeats_first_step(p->x, B, T, D);

  project_inputs(B, T, D, G, p->flags, p->repeated, p->x, p->kernel, p->bias, p->gates, p->proj0);

  copy_floats(p->hs, p->h0, B * U);
  for (int s = 0; s < T; s++) {
    float *zs = p->gates + s * B * G;
    const float *h_prev = p->hs + s * B * U;
    float *h = p->hs + (s + 1) * B * U;
    float *rh = p->rh + s * B * U;
    // With a zero initial state, step 0's recurrent products are zero and skipped.
    const int recurrent = s > 0 || !zero_state;
    if (p->repeated) copy_floats(zs, p->proj0, B * G);
    if (recurrent) matmul_nn(B, 2 * U, U, h_prev, U, 1, p->recurrent, G, zs, G, 1);
    for (int b = 0; b < B; b++) {
      // z and r are adjacent: one run of 2U.
      if (hard) activate_run(zs + b * G, 2 * U, ACT_HARD_SIGMOID);
      else activate_run(zs + b * G, 2 * U, ACT_SIGMOID);
      reset_row(U, zs + b * G + U, h_prev + b * U, rh + b * U);
    }
    if (recurrent) matmul_nn(B, U, U, rh, U, 1, p->recurrent + 2 * U, G, zs + 2 * U, G, 1);
    for (int b = 0; b < B; b++) {
      activate_run(zs + b * G + 2 * U, U, ACT_TANH);
      state_row(U, zs + b * G, zs + b * G + 2 * U, h_prev + b * U, h + b * U);
    }
  }

  write_outputs(B, T, U, p->flags, p->hs, p->y);
}

__attribute__((export_name("gru_backward"))) void gru_backward(GruCall *p) {
  const int B = p->batch, T = p->steps, D = p->inputs, U = p->units, G = 3 * U;
  const int hard = (p->flags & HARD_SIGMOID) != 0;
  const int zero_state = (p->flags & ZERO_INITIAL_STATE) != 0;

  zero_floats(p->dh, B * U);
  for (int s = T - 1; s >= 0; s--) {
    float *zs = p->gates + s * B * G;
    const float *h_prev = p->hs + s * B * U;
    add_output_gradient(B, T, U, p->flags, s, p->dy, p->dh);
    for (int b = 0; b < B; b++) update_grad_row(U, zs + b * G, zs + b * G + 2 * U, h_prev + b * U, p->dh + b * U, hard);
    if (s > 0 || !zero_state) {
      // d(r * h') = dhh Uh^T, then r's gradient and the share of dh' through r * h'.
      matmul_nt(B, U, U, zs + 2 * U, G, p->recurrent + 2 * U, G, p->drh, U);
      for (int b = 0; b < B; b++) reset_grad_row(U, zs + b * G + U, h_prev + b * U, p->drh + b * U, p->dh + b * U, hard);
      // dh' += [dz, dr] [Uz Ur]^T (drh is free again: scratch for the product).
      matmul_nt(B, U, 2 * U, zs, G, p->recurrent, G, p->drh, U);
      add_floats(p->dh, p->drh, B * U);
    } else {
      // h' = 0: r had no effect (its gradient is zero) and no initial state takes a gradient.
      for (int b = 0; b < B; b++) zero_floats(zs + b * G + U, U);
      zero_floats(p->dh, B * U);
    }
  }
  copy_floats(p->dh0, p->dh, B * U);

  // Weight gradients as single products over all steps: gates now hold [dz, dr, dhh] [T*B, 3U].
  // [Uz Ur] saw h', Uh saw r * h'; with a zero initial state step 0 adds nothing to either.
  const int first = zero_state ? 1 : 0;
  if (T > first) {
    const int rows = (T - first) * B;
    matmul_nn(U, 2 * U, rows, p->hs + first * B * U, 1, U, p->gates + first * B * G, G, p->drecurrent, G, 0);
    matmul_nn(U, U, rows, p->rh + first * B * U, 1, U, p->gates + first * B * G + 2 * U, G, p->drecurrent + 2 * U, G, 0);
  } else {
    zero_floats(p->drecurrent, U * G);
  }
  input_gradients(B, T, D, G, p->flags, p->repeated, p->x, p->kernel, p->gates, p->dgate_sum, p->dkernel, p->dbias, p->dx);
}
