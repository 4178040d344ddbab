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

#include <wasm_simd128.h>

typedef __SIZE_TYPE__ size_t;

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

enum {
  RETURN_SEQUENCES = 1,  // y is [B, T, U]; otherwise [B, U] (the last step)
  GO_BACKWARDS = 2,      // step s reads input step T-1-s (Keras: outputs stay in step order)
  HARD_SIGMOID = 4,      // recurrent activation clip(0.2x + 0.5, 0, 1) instead of sigmoid
};

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
// Matrix products. Row-major; strides in floats.

#define SPLAT wasm_f32x4_splat
#define LD(p) wasm_v128_load(p)
#define ST(p, v) wasm_v128_store((p), (v))
#define ADD wasm_f32x4_add
#define MUL wasm_f32x4_mul

// C[rows, 8 or 4 columns] (+)= A B for one register block. A(i, k) = a[i * a_rs + k * a_cs]
// lets the same code multiply by a transposed A (weight gradients). Constant `rows` and
// `vecs` at each call site let clang keep the accumulators in registers.
static inline __attribute__((always_inline)) void nn_block(int rows, int vecs, int K, const float *a, int a_rs,
                                                           int a_cs, const float *b, int ldb, float *c, int ldc,
                                                           int accumulate) {
  v128_t acc[4][2];
  for (int r = 0; r < rows; r++)
    for (int v = 0; v < vecs; v++) acc[r][v] = accumulate ? LD(c + r * ldc + 4 * v) : SPLAT(0.f);
  for (int k = 0; k < K; k++) {
    const float *bk = b + k * ldb;
    v128_t b0 = LD(bk);
    v128_t b1 = vecs > 1 ? LD(bk + 4) : b0;
    for (int r = 0; r < rows; r++) {
      v128_t ar = SPLAT(a[r * a_rs + k * a_cs]);
      acc[r][0] = ADD(acc[r][0], MUL(ar, b0));
      if (vecs > 1) acc[r][1] = ADD(acc[r][1], MUL(ar, b1));
    }
  }
  for (int r = 0; r < rows; r++)
    for (int v = 0; v < vecs; v++) ST(c + r * ldc + 4 * v, acc[r][v]);
}

static void nn_rows(int rows, int N, int K, const float *a, int a_rs, int a_cs, const float *b, int ldb, float *c,
                    int ldc, int accumulate) {
  int j = 0;
  if (rows == 4) {
    for (; j + 8 <= N; j += 8) nn_block(4, 2, K, a, a_rs, a_cs, b + j, ldb, c + j, ldc, accumulate);
    for (; j + 4 <= N; j += 4) nn_block(4, 1, K, a, a_rs, a_cs, b + j, ldb, c + j, ldc, accumulate);
  } else {
    for (; j + 8 <= N; j += 8) nn_block(1, 2, K, a, a_rs, a_cs, b + j, ldb, c + j, ldc, accumulate);
    for (; j + 4 <= N; j += 4) nn_block(1, 1, K, a, a_rs, a_cs, b + j, ldb, c + j, ldc, accumulate);
  }
}

// K is cut into chunks so that the rows of B a chunk touches stay in cache while every block of
// A's rows passes over them (weight gradients have K = T * B, megabytes of B).
#define K_CHUNK 128

// C[M, N] (+)= A[M, K] B[K, N]; N must be a multiple of 4 (it is always 4U here).
static void matmul_nn(int M, int N, int K, const float *a, int a_rs, int a_cs, const float *b, int ldb, float *c,
                      int ldc, int accumulate) {
  for (int k0 = 0; k0 < K; k0 += K_CHUNK) {
    int kc = K - k0 < K_CHUNK ? K - k0 : K_CHUNK;
    int acc = accumulate || k0 > 0;
    const float *ak = a + k0 * a_cs;
    const float *bk = b + k0 * ldb;
    int i = 0;
    for (; i + 4 <= M; i += 4) nn_rows(4, N, kc, ak + i * a_rs, a_rs, a_cs, bk, ldb, c + i * ldc, ldc, acc);
    for (; i < M; i++) nn_rows(1, N, kc, ak + i * a_rs, a_rs, a_cs, bk, ldb, c + i * ldc, ldc, acc);
  }
}

static inline float hsum(v128_t v) {
  return wasm_f32x4_extract_lane(v, 0) + wasm_f32x4_extract_lane(v, 1) + wasm_f32x4_extract_lane(v, 2) +
         wasm_f32x4_extract_lane(v, 3);
}

// C[rows of A, rows of B] = A B^T for one block: dot products along K (a multiple of 4).
static inline __attribute__((always_inline)) void nt_block(int ra, int rb, int K, const float *a, int lda,
                                                           const float *b, int ldb, float *c, int ldc) {
  v128_t acc[4][2];
  for (int r = 0; r < ra; r++)
    for (int q = 0; q < rb; q++) acc[r][q] = SPLAT(0.f);
  for (int k = 0; k < K; k += 4) {
    v128_t b0 = LD(b + k);
    v128_t b1 = rb > 1 ? LD(b + ldb + k) : b0;
    for (int r = 0; r < ra; r++) {
      v128_t ar = LD(a + r * lda + k);
      acc[r][0] = ADD(acc[r][0], MUL(ar, b0));
      if (rb > 1) acc[r][1] = ADD(acc[r][1], MUL(ar, b1));
    }
  }
  for (int r = 0; r < ra; r++)
    for (int q = 0; q < rb; q++) c[r * ldc + q] = hsum(acc[r][q]);
}

// C[M, N] = A[M, K] B[N, K]^T. Multiplies by a transposed weight matrix without transposing it.
static void matmul_nt(int M, int N, int K, const float *a, int lda, const float *b, int ldb, float *c, int ldc) {
  int i = 0;
  for (; i + 4 <= M; i += 4) {
    int j = 0;
    for (; j + 2 <= N; j += 2) nt_block(4, 2, K, a + i * lda, lda, b + j * ldb, ldb, c + i * ldc + j, ldc);
    for (; j < N; j++) nt_block(4, 1, K, a + i * lda, lda, b + j * ldb, ldb, c + i * ldc + j, ldc);
  }
  for (; i < M; i++) {
    int j = 0;
    for (; j + 2 <= N; j += 2) nt_block(1, 2, K, a + i * lda, lda, b + j * ldb, ldb, c + i * ldc + j, ldc);
    for (; j < N; j++) nt_block(1, 1, K, a + i * lda, lda, b + j * ldb, ldb, c + i * ldc + j, ldc);
  }
}

// ---------------------------------------------------------------------------------------------
// Activations, 4 lanes at a time. Cephes-style expf (about 1e-7 relative error).

static inline v128_t v_exp(v128_t x) {
  // 88 keeps 2^n finite; below -87 the result would be denormal and is flushed by the clamp.
  x = wasm_f32x4_min(wasm_f32x4_max(x, SPLAT(-87.0f)), SPLAT(88.0f));
  v128_t fx = wasm_f32x4_floor(ADD(MUL(x, SPLAT(1.44269504088896341f)), SPLAT(0.5f)));
  x = wasm_f32x4_sub(x, MUL(fx, SPLAT(0.693359375f)));
  x = wasm_f32x4_sub(x, MUL(fx, SPLAT(-2.12194440e-4f)));
  v128_t z = MUL(x, x);
  v128_t y = SPLAT(1.9875691500e-4f);
  y = ADD(MUL(y, x), SPLAT(1.3981999507e-3f));
  y = ADD(MUL(y, x), SPLAT(8.3334519073e-3f));
  y = ADD(MUL(y, x), SPLAT(4.1665795894e-2f));
  y = ADD(MUL(y, x), SPLAT(1.6666665459e-1f));
  y = ADD(MUL(y, x), SPLAT(5.0000001201e-1f));
  y = ADD(ADD(MUL(y, z), x), SPLAT(1.0f));
  v128_t pow2n = wasm_i32x4_shl(wasm_i32x4_add(wasm_i32x4_trunc_sat_f32x4(fx), wasm_i32x4_splat(127)), 23);
  return MUL(y, pow2n);
}

static inline v128_t v_sigmoid(v128_t x) {
  v128_t one = SPLAT(1.0f);
  return wasm_f32x4_div(one, ADD(one, v_exp(wasm_f32x4_neg(x))));
}

static inline v128_t v_hard_sigmoid(v128_t x) {
  return wasm_f32x4_min(wasm_f32x4_max(ADD(MUL(x, SPLAT(0.2f)), SPLAT(0.5f)), SPLAT(0.f)), SPLAT(1.0f));
}

// Cephes tanhf: an odd polynomial near 0, where 1 - 2 / (e^2x + 1) would lose relative precision.
static inline v128_t v_tanh(v128_t x) {
  v128_t ax = wasm_f32x4_abs(x);
  v128_t one = SPLAT(1.0f);
  v128_t far = wasm_f32x4_sub(one, wasm_f32x4_div(SPLAT(2.0f), ADD(v_exp(ADD(ax, ax)), one)));
  far = wasm_v128_or(far, wasm_v128_and(x, wasm_i32x4_splat((int)0x80000000)));
  v128_t s = MUL(x, x);
  v128_t p = SPLAT(-5.70498872745e-3f);
  p = ADD(MUL(p, s), SPLAT(2.06390887954e-2f));
  p = ADD(MUL(p, s), SPLAT(-5.37397155531e-2f));
  p = ADD(MUL(p, s), SPLAT(1.33314422036e-1f));
  p = ADD(MUL(p, s), SPLAT(-3.33332819422e-1f));
  v128_t near = ADD(MUL(MUL(p, s), x), x);
  return wasm_v128_bitselect(far, near, wasm_f32x4_gt(ax, SPLAT(0.625f)));
}

// Derivative of the recurrent activation from its output y.
static inline v128_t v_recurrent_grad(v128_t y, int hard) {
  if (hard) {
    v128_t inside = wasm_v128_and(wasm_f32x4_gt(y, SPLAT(0.f)), wasm_f32x4_lt(y, SPLAT(1.0f)));
    return wasm_v128_and(SPLAT(0.2f), inside);
  }
  return MUL(y, wasm_f32x4_sub(SPLAT(1.0f), y));
}

// ---------------------------------------------------------------------------------------------
// Element-wise step work. Rows are processed 4 units at a time; a ragged tail is staged through
// a 4-lane buffer so that every unit goes through the same vector code.

typedef struct {
  float *gates;         // [4U] pre-activations in, activations out
  const float *c_prev;  // [U]
  float *c, *tanh_c, *h;
} CellRow;

static inline void cell_lanes(float *i, float *f, float *g, float *o, const float *c_prev, float *c, float *tc,
                              float *h, int hard) {
  v128_t vi = hard ? v_hard_sigmoid(LD(i)) : v_sigmoid(LD(i));
  v128_t vf = hard ? v_hard_sigmoid(LD(f)) : v_sigmoid(LD(f));
  v128_t vo = hard ? v_hard_sigmoid(LD(o)) : v_sigmoid(LD(o));
  v128_t vg = v_tanh(LD(g));
  v128_t vc = ADD(MUL(vf, LD(c_prev)), MUL(vi, vg));
  v128_t vt = v_tanh(vc);
  ST(i, vi), ST(f, vf), ST(g, vg), ST(o, vo), ST(c, vc), ST(tc, vt), ST(h, MUL(vo, vt));
}

static void cell_forward_row(int U, CellRow r, int hard) {
  float *i = r.gates, *f = i + U, *g = f + U, *o = g + U;
  int u = 0;
  for (; u + 4 <= U; u += 4) cell_lanes(i + u, f + u, g + u, o + u, r.c_prev + u, r.c + u, r.tanh_c + u, r.h + u, hard);
  if (u < U) {
    float t[8][4] = {{0}};
    int n = U - u;
    for (int k = 0; k < n; k++) t[0][k] = i[u + k], t[1][k] = f[u + k], t[2][k] = g[u + k], t[3][k] = o[u + k], t[4][k] = r.c_prev[u + k];
    cell_lanes(t[0], t[1], t[2], t[3], t[4], t[5], t[6], t[7], hard);
    for (int k = 0; k < n; k++) {
      i[u + k] = t[0][k], f[u + k] = t[1][k], g[u + k] = t[2][k], o[u + k] = t[3][k];
      r.c[u + k] = t[5][k], r.tanh_c[u + k] = t[6][k], r.h[u + k] = t[7][k];
    }
  }
}

// Gate gradients for 4 units: in: activations (i, f, g, o), dh, dc (carried from step s+1);
// out: pre-activation gradients written over the activations, dc for step s-1.
static inline void cell_grad_lanes(float *i, float *f, float *g, float *o, const float *tc, const float *c_prev,
                                   const float *dh, float *dc, int hard) {
  v128_t vi = LD(i), vf = LD(f), vg = LD(g), vo = LD(o), vt = LD(tc), vdh = LD(dh);
  v128_t one = SPLAT(1.0f);
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

static void copy_floats(float *dst, const float *src, int n) {
  int k = 0;
  for (; k + 4 <= n; k += 4) ST(dst + k, LD(src + k));
  for (; k < n; k++) dst[k] = src[k];
}

static void zero_floats(float *dst, int n) {
  for (int k = 0; k < n; k++) dst[k] = 0.f;
}

static void add_floats(float *dst, const float *src, int n) {
  int k = 0;
  for (; k + 4 <= n; k += 4) ST(dst + k, ADD(LD(dst + k), LD(src + k)));
  for (; k < n; k++) dst[k] += src[k];
}

static int input_step(const LstmCall *p, int s) { return (p->flags & GO_BACKWARDS) ? p->steps - 1 - s : s; }

static int every_step_repeats_the_first(const LstmCall *p) {
  int T = p->steps, D = p->inputs;
  for (int b = 0; b < p->batch; b++) {
    const float *first = p->x + b * T * D;
    for (int t = 1; t < T; t++)
      for (int d = 0; d < D; d++)
        if (first[t * D + d] != first[d]) return 0;
  }
  return 1;
}

// ---------------------------------------------------------------------------------------------

__attribute__((export_name("lstm_forward"))) void lstm_forward(LstmCall *p) {
  const int B = p->batch, T = p->steps, D = p->inputs, U = p->units, G = 4 * U;
  const int hard = (p->flags & HARD_SIGMOID) != 0;
  p->repeated = T > 1 && every_step_repeats_the_first(p);

  // Input projection: once per batch row when the input repeats (decoder fed a repeated latent),
  // else for all steps up front; only the recurrent product below is sequential.
  if (p->repeated) {
    matmul_nn(B, G, D, p->x, T * D, 1, p->kernel, G, p->proj0, G, 0);
    for (int b = 0; b < B; b++) add_floats(p->proj0 + b * G, p->bias, G);
  } else {
    for (int s = 0; s < T; s++) {
      float *zs = p->gates + s * B * G;
      for (int b = 0; b < B; b++) copy_floats(zs + b * G, p->bias, G);
      matmul_nn(B, G, D, p->x + input_step(p, s) * D, T * D, 1, p->kernel, G, zs, G, 1);
    }
  }

  copy_floats(p->hs, p->h0, B * U);
  copy_floats(p->cs, p->c0, B * U);
  for (int s = 0; s < T; s++) {
    float *zs = p->gates + s * B * G;
    const float *h_prev = p->hs + s * B * U;
    if (p->repeated) copy_floats(zs, p->proj0, B * G);
    matmul_nn(B, G, U, h_prev, U, 1, p->recurrent, G, zs, G, 1);
    for (int b = 0; b < B; b++) {
      CellRow row = {zs + b * G, p->cs + (s * B + b) * U, p->cs + ((s + 1) * B + b) * U, p->tanh_c + (s * B + b) * U,
                     p->hs + ((s + 1) * B + b) * U};
      cell_forward_row(U, row, hard);
    }
  }

  if (p->flags & RETURN_SEQUENCES) {
    for (int s = 0; s < T; s++)
      for (int b = 0; b < B; b++) copy_floats(p->y + (b * T + s) * U, p->hs + ((s + 1) * B + b) * U, U);
  } else {
    copy_floats(p->y, p->hs + T * B * U, B * U);
  }
}

__attribute__((export_name("lstm_backward"))) void lstm_backward(LstmCall *p) {
  const int B = p->batch, T = p->steps, D = p->inputs, U = p->units, G = 4 * U;
  const int hard = (p->flags & HARD_SIGMOID) != 0;
  const int sequences = (p->flags & RETURN_SEQUENCES) != 0;

  zero_floats(p->dh, B * U);
  zero_floats(p->dc, B * U);
  for (int s = T - 1; s >= 0; s--) {
    float *zs = p->gates + s * B * G;
    if (sequences) {
      for (int b = 0; b < B; b++) add_floats(p->dh + b * U, p->dy + (b * T + s) * U, U);
    } else if (s == T - 1) {
      add_floats(p->dh, p->dy, B * U);
    }
    for (int b = 0; b < B; b++)
      cell_backward_row(U, zs + b * G, p->tanh_c + (s * B + b) * U, p->cs + (s * B + b) * U, p->dh + b * U,
                        p->dc + b * U, hard);
    // dh for step s-1 through the recurrent kernel: dgates [B, 4U] times recurrent [U, 4U]^T.
    matmul_nt(B, U, G, zs, G, p->recurrent, G, p->dh, U);
  }
  copy_floats(p->dh0, p->dh, B * U);
  copy_floats(p->dc0, p->dc, B * U);

  // Weight gradients as single products over all steps: gates now hold dgates [T*B, 4U].
  matmul_nn(U, G, T * B, p->hs, 1, U, p->gates, G, p->drecurrent, G, 0);
  if (p->repeated) {
    // Every step saw the same x[b, 0]: sum dgates over steps first, then one small product.
    zero_floats(p->dgate_sum, B * G);
    for (int s = 0; s < T; s++) add_floats(p->dgate_sum, p->gates + s * B * G, B * G);
    matmul_nn(D, G, B, p->x, 1, T * D, p->dgate_sum, G, p->dkernel, G, 0);
    zero_floats(p->dbias, G);
    for (int b = 0; b < B; b++) add_floats(p->dbias, p->dgate_sum + b * G, G);
  } else {
    zero_floats(p->dkernel, D * G);
    zero_floats(p->dbias, G);
    for (int s = 0; s < T; s++) {
      const float *dz = p->gates + s * B * G;
      matmul_nn(D, G, B, p->x + input_step(p, s) * D, 1, T * D, dz, G, p->dkernel, G, 1);
      for (int b = 0; b < B; b++) add_floats(p->dbias, dz + b * G, G);
    }
  }
  // dx[b, t] = dgates[s, b] kernel^T, written straight into [B, T, D] at the step's input time.
  for (int s = 0; s < T; s++)
    matmul_nt(B, D, G, p->gates + s * B * G, G, p->kernel, G, p->dx + input_step(p, s) * D, T * D);
}
