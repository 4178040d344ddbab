// Issue 11's "done when" for run lifecycle: a real `tsae train` (dist/cli.js, training in the
// real worker on the bundled art_daily data) is killed with SIGKILL at 20 moments drawn from a
// seeded generator over the length of an uninterrupted run. Afterwards every run folder must
// read, through the core reader, as completed or interrupted, and no temp file or staging folder
// may be left. No timing is asserted: the moments only spread the kills over a run's phases
// (start-up, folder creation, epochs, checkpoints, final artifacts).

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createRng } from '../../src/core/data/random';
import { listRunStatuses } from '../../src/core/run/status';
import { DATA_DIR, DIST_DIR, tempDir, writeConfig } from '../train/helpers';

const CLI = path.join(DIST_DIR, 'cli.js');
const KILLS = 20;
const SEED = 11;

function tinyConfig(): Record<string, unknown> {
  return {
    name: 'kill-me',
    data: { path: path.join(DATA_DIR, 'art_daily_small_noise.csv'), timestamp: 'timestamp', maxRows: 480 },
    windowing: { length: 12, stride: 6 },
    model: { encoder: [{ units: 4 }], latent: { size: 2, activation: 'tanh' }, decoder: [{ units: 4 }] },
    training: { epochs: 4, batchSize: 16, learningRate: 0.01, seed: 1 },
  };
}

interface Outcome {
  ms: number;
  /** When the run folder was announced (ms after spawn). */
  folderMs?: number;
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** Runs `tsae train`; with `killAfterMs`, SIGKILLs it then. Resolves once the process is gone. */
function train(config: string, out: string, killAfterMs?: number): Promise<Outcome> {
  return new Promise((resolve) => {
    const started = Date.now();
    const child = spawn(process.execPath, [CLI, 'train', config, '--out', out, '--backend', 'cpu'], { stdio: ['ignore', 'pipe', 'ignore'] });
    let folderMs: number | undefined;
    child.stdout.setEncoding('utf8').on('data', (text: string) => {
      if (folderMs === undefined && text.includes('run folder:')) folderMs = Date.now() - started;
    });
    const timer = killAfterMs === undefined ? undefined : setTimeout(() => child.kill('SIGKILL'), killAfterMs);
    child.on('exit', (code, signal) => {
      if (timer) clearTimeout(timer);
      resolve({ ms: Date.now() - started, code, signal, ...(folderMs !== undefined ? { folderMs } : {}) });
    });
  });
}

function leftovers(dir: string): string[] {
  return fs
    .readdirSync(dir, { recursive: true })
    .map(String)
    .filter((f) => f.includes('.tmp-') || path.basename(f).startsWith('.staging-'));
}

describe('tsae train killed at random moments', { skip: fs.existsSync(CLI) ? false : 'dist/cli.js missing: run npm run build' }, () => {
  test(`${KILLS} SIGKILLs leave only completed or interrupted runs and no temp files`, async () => {
    const config = writeConfig(tinyConfig());
    const out = tempDir('tsae-kill-runs-');

    // One whole run gives the span the kill moments are spread over: most of them after start-up
    // (loading tfjs and the data), where the run folder is created and written.
    const whole = await train(config, out);
    assert.equal(whole.code, 0, 'the uninterrupted run completes');
    const from = 0.7 * (whole.folderMs ?? 0);
    const rng = createRng(SEED);
    const moments = Array.from({ length: KILLS }, () => Math.round(from + rng() * (whole.ms - from) * 1.05));
    const outcomes: string[] = [];
    // Two at a time (each run is mostly one thread), in the same order every time.
    for (let i = 0; i < KILLS; i += 2) {
      const pair = await Promise.all(moments.slice(i, i + 2).map((at) => train(config, out, at)));
      pair.forEach((r, j) => outcomes.push(`${moments[i + j]} ms: ${r.signal ?? `exit ${r.code}`}`));
    }

    const beforeReading = leftovers(out);
    const runs = await listRunStatuses(out);
    const byStatus = new Map<string, number>();
    for (const r of runs) byStatus.set(r.status, (byStatus.get(r.status) ?? 0) + 1);
    console.log(`kill moments (run ${whole.ms} ms, folder at ${whole.folderMs} ms): ${outcomes.join('; ')}`);
    console.log(
      `${fs.readdirSync(out).length} entries in the runs folder, ${runs.length} runs: ${[...byStatus].map(([s, n]) => `${n} ${s}`).join(', ')}; ${beforeReading.length} temp files/staging folders of dead processes before the reader tidied`,
    );

    const bad = runs.filter((r) => r.status !== 'completed' && r.status !== 'interrupted');
    assert.deepEqual(
      bad.map((r) => `${path.basename(r.runDir)}: ${r.status} (${r.note ?? ''})`),
      [],
    );
    assert.ok((byStatus.get('interrupted') ?? 0) > 0, 'some kills landed during training');
    assert.deepEqual(leftovers(out), [], 'temp files or staging folders left after reading');
    // Every folder under the runs folder is a run the reader lists (none vanished).
    assert.deepEqual(fs.readdirSync(out).sort(), runs.map((r) => path.basename(r.runDir)).sort());
    for (const r of runs.filter((x) => x.status === 'interrupted')) {
      assert.match(r.summary.reason ?? '', /^interrupted after epoch \d+: /);
      assert.equal(r.summary.epochs, r.lastEpoch);
    }
  });
});
