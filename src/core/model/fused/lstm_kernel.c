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
  // The input is a RepeatVector's output (the caller knows it from the model graph), so its
  // gradient is only ever summed over steps (Tile's gradient): when forward confirms that every
  // step equals the first, backward puts that sum at step 0 and zeros elsewhere instead of
  // computing one product per step.
  REPEATED_INPUT = 8,
  // h0 and c0 are zeros (no initial state given): step 0's recurrent product and its share of
  // the recurrent weights' gradient are zero and skipped, and the initial state's gradient
  // (dh0) is not computed (left at zero): 1/T of three of the four recurrent products.
  ZERO_INITIAL_STATE = 16,
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
//
// Why the constants sit in a table: V8 builds every v128.const from 64-bit immediates (about six
// instructions) and clang re-emits a constant at each use rather than keep ~15 of them in
// registers, so with constants inline the gate activations cost as much as the recurrent matMul.
// A load-splat from memory is one instruction. The table is writable and not static, so clang
// cannot fold the loads back into constants; nothing writes it.

enum {
  C_EXP_MIN, C_EXP_MAX, C_LOG2E, C_ROUND, C_LN2_HI, C_LN2_LO,
  C_P5, C_P4, C_P3, C_P2, C_P1, C_P0,
  C_ONE, C_TWO, C_HARD_SLOPE, C_HALF, C_ZERO,
  ACTIVATION_CONSTANTS
};

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

#define K(name) wasm_v128_load32_splat(&activation_constants[name])

static inline v128_t v_exp(v128_t x) {
  // pmin/pmax are single instructions; min/max carry NaN and signed-zero rules V8 spells out.
  x = wasm_f32x4_pmax(wasm_f32x4_pmin(x, K(C_EXP_MAX)), K(C_EXP_MIN));
  v128_t shifted = ADD(MUL(x, K(C_LOG2E)), K(C_ROUND));
  v128_t fx = wasm_f32x4_sub(shifted, K(C_ROUND));
  x = wasm_f32x4_sub(x, MUL(fx, K(C_LN2_HI)));
  x = wasm_f32x4_sub(x, MUL(fx, K(C_LN2_LO)));
  v128_t z = MUL(x, x);
  v128_t y = K(C_P5);
  y = ADD(MUL(y, x), K(C_P4));
  y = ADD(MUL(y, x), K(C_P3));
  y = ADD(MUL(y, x), K(C_P2));
  y = ADD(MUL(y, x), K(C_P1));
  y = ADD(MUL(y, x), K(C_P0));
  y = ADD(ADD(MUL(y, z), x), K(C_ONE));
  // The shift keeps only the low 9 bits of the sum's pattern: n + 127 lands in the exponent.
  return MUL(y, wasm_i32x4_shl(shifted, 23));
}

static inline v128_t v_sigmoid(v128_t x) {
  v128_t one = K(C_ONE);
  return wasm_f32x4_div(one, ADD(one, v_exp(wasm_f32x4_neg(x))));
}

static inline v128_t v_hard_sigmoid(v128_t x) {
  return wasm_f32x4_pmin(wasm_f32x4_pmax(ADD(MUL(x, K(C_HARD_SLOPE)), K(C_HALF)), K(C_ZERO)), K(C_ONE));
}

// tanh x = 1 - 2 / (e^2|x| + 1) with the sign of x put back (x ^ |x| is its sign bit). Near 0
// the absolute error is about 1e-7 (the float rounding of the subtraction), which is all the
// cell state and its gradient see; an odd polynomial there would cost a second evaluation.
static inline v128_t v_tanh(v128_t x) {
  v128_t ax = wasm_f32x4_abs(x);
  v128_t t = wasm_f32x4_sub(K(C_ONE), wasm_f32x4_div(K(C_TWO), ADD(v_exp(ADD(ax, ax)), K(C_ONE))));
  return wasm_v128_or(t, wasm_v128_xor(x, ax));
}

// Derivative of the recurrent activation from its output y.
static inline v128_t v_recurrent_grad(v128_t y, int hard) {
  if (hard) {
    v128_t inside = wasm_v128_and(wasm_f32x4_gt(y, SPLAT(0.f)), wasm_f32x4_lt(y, K(C_ONE)));
    return wasm_v128_and(K(C_HARD_SLOPE), inside);
  }
  return MUL(y, wasm_f32x4_sub(K(C_ONE), y));
}

// ---------------------------------------------------------------------------------------------
// Element-wise step work. Rows are processed 4 units at a time; a ragged tail is staged through
// a 4-lane buffer so that every unit goes through the same vector code.
//
// Why the forward cell is split into separate loops: one activation is a chain of ~25 dependent
// operations, and a loop body computing all five of a cell's (three sigmoids, two tanh) is too
// long for the processor to overlap one iteration with the next, so it ran at the chains'
// latency (~40 % of the forward pass). A loop per activation has independent iterations.

enum { ACT_SIGMOID, ACT_HARD_SIGMOID, ACT_TANH };

static inline __attribute__((always_inline)) v128_t activate(v128_t x, int kind) {
  if (kind == ACT_TANH) return v_tanh(x);
  return kind == ACT_HARD_SIGMOID ? v_hard_sigmoid(x) : v_sigmoid(x);
}

// p[0..n) = activation(p[0..n)), in place.
static inline __attribute__((always_inline)) void activate_run(float *p, int n, int kind) {
  int k = 0;
  for (; k + 4 <= n; k += 4) ST(p + k, activate(LD(p + k), kind));
  if (k < n) {
    float t[4] = {0};
    for (int q = 0; q < n - k; q++) t[q] = p[k + q];
    ST(t, activate(LD(t), kind));
    for (int q = 0; q < n - k; q++) p[k + q] = t[q];
  }
}

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
  const int zero_state = (p->flags & ZERO_INITIAL_STATE) != 0;
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
    if (s > 0 || !zero_state) matmul_nn(B, G, U, h_prev, U, 1, p->recurrent, G, zs, G, 1);
    for (int b = 0; b < B; b++) {
      CellRow row = {zs + b * G, p->cs + (s * B + b) * U, p->cs + ((s + 1) * B + b) * U, p->tanh_c + (s * B + b) * U,
                     p->hs + ((s + 1) * B + b) * U};
      activate_gates(zs + b * G, U, hard);
      cell_state_row(U, row);
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
  const int zero_state = (p->flags & ZERO_INITIAL_STATE) != 0;

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
  if ((p->flags & REPEATED_INPUT) && p->repeated) {
    // The sum over steps of dx[b, t] = dgates[s, b] kernel^T is dgate_sum[b] kernel^T.
    zero_floats(p->dx, B * T * D);
    matmul_nt(B, D, G, p->dgate_sum, G, p->kernel, G, p->dx, T * D);
    return;
  }
  // dx[b, t] = dgates[s, b] kernel^T, written straight into [B, T, D] at the step's input time.
  for (int s = 0; s < T; s++)
    matmul_nt(B, D, G, p->gates + s * B * G, G, p->kernel, G, p->dx + input_step(p, s) * D, T * D);
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
