#!/bin/sh
# Builds the fused recurrent kernels: src/core/model/fused/{lstm_kernel.c, gru_kernel.c} (with
# kernel_math.h and kernel_layer.h, which both include) -> one module, lstm_kernel.wasm
# (committed; the name is older than the GRU). Debian clang + lld, no emscripten and no libc. The output is
# deterministic: no debug info, no paths, no timestamps, files in a fixed order, so
# tests/fused/wasm-build.test.ts can rebuild and compare the bytes.
# Usage: scripts/build-wasm.sh [output.wasm]   (default: next to the sources)
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
dir="$root/src/core/model/fused"
out="${1:-$dir/lstm_kernel.wasm}"
CLANG="${CLANG:-clang}"

"$CLANG" --target=wasm32 -O3 -msimd128 -ffreestanding -nostdlib -fno-ident \
  -Wall -Wextra -Werror -Wno-unused-parameter \
  -Wl,--no-entry -Wl,--export-dynamic -Wl,--strip-all -Wl,--export=__heap_base \
  -Wl,--initial-memory=1048576 \
  -o "$out" "$dir/lstm_kernel.c" "$dir/gru_kernel.c"
