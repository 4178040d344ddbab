// Switches tfjs to the stock wasm backend without TSAE's activation hooks, so kernel tests can
// install and uninstall their replacements themselves.
import assert from 'node:assert/strict';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { wasmDir } from '../../src/core/model/backend';

export async function switchToStockWasm(): Promise<void> {
  const dir = wasmDir();
  assert.ok(dir, 'tfjs-backend-wasm binaries not found');
  setWasmPaths(dir + path.sep);
  assert.equal(await tf.setBackend('wasm'), true);
  await tf.ready();
  assert.equal(tf.getBackend(), 'wasm');
}
