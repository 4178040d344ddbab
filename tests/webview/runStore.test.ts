import { afterEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { isRunData } from '../../src/core/protocol/webview';
import { RUN_FILES } from '../../src/core/run/types';
import { listRuns, parseMetrics, readRunData } from '../../src/extension/panels/runStore';
import { makeTempRunsDir, writeRun } from './fixtureRun';

const dirs: string[] = [];
function tempRuns(): string {
  const d = makeTempRunsDir();
  dirs.push(d);
  return d;
}
afterEach(() => {
  while (dirs.length > 0) fs.rmSync(dirs.pop()!, { recursive: true, force: true });
});

describe('run store', () => {
  test('reads a complete run folder into valid dashboard data', async () => {
    const runs = tempRuns();
    const written = writeRun(runs, '20260102-100000-relu');
    const data = await readRunData(written.runDir);
    assert.ok(data);
    assert.ok(isRunData(data));
    assert.deepEqual(data.summary, written.summary);
    assert.deepEqual(data.metrics, written.metrics);
    assert.equal(data.reconstructions?.windows.length, written.reconstructions.windows.length);
    assert.deepEqual(data.latents?.vectors, written.latents.vectors);
  });

  test('lists runs newest first and skips folders without a valid summary', async () => {
    const runs = tempRuns();
    writeRun(runs, '20260101-090000-old', { name: 'old', startedAt: '2026-01-01T09:00:00.000Z' });
    writeRun(runs, '20260103-090000-new', { name: 'new', startedAt: '2026-01-03T09:00:00.000Z' });
    writeRun(runs, '20260102-090000-mid', { name: 'mid', startedAt: '2026-01-02T09:00:00.000Z', status: 'failed' });
    fs.mkdirSync(path.join(runs, 'no-summary'));
    fs.mkdirSync(path.join(runs, 'bad-summary'));
    fs.writeFileSync(path.join(runs, 'bad-summary', RUN_FILES.summary), '{"status": "completed"}');
    fs.writeFileSync(path.join(runs, 'stray-file.txt'), 'x');
    const list = await listRuns(runs);
    assert.deepEqual(
      list.map((r) => r.name),
      ['new', 'mid', 'old'],
    );
    assert.equal(list[1].status, 'failed');
    assert.equal(list[0].findings, 1);
    assert.equal(list[0].reconstructionError !== null, true);
    assert.deepEqual(await listRuns(path.join(runs, 'missing')), []);
  });

  test('a half-written run (summary only, truncated metrics line) still opens', async () => {
    const runs = tempRuns();
    const { runDir, metrics } = writeRun(runs, 'partial', { status: 'running' });
    fs.rmSync(path.join(runDir, RUN_FILES.latents));
    fs.writeFileSync(path.join(runDir, RUN_FILES.reconstructions), '{"features": ["value"], "units": "orig');
    fs.appendFileSync(path.join(runDir, RUN_FILES.metrics), '{"epoch": 7, "loss": 0.');
    const data = await readRunData(runDir);
    assert.ok(data);
    assert.equal(data.metrics.length, metrics.length);
    assert.equal(data.reconstructions, null);
    assert.equal(data.latents, null);
    assert.equal(await readRunData(path.join(runs, 'nothing-here')), undefined);
  });

  test('a diverged epoch (loss written as null) comes back as NaN, not dropped', () => {
    const text = [
      '{"epoch":1,"loss":0.5,"valLoss":0.6,"lr":0.001,"seconds":1}',
      '{"epoch":2,"loss":null,"valLoss":null,"lr":0.001,"seconds":2}',
      '',
      'garbage',
      '{"epoch":"3"}',
    ].join('\n');
    const metrics = parseMetrics(text);
    assert.equal(metrics.length, 2);
    assert.ok(Number.isNaN(metrics[1].loss));
    assert.equal(metrics[1].valLoss, null);
  });
});
