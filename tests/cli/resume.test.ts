// `tsae train --resume RUN_DIR`: a real run killed (SIGKILL) or cancelled (SIGINT) mid-training
// is continued in its folder from its last checkpoint to its planned epochs; runs that cannot be
// continued are refused saying why. Everything through the real dist/cli.js.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { readRunStatus } from '../../src/core/run/status';
import type { EpochMetrics, RunOwner, RunSummary } from '../../src/core/run/types';
import { DATA_DIR, DIST_DIR, tempDir, writeConfig } from '../train/helpers';

const CLI = path.join(DIST_DIR, 'cli.js');
const EPOCHS = 6;

function configFor(dataFile: string, name: string): string {
  return writeConfig({
    name,
    data: { path: dataFile, timestamp: 'timestamp', maxRows: 400 },
    windowing: { length: 12, stride: 6 },
    model: { encoder: [{ units: 4 }], latent: { size: 2, activation: 'tanh' }, decoder: [{ units: 4 }] },
    training: { epochs: EPOCHS, batchSize: 16, learningRate: 0.01 },
  });
}

/** Starts `tsae train --json`; sends `signal` once the JSON line for epoch `atEpoch` is out. Resolves with the run folder. */
function trainAndStop(config: string, out: string, signal: NodeJS.Signals, atEpoch: number): Promise<{ runDir: string; code: number | null }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, 'train', config, '--json', '--backend', 'cpu', '--out', out], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let runDir = '';
    let sent = false;
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      stdout += d;
      for (const line of stdout.split('\n').slice(0, -1)) {
        const e = JSON.parse(line) as { type: string; runDir?: string; epoch?: number };
        if (e.type === 'started') runDir = e.runDir!;
        if (!sent && e.type === 'epoch' && e.epoch === atEpoch) {
          sent = true;
          child.kill(signal);
        }
      }
    });
    child.stderr.resume();
    child.on('exit', (code) => (runDir ? resolve({ runDir, code }) : reject(new Error(`no run folder announced; stdout: ${stdout}`))));
  });
}

function tsae(args: string[]) {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const lastJson = (stdout: string) => JSON.parse(stdout.trim().split('\n').pop()!) as RunSummary & { runDir: string; type: string; message?: string };
const metricsOf = (runDir: string) =>
  fs
    .readFileSync(path.join(runDir, 'metrics.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as EpochMetrics);

describe('tsae train --resume', { skip: fs.existsSync(CLI) ? false : 'dist/cli.js missing: run npm run build' }, () => {
  // The epoch event goes out before that epoch's checkpoint is saved: a kill right after the
  // event for epoch N leaves the checkpoint of epoch N - 1 or N.
  test('a run killed by SIGKILL after epoch 2 is interrupted, and resumes in its folder to its planned epochs', async () => {
    const out = tempDir('tsae-resume-');
    const { runDir } = await trainAndStop(configFor(path.join(DATA_DIR, 'art_daily_small_noise.csv'), 'resume-kill'), out, 'SIGKILL', 2);
    const before = await readRunStatus(runDir);
    assert.equal(before?.status, 'interrupted');
    const checkpoint = (JSON.parse(fs.readFileSync(path.join(runDir, 'model', 'model.json'), 'utf8')) as { userDefinedMetadata: { tsaeEpoch: number } }).userDefinedMetadata
      .tsaeEpoch;
    assert.ok(checkpoint >= 1 && checkpoint < EPOCHS, `checkpoint epoch ${checkpoint}`);

    const r = tsae(['train', '--resume', runDir, '--json', '--backend', 'cpu']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, new RegExp(`resuming .* after epoch ${checkpoint} of ${EPOCHS}; the optimizer's state`));
    const summary = lastJson(r.stdout);
    assert.equal(summary.runDir, runDir, 'the same folder');
    assert.equal(summary.status, 'completed');
    assert.equal(summary.epochs, EPOCHS);
    assert.deepEqual(
      summary.resumes?.map((x) => x.fromEpoch),
      [checkpoint],
    );
    const epochsRun = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { type: string; epoch?: number })
      .filter((e) => e.type === 'epoch')
      .map((e) => e.epoch);
    assert.deepEqual(
      epochsRun,
      Array.from({ length: EPOCHS - checkpoint }, (_, i) => checkpoint + 1 + i),
      'only the remaining epochs train',
    );
    assert.deepEqual(
      metricsOf(runDir).map((m) => m.epoch),
      [1, 2, 3, 4, 5, 6],
      'one continuous history (epochs past the checkpoint are trained again)',
    );
    const owner = JSON.parse(fs.readFileSync(path.join(runDir, 'owner.json'), 'utf8')) as RunOwner;
    assert.notEqual(owner.pid, process.pid);
    assert.equal((await readRunStatus(runDir))?.status, 'completed');
    assert.deepEqual(fs.readdirSync(out), [path.basename(runDir)], 'no second folder');

    const again = tsae(['train', '--resume', runDir]);
    assert.equal(again.code, 1);
    assert.match(again.stderr, /the run completed; there is nothing to resume/);
  });

  test('a cancelled run (SIGINT) resumes; more epochs can be asked for', async () => {
    const out = tempDir('tsae-resume-');
    const { runDir, code } = await trainAndStop(configFor(path.join(DATA_DIR, 'art_daily_small_noise.csv'), 'resume-cancel'), out, 'SIGINT', 1);
    assert.equal(code, 130);
    const stopped = await readRunStatus(runDir);
    assert.equal(stopped?.status, 'cancelled');
    const r = tsae(['train', '--resume', runDir, '--json', '--backend', 'cpu', '--epochs', String(EPOCHS + 2)]);
    assert.equal(r.code, 0, r.stderr);
    const summary = lastJson(r.stdout);
    assert.equal(summary.epochs, EPOCHS + 2);
    assert.equal(summary.epochsPlanned, EPOCHS + 2);
  });

  test('refusals say why: data changed since, no trained epoch, CONFIG given too', async () => {
    const dir = tempDir('tsae-resume-data-');
    const data = path.join(dir, 'series.csv');
    fs.copyFileSync(path.join(DATA_DIR, 'art_daily_small_noise.csv'), data);
    const { runDir } = await trainAndStop(configFor(data, 'resume-changed'), path.join(dir, 'runs'), 'SIGKILL', 2);
    const lines = fs.readFileSync(data, 'utf8').split('\n');
    lines[5] = lines[5].replace(/,[^,]+$/, ',999');
    fs.writeFileSync(data, lines.join('\n'));
    const changed = tsae(['train', '--resume', runDir, '--backend', 'cpu']);
    assert.equal(changed.code, 1);
    assert.match(changed.stderr, /scaler\.json: the data scales differently now than when the run started/);
    assert.equal((await readRunStatus(runDir))?.status, 'interrupted', 'a refused resume leaves the run as it was');

    const early = path.join(tempDir('tsae-resume-early-'), '20260101-000000-early');
    fs.cpSync(runDir, early, { recursive: true });
    fs.rmSync(path.join(early, 'model'), { recursive: true });
    const noModel = tsae(['train', '--resume', early]);
    assert.equal(noModel.code, 1);
    assert.match(noModel.stderr, /model\.json: is missing: the run saved no model/);

    const both = tsae(['train', 'x.tsae.yaml', '--resume', runDir]);
    assert.equal(both.code, 2);
    assert.match(both.stderr, /--resume continues a run with the config it used/);
  });
});
