// What both fused cells' calls (lstm_kernel.c, gru_kernel.c) do outside the cell itself, on the
// buffers every call struct has: the input projection before forward's step loop, the outputs
// after it, each backward step's share of dy, and after backward's step loop the input-side
// gradients (dkernel, dbias, dx) from the gates' pre-activation gradients. The cell enters only
// through G, its gates' width (4U for the LSTM, 3U for the GRU); gates is [T, B, G], time-major.
// Static like kernel_math.h, so each cell's file gets its own copy, inlined at its one call.

#ifndef TSAE_KERNEL_LAYER_H
#define TSAE_KERNEL_LAYER_H

#include "kernel_math.h"

// The input time step s reads (GO_BACKWARDS: the sequence reversed; outputs stay in step order).
KERNEL_FN int input_step(int flags, int T, int s) { return (flags & GO_BACKWARDS) ? T - 1 - s : s; }

// Input projection with the bias: once per batch row into proj0 [B, G] when every step has the
// same input (a decoder fed a repeated latent), else for all steps into gates up front; only the
// recurrent products are sequential.
KERNEL_FN void project_inputs(int B, int T, int D, int G, int flags, int repeated, const float *x, const float *kernel,
                              const float *bias, float *gates, float *proj0) {
  if (repeated) {
    matmul_nn(B, G, D, x, T * D, 1, kernel, G, proj0, G, 0);
    for (int b = 0; b < B; b++) add_floats(proj0 + b * G, bias, G);
  } else {
    for (int s = 0; s < T; s++) {
      float *zs = gates + s * B * G;
      for (int b = 0; b < B; b++) copy_floats(zs + b * G, bias, G);
      matmul_nn(B, G, D, x + input_step(flags, T, s) * D, T * D, 1, kernel, G, zs, G, 1);
    }
  }
}

// y from the saved states hs [(T+1), B, U]: every step's, as [B, T, U], with RETURN_SEQUENCES,
// else the last step's [B, U].
KERNEL_FN void write_outputs(int B, int T, int U, int flags, const float *hs, float *y) {
  if (flags & RETURN_SEQUENCES) {
    for (int s = 0; s < T; s++)
      for (int b = 0; b < B; b++) copy_floats(y + (b * T + s) * U, hs + ((s + 1) * B + b) * U, U);
  } else {
    copy_floats(y, hs + T * B * U, B * U);
  }
}

// Adds step s's share of dy (shaped like y) to dh [B, U]: its rows for step s with
// RETURN_SEQUENCES, else all of dy at the last step.
KERNEL_FN void add_output_gradient(int B, int T, int U, int flags, int s, const float *dy, float *dh) {
  if (flags & RETURN_SEQUENCES) {
    for (int b = 0; b < B; b++) add_floats(dh + b * U, dy + (b * T + s) * U, U);
  } else if (s == T - 1) {
    add_floats(dh, dy, B * U);
  }
}

// With gates holding dgates (the pre-activation gradients): dkernel [D, G], dbias [G] and
// dx [B, T, D]. For a repeated input, dgates are summed over steps first into dgate_sum [B, G],
// then one small product; with REPEATED_INPUT too, dx is only that sum's (Tile's gradient reads
// nothing else), at step 0 with zeros elsewhere.
KERNEL_FN void input_gradients(int B, int T, int D, int G, int flags, int repeated, const float *x, const float *kernel,
                               const float *gates, float *dgate_sum, float *dkernel, float *dbias, float *dx) {
  if (repeated) {
    // Every step saw the same x[b, 0]: sum dgates over steps first, then one small product.
    zero_floats(dgate_sum, B * G);
    for (int s = 0; s < T; s++) add_floats(dgate_sum, gates + s * B * G, B * G);
    matmul_nn(D, G, B, x, 1, T * D, dgate_sum, G, dkernel, G, 0);
    zero_floats(dbias, G);
    for (int b = 0; b < B; b++) add_floats(dbias, dgate_sum + b * G, G);
  } else {
    zero_floats(dkernel, D * G);
    zero_floats(dbias, G);
    for (int s = 0; s < T; s++) {
      const float *dz = gates + s * B * G;
      matmul_nn(D, G, B, x + input_step(flags, T, s) * D, 1, T * D, dz, G, dkernel, G, 1);
      for (int b = 0; b < B; b++) add_floats(dbias, dz + b * G, G);
    }
  }
  if ((flags & REPEATED_INPUT) && repeated) {
    // The sum over steps of dx[b, t] = dgates[s, b] kernel^T is dgate_sum[b] kernel^T.
    zero_floats(dx, B * T * D);
    matmul_nt(B, D, G, dgate_sum, G, kernel, G, dx, T * D);
    return;
  }
  // dx[b, t] = dgates[s, b] kernel^T, written straight into [B, T, D] at the step's input time.
  for (int s = 0; s < T; s++) matmul_nt(B, D, G, gates + s * B * G, G, kernel, G, dx + input_step(flags, T, s) * D, T * D);
}

#endif
