// What the parent hands every trainer (TSAE children and the PyTorch reference): one folder per
// workload with the windows and the initial weights as raw little-endian float32, described by
// manifest.json. Raw float32 keeps both sides byte-identical and needs nothing but numpy.

import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RoleWeight } from './model';
import type { Windows, Workload } from './workloads';

export interface Manifest {
  workload: Workload;
  /** Number of windows in windows.f32, each [window, features]. */
  count: number;
  windowsFile: string;
  weightsFile: string;
  /** Weights in weights.f32, in order; offset and length in floats. */
  weights: Array<{ role: string; shape: number[]; offset: number; length: number }>;
}

export interface Prepared {
  manifest: Manifest;
  windows: Windows;
  weights: RoleWeight[];
}

const MANIFEST = 'manifest.json';

export function writePrepared(dir: string, workload: Workload, windows: Windows, weights: RoleWeight[]): void {
  mkdirSync(dir, { recursive: true });
  let offset = 0;
  const entries = weights.map((w) => {
    const entry = { role: w.role, shape: w.shape, offset, length: w.values.length };
    offset += w.values.length;
    return entry;
  });
  const all = new Float32Array(offset);
  weights.forEach((w, i) => all.set(w.values, entries[i].offset));
  const manifest: Manifest = { workload, count: windows.count, windowsFile: 'windows.f32', weightsFile: 'weights.f32', weights: entries };
  writeFileSync(join(dir, manifest.windowsFile), bytesOf(windows.values));
  writeFileSync(join(dir, manifest.weightsFile), bytesOf(all));
  writeFileSync(join(dir, MANIFEST), JSON.stringify(manifest, null, 2));
}

export function readPrepared(dir: string): Prepared {
  const manifest = JSON.parse(readFileSync(join(dir, MANIFEST), 'utf8')) as Manifest;
  const windows = floatsOf(readFileSync(join(dir, manifest.windowsFile)));
  const { window, features } = manifest.workload;
  if (windows.length !== manifest.count * window * features) {
    throw new Error(`${join(dir, manifest.windowsFile)}: ${windows.length} floats, expected ${manifest.count} x ${window} x ${features}`);
  }
  const all = floatsOf(readFileSync(join(dir, manifest.weightsFile)));
  const weights = manifest.weights.map((w) => ({ role: w.role, shape: w.shape, values: all.slice(w.offset, w.offset + w.length) }));
  return { manifest, windows: { count: manifest.count, values: windows }, weights };
}

function bytesOf(values: Float32Array): Buffer {
  return Buffer.from(values.buffer, values.byteOffset, values.byteLength);
}

function floatsOf(bytes: Buffer): Float32Array {
  // Copy into a fresh, aligned buffer: a Buffer from readFileSync may sit at any byte offset of a pool.
  const copy = new Uint8Array(bytes.byteLength);
  copy.set(bytes);
  return new Float32Array(copy.buffer);
}
