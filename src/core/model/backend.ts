// Picks and initialises the tfjs backend. `auto` tries, in order: the fused WebAssembly LSTM/GRU
// kernel (./fused, on top of wasm), tfjs-node (`tensorflow`, optional, never bundled), plain
// wasm, and the pure-JS cpu backend. Each refusal is collected so the run can say plainly why
// it ended up where it did, e.g. "wasm (auto: fused kernel unavailable: ...; tfjs-node not installed)".

import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { TRAINING_BACKENDS, type BackendName, type TrainingBackend } from '../types';
import { activateFusedKernel, fusedFallbacks } from './fused';
import { installSummedTileGradient } from './tileGradient';
import { installTransposeFirstMatMul } from './wasmMatMul';
import { installCopyingTile } from './wasmTile';

export interface BackendChoice {
  backend: TrainingBackend;
  reason: string;
  /** Set when a forced backend could not start and cpu stands in: why the requested one could not. */
  requestedUnavailable?: string;
}

/**
 * The backend's reason, completed once the model is built: with the fused backend, which
 * layers the kernel could not take (bidirectional, dropout, stateful...) and so run on tfjs.
 */
export function reasonWithCoverage(choice: BackendChoice): string {
  if (choice.backend !== 'fused') return choice.reason;
  const fallbacks = fusedFallbacks();
  return fallbacks.length === 0 ? `${choice.reason}; every recurrent layer fused` : `${choice.reason}; on tfjs layers: ${fallbacks.join(', ')}`;
}

/**
 * Faster wasm kernels, installed each time the wasm backend becomes active: backward matMuls take
 * XNNPACK's fast path once their operands are transposed first, and RepeatVector's Tile becomes
 * block copies (the stock wasm Tile was 15-25 % of a fused step).
 */
function installFasterWasmKernels(): void {
  installTransposeFirstMatMul();
  installCopyingTile();
}

type Attempt = { ok: true; reason?: string } | { ok: false; reason: string };

export async function initBackend(requested: BackendName = 'auto'): Promise<BackendChoice> {
  // Silences tfjs's console advice to install tfjs-node and skips debug-mode checks.
  tf.enableProdMode();
  // RepeatVector's gradient in two kernels instead of two per time step, on every backend.
  installSummedTileGradient();
  const order: TrainingBackend[] = requested === 'auto' ? [...TRAINING_BACKENDS] : [requested];
  const refusals: string[] = [];
  for (const name of order) {
    const attempt = await tryBackend(name);
    if (attempt.ok) {
      const why = [...refusals, ...(attempt.reason ? [attempt.reason] : [])].join('; ');
      const reason = requested === 'auto' ? `auto${why ? `: ${why}` : ''}` : `requested${why ? `: ${why}` : ''}`;
      return { backend: name, reason };
    }
    refusals.push(attempt.reason);
  }
  // A forced backend that failed falls back to cpu, which always works, and says so.
  if (requested !== 'auto') {
    const cpu = await tryBackend('cpu');
    const why = refusals.join('; ');
    if (cpu.ok) return { backend: 'cpu', reason: `requested ${requested} unavailable (${why}), fell back to cpu`, requestedUnavailable: why };
  }
  throw new Error(`no tfjs backend could be initialised: ${refusals.join('; ')}`);
}

export function backendLine(choice: BackendChoice): string {
  return `backend: ${choice.backend} (${choice.reason})`;
}

async function tryBackend(name: TrainingBackend): Promise<Attempt> {
  switch (name) {
    case 'fused':
      return tryFused();
    case 'tensorflow':
      return tryTfjsNode();
    case 'wasm':
      return tryWasm();
    case 'cpu':
      return (await switchTo('cpu')) ? { ok: true } : { ok: false, reason: 'cpu backend failed to initialise' };
  }
}

async function tryFused(): Promise<Attempt> {
  const dir = wasmDir();
  if (dir === undefined) return { ok: false, reason: 'fused kernel unavailable: wasm binaries not found' };
  try {
    const refusal = await activateFusedKernel(dir);
    if (refusal !== undefined) return { ok: false, reason: `fused kernel unavailable: ${refusal}` };
  } catch (err) {
    return { ok: false, reason: `fused kernel unavailable: ${(err as Error).message}` };
  }
  if (tf.getBackend() !== 'wasm') return { ok: false, reason: `fused kernel unavailable: tfjs is on ${tf.getBackend()}, not wasm` };
  installFasterWasmKernels();
  return { ok: true };
}

async function tryTfjsNode(): Promise<Attempt> {
  try {
    // Optional native dependency: external in the bundle, loaded only if installed, so it
    // cannot be a static import.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    require('@tensorflow/tfjs-node');
  } catch {
    return { ok: false, reason: 'tfjs-node not installed' };
  }
  return (await switchTo('tensorflow')) ? { ok: true } : { ok: false, reason: 'tfjs-node installed but failed to initialise' };
}

async function tryWasm(): Promise<Attempt> {
  const dir = wasmDir();
  if (dir === undefined) return { ok: false, reason: 'wasm binaries not found' };
  setWasmPaths(dir + path.sep);
  if (!(await switchTo('wasm'))) return { ok: false, reason: `wasm backend failed to initialise (tfjs is on ${tf.getBackend()})` };
  installFasterWasmKernels();
  return { ok: true };
}

/** setBackend can resolve true and still leave another backend active (wasm falls back silently). */
async function switchTo(name: string): Promise<boolean> {
  try {
    const ok = await tf.setBackend(name);
    await tf.ready();
    return ok && tf.getBackend() === name;
  } catch {
    return false;
  }
}

/**
 * Folder holding tfjs-backend-wasm's .wasm files: `wasm/` next to the bundle (esbuild copies
 * them to dist/wasm), else the package's own dist folder when running unbundled (tests).
 */
export function wasmDir(): string | undefined {
  const probe = 'tfjs-backend-wasm-simd.wasm';
  const candidates = [path.join(__dirname, 'wasm')];
  const packageDist = (dir: string) => path.join(dir, 'node_modules', '@tensorflow', 'tfjs-backend-wasm', 'dist');
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    candidates.push(packageDist(dir));
    if (path.dirname(dir) === dir) break;
  }
  // Compiled tests may live outside the repo (tsc --outDir elsewhere); they run from its root.
  candidates.push(packageDist(process.cwd()));
  return candidates.find((c) => fs.existsSync(path.join(c, probe)));
}
