#!/bin/sh
# Builds the fused LSTM kernel: src/core/model/fused/lstm_kernel.c -> lstm_kernel.wasm (committed).
# Debian clang + lld, no emscripten and no libc. The output is deterministic: no debug info, no
# paths, no timestamps, so tests/fused/wasm-build.test.ts can rebuild and compare the bytes.
# Usage: scripts/build-wasm.sh [output.wasm]   (default: next to the source)
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
src="$root/src/core/model/fused/lstm_kernel.c"
out="${1:-$root/src/core/model/fused/lstm_kernel.wasm}"
CLANG="${CLANG:-clang}"

"$CLANG" --target=wasm32 -O3 -msimd128 -ffreestanding -nostdlib -fno-ident \
  -Wall -Wextra -Werror -Wno-unused-parameter \
  -Wl,--no-entry -Wl,--export-dynamic -Wl,--strip-all -Wl,--export=__heap_base \
  -Wl,--initial-memory=1048576 \
  -o "$out" "$src"
