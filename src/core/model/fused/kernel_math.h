// Shared by the fused recurrent cells (lstm_kernel.c, gru_kernel.c), which are linked into one
// WebAssembly module (scripts/build-wasm.sh): the matrix products, the SIMD activations and the
// small vector helpers. Everything here is static, so each cell's file gets its own copy that
// clang can inline and specialise; only the activation table is one shared definition.

#ifndef TSAE_KERNEL_MATH_H
#define TSAE_KERNEL_MATH_H

#include <wasm_simd128.h>

typedef __SIZE_TYPE__ size_t;

// A helper one of the two cells may not call (static, so -Wunused-function would fail the build).
#define KERNEL_FN static __attribute__((unused))

// ---------------------------------------------------------------------------------------------
// Flags of one layer call, the same bits for both cells.

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

// ---------------------------------------------------------------------------------------------
// Matrix products. Row-major; strides in floats. Column counts (N of matmul_nn) and dot-product
// lengths (K of matmul_nt) that are not multiples of 4 finish with a scalar tail: the LSTM's
// are always 4U, the GRU's are U, 2U or 3U.

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

KERNEL_FN void nn_rows(int rows, int N, int K, const float *a, int a_rs, int a_cs, const float *b, int ldb, float *c,
                       int ldc, int accumulate) {
  int j = 0;
  if (rows == 4) {
    for (; j + 8 <= N; j += 8) nn_block(4, 2, K, a, a_rs, a_cs, b + j, ldb, c + j, ldc, accumulate);
    for (; j + 4 <= N; j += 4) nn_block(4, 1, K, a, a_rs, a_cs, b + j, ldb, c + j, ldc, accumulate);
  } else {
    for (; j + 8 <= N; j += 8) nn_block(1, 2, K, a, a_rs, a_cs, b + j, ldb, c + j, ldc, accumulate);
    for (; j + 4 <= N; j += 4) nn_block(1, 1, K, a, a_rs, a_cs, b + j, ldb, c + j, ldc, accumulate);
  }
  // The last N % 4 columns, one dot product each, summed in the same order as the vector lanes.
  for (; j < N; j++)
    for (int r = 0; r < rows; r++) {
      float s = accumulate ? c[r * ldc + j] : 0.f;
      for (int k = 0; k < K; k++) s += a[r * a_rs + k * a_cs] * b[k * ldb + j];
      c[r * ldc + j] = s;
    }
}

// K is cut into chunks so that the rows of B a chunk touches stay in cache while every block of
// A's rows passes over them (weight gradients have K = T * B, megabytes of B).
#define K_CHUNK 128

// C[M, N] (+)= A[M, K] B[K, N].
KERNEL_FN void matmul_nn(int M, int N, int K, const float *a, int a_rs, int a_cs, const float *b, int ldb, float *c,
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

// C[rows of A, rows of B] = A B^T for one block: dot products along K, 4 lanes at a time and the
// last K % 4 terms after the lanes are summed.
static inline __attribute__((always_inline)) void nt_block(int ra, int rb, int K, const float *a, int lda,
                                                           const float *b, int ldb, float *c, int ldc) {
  v128_t acc[4][2];
  for (int r = 0; r < ra; r++)
    for (int q = 0; q < rb; q++) acc[r][q] = SPLAT(0.f);
  int k = 0;
  for (; k + 4 <= K; k += 4) {
    v128_t b0 = LD(b + k);
    v128_t b1 = rb > 1 ? LD(b + ldb + k) : b0;
    for (int r = 0; r < ra; r++) {
      v128_t ar = LD(a + r * lda + k);
      acc[r][0] = ADD(acc[r][0], MUL(ar, b0));
      if (rb > 1) acc[r][1] = ADD(acc[r][1], MUL(ar, b1));
    }
  }
  for (int r = 0; r < ra; r++)
    for (int q = 0; q < rb; q++) {
      float s = hsum(acc[r][q]);
      for (int t = k; t < K; t++) s += a[r * lda + t] * b[q * ldb + t];
      c[r * ldc + q] = s;
    }
}

// C[M, N] = A[M, K] B[N, K]^T. Multiplies by a transposed weight matrix without transposing it.
KERNEL_FN void matmul_nt(int M, int N, int K, const float *a, int lda, const float *b, int ldb, float *c, int ldc) {
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


// Defined once, in lstm_kernel.c.
extern __attribute__((visibility("hidden"))) float activation_constants[ACTIVATION_CONSTANTS];


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


KERNEL_FN void copy_floats(float *dst, const float *src, int n) {
  int k = 0;
  for (; k + 4 <= n; k += 4) ST(dst + k, LD(src + k));
  for (; k < n; k++) dst[k] = src[k];
}

KERNEL_FN void zero_floats(float *dst, int n) {
  for (int k = 0; k < n; k++) dst[k] = 0.f;
}

KERNEL_FN void add_floats(float *dst, const float *src, int n) {
  int k = 0;
  for (; k + 4 <= n; k += 4) ST(dst + k, ADD(LD(dst + k), LD(src + k)));
  for (; k < n; k++) dst[k] += src[k];
}

// 1 when x[b, t] == x[b, 0] for every b and t (a repeated latent vector); x is [B, T, D].
KERNEL_FN int repeats_first_step(const float *x, int B, int T, int D) {
  for (int b = 0; b < B; b++) {
    const float *first = x + b * T * D;
    for (int t = 1; t < T; t++)
      for (int d = 0; d < D; d++)
        if (first[t * D + d] != first[d]) return 0;
  }
  return 1;
}

#endif
