// The committed kernel binary must be what its C sources (lstm_kernel.c, gru_kernel.c,
// kernel_math.h and kernel_layer.h) build to, so a reviewer of the C is reviewing what ships.
// Contributors without clang still build the extension from the binary.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = join(__dirname, '..', '..', '..');

function hasWasmToolchain(): boolean {
  try {
    execFileSync('clang', ['--version'], { stdio: 'ignore' });
    execFileSync('wasm-ld', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

test('lstm_kernel.wasm is byte-identical to a fresh build of the LSTM and GRU kernel sources', (t) => {
  if (!hasWasmToolchain()) {
    t.skip('clang/wasm-ld not installed (apt-get install clang lld); the committed binary was not re-verified');
    return;
  }
  const out = join(mkdtempSync(join(tmpdir(), 'tsae-wasm-')), 'lstm_kernel.wasm');
  execFileSync('sh', [join(root, 'scripts', 'build-wasm.sh'), out], { stdio: 'inherit' });
  const committed = readFileSync(join(root, 'src', 'core', 'model', 'fused', 'lstm_kernel.wasm'));
  assert.ok(readFileSync(out).equals(committed), 'src/core/model/fused/lstm_kernel.wasm is stale: run scripts/build-wasm.sh and commit the result');
});
