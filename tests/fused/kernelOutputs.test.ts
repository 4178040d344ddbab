// bench/kernelOutputs.ts is what says a rebuilt kernel binary computes the same floats as the
// committed one: it must find a difference of one bit in one buffer, name where, and find none
// between two instances of the same binary.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { compareKernelOutputs, type ComparedKernel, type ComparedWorkspace } from '../../bench/kernelOutputs';
import { findKernelFile, LstmKernel } from '../../src/core/model/fused/lstmKernel';

const SHAPES = [
  [1, 1, 1, 1],
  [3, 5, 2, 6],
] as const;

async function freshKernel(): Promise<LstmKernel> {
  const file = findKernelFile();
  assert.ok(file !== undefined, 'lstm_kernel.wasm not found');
  return LstmKernel.fromBytes(readFileSync(file));
}

test('two instances of the same binary agree on every buffer of every configuration', async () => {
  const r = compareKernelOutputs(await freshKernel(), await freshKernel(), SHAPES);
  // Two cells x two shapes x 2^5 flag combinations.
  assert.equal(r.configurations, 2 * 2 * 32);
  assert.ok(r.floats > 0);
  assert.deepEqual(r.differing, []);
});

test('one flipped bit in the GRU bias gradient is found in every GRU configuration and nowhere else', async () => {
  const real = await freshKernel();
  const flipped: ComparedKernel = {
    createWorkspace: () => real.createWorkspace(),
    createGruWorkspace: (): ComparedWorkspace => {
      const ws = real.createGruWorkspace();
      return {
        forward: (d, f, inputs) => ws.forward(d, f, inputs),
        backward: (generation, dy) => {
          const grads = ws.backward(generation, dy);
          const bits = new Uint32Array(grads.dbias.buffer, grads.dbias.byteOffset, grads.dbias.length);
          bits[bits.length - 1] ^= 1;
          return grads;
        },
      };
    },
  };
  const r = compareKernelOutputs(await freshKernel(), flipped, SHAPES);
  assert.equal(r.differing.length, 2 * 32);
  assert.ok(
    r.differing.every((line) => line.startsWith('gru ') && line.endsWith(': dbias')),
    r.differing.slice(0, 3).join('\n'),
  );
});
