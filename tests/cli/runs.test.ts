// `tsae runs` through the real dist/cli.js on a runs folder holding every kind of run: finished
// ones, one whose process is gone (interrupted), one whose process lives (this test: running),
// and one that holds only a temp summary.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { currentOwner } from '../../src/core/run/owner';
import { RUN_FILES } from '../../src/core/run/types';
import { DIST_DIR, tempDir } from '../train/helpers';
import { buildRun, writeRun } from '../webview/fixtureRun';

const CLI = path.join(DIST_DIR, 'cli.js');

function tsae(args: string[], cwd?: string) {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', ...(cwd ? { cwd } : {}) });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function deadPid(): number {
  return spawnSync(process.execPath, ['-e', '0']).pid!;
}

/** A workspace with .tsae/runs holding one run of each kind. */
function workspace(): { root: string; runs: string } {
  const root = tempDir('tsae-runs-cli-');
  const runs = path.join(root, '.tsae', 'runs');
  writeRun(runs, '20260101-090000-done', { name: 'done', status: 'completed', startedAt: '2026-01-01T09:00:00.000Z' });
  writeRun(runs, '20260101-100000-stopped', { name: 'stopped', status: 'cancelled', startedAt: '2026-01-01T10:00:00.000Z' });
  const killed = writeRun(runs, '20260101-110000-killed', { name: 'killed', status: 'running', epochs: 4, startedAt: '2026-01-01T11:00:00.000Z' });
  fs.writeFileSync(path.join(killed.runDir, RUN_FILES.owner), JSON.stringify({ ...currentOwner(), pid: deadPid(), processStartTicks: undefined }));
  const alive = writeRun(runs, '20260101-120000-alive', { name: 'alive', status: 'running', startedAt: '2026-01-01T12:00:00.000Z' });
  fs.writeFileSync(path.join(alive.runDir, RUN_FILES.owner), JSON.stringify(currentOwner()));
  const temp = path.join(runs, '20260101-130000-temp-only');
  fs.mkdirSync(temp);
  fs.writeFileSync(
    path.join(temp, `${RUN_FILES.summary}.tmp-${deadPid()}-abcdef12`),
    JSON.stringify({ ...buildRun({ name: 'temp-only', status: 'running' }).summary, startedAt: '2026-01-01T13:00:00.000Z' }),
  );
  return { root, runs };
}

describe('tsae runs', { skip: fs.existsSync(CLI) ? false : 'dist/cli.js missing: run npm run build' }, () => {
  test('--json lists every run newest first with the judged status, from a workspace folder', () => {
    const { root, runs } = workspace();
    const r = tsae(['runs', root, '--json']);
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout) as {
      runsDir: string;
      runs: Array<{ name: string; status: string; recordedStatus?: string; lastEpoch: number; note?: string; findings: string[] }>;
    };
    assert.equal(out.runsDir, runs);
    assert.deepEqual(
      out.runs.map((x) => [x.name, x.status]),
      [
        ['temp-only', 'interrupted'],
        ['alive', 'running'],
        ['killed', 'interrupted'],
        ['stopped', 'cancelled'],
        ['done', 'completed'],
      ],
    );
    const killed = out.runs[2];
    assert.equal(killed.recordedStatus, 'running');
    assert.equal(killed.lastEpoch, 4);
    assert.match(killed.note ?? '', /^interrupted after epoch 4: the training process \(pid \d+\) is gone/);
    assert.deepEqual(out.runs[4].findings, ['TSAE202']);
    assert.deepEqual(fs.readdirSync(path.join(runs, '20260101-130000-temp-only')), [RUN_FILES.summary], 'the temp summary was promoted');
  });

  test('the table shows status, epochs and figures, with the reason under an interrupted run', () => {
    const { runs } = workspace();
    const r = tsae(['runs'], path.dirname(path.dirname(runs)));
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.split('\n');
    assert.equal(lines[0], runs);
    assert.match(lines[1], /^STATUS\s+STARTED\s+DURATION\s+EPOCHS\s+LOSS\s+VAL\s+ERROR\s+AUC\s+FINDINGS\s+RUN$/);
    const killedRow = lines.findIndex((l) => l.endsWith('20260101-110000-killed'));
    assert.match(lines[killedRow], /^interrupted\s+2026-01-01 \d\d:00\s+[\d.]+ s\s+4\s+/);
    assert.match(lines[killedRow + 1], /^ {2}interrupted after epoch 4: the training process/);
    assert.match(r.stdout, /^completed .*TSAE202\s+20260101-090000-done$/m);
  });

  test('an empty or missing folder', () => {
    const empty = tempDir('tsae-runs-empty-');
    const r = tsae(['runs', empty]);
    assert.equal(r.code, 0);
    assert.equal(r.stdout, `no runs in ${empty}\n`);
    const missing = tsae(['runs', path.join(empty, 'nope')]);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /nope: no such folder/);
    assert.equal(tsae(['runs', '--bogus']).code, 2);
  });
});
