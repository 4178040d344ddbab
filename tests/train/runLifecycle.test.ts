// Run lifecycle (issue 11 item 4): a run folder records its owner process, and the one core
// reader (readRunStatus) shows a run whose owner is gone as `interrupted` with its last epoch,
// lists a folder that holds only a temp summary, and removes temp files of dead writers. Atomic
// writes remove their temp file on every failure path (a full disk is simulated by an injected
// writer that fails with ENOSPC). Real processes stand in for dead owners: a child that ran and
// exited leaves a pid that no longer exists.

import { afterEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { writeFileAtomic, type AtomicWriteFs } from '../../src/core/run/atomicWrite';
import { currentOwner, HEARTBEAT_STALE_MS, processStartTicks } from '../../src/core/run/owner';
import { createRunFolder, discardUnstartedRunFolder, startingSummary } from '../../src/core/run/createFolder';
import { RunFolder } from '../../src/core/run/runFolder';
import { validateRunFolder } from '../../src/core/run/validate';
import { listRunStatuses, markRunEnded, readRunStatus, refreshHeartbeat } from '../../src/core/run/status';
import { RUN_FILES, type RunOwner, type RunSummary } from '../../src/core/run/types';
import { buildRun, writeRun } from '../webview/fixtureRun';

const dirs: string[] = [];
function tempRuns(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'tsae-lifecycle-'));
  dirs.push(d);
  return d;
}
afterEach(() => {
  while (dirs.length > 0) fs.rmSync(dirs.pop()!, { recursive: true, force: true });
});

/** The pid of a process that has exited (a child run to completion). */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', '0']);
  assert.equal(child.status, 0);
  return child.pid!;
}

function writeOwner(runDir: string, owner: RunOwner): void {
  fs.writeFileSync(path.join(runDir, RUN_FILES.owner), JSON.stringify(owner));
}

/** A run folder whose summary still says `running` after `epochs` epochs (metrics has one more). */
function runningRun(runsDir: string, name: string, epochs = 3): { runDir: string; summary: RunSummary } {
  const { runDir, summary } = writeRun(runsDir, name, { status: 'running', epochs: epochs + 1 });
  const behind = { ...summary, epochs };
  fs.writeFileSync(path.join(runDir, RUN_FILES.summary), JSON.stringify(behind));
  return { runDir, summary: behind };
}

const temps = (dir: string) =>
  fs
    .readdirSync(dir, { recursive: true })
    .map(String)
    .filter((f) => f.includes('.tmp-'));

describe('run status reader', () => {
  test('a running run whose owner process is gone reads as interrupted with its last epoch, and says so on disk', async () => {
    const runs = tempRuns();
    const { runDir } = runningRun(runs, '20260101-100000-killed', 3);
    const pid = deadPid();
    writeOwner(runDir, { ...currentOwner(), pid, processStartTicks: undefined });
    fs.writeFileSync(path.join(runDir, `${RUN_FILES.metrics}.tmp-${pid}-ab12cd34`), 'half');
    fs.mkdirSync(path.join(runDir, RUN_FILES.model));
    fs.writeFileSync(path.join(runDir, RUN_FILES.model, `weights.bin.tmp-${pid}-00ff00ff`), 'half');

    const report = await readRunStatus(runDir);
    assert.ok(report);
    assert.equal(report.status, 'interrupted');
    assert.equal(report.evidence, 'certain');
    assert.equal(report.recordedStatus, 'running');
    assert.equal(report.lastEpoch, 4, 'metrics.jsonl is one epoch ahead of the summary');
    assert.equal(report.summary.epochs, 4);
    assert.match(report.note ?? '', new RegExp(`interrupted after epoch 4: the training process \\(pid ${pid}\\) is gone`));
    assert.deepEqual(temps(runDir), [], 'temp files of the dead writer are removed');
    const onDisk = JSON.parse(fs.readFileSync(path.join(runDir, RUN_FILES.summary), 'utf8')) as RunSummary;
    assert.equal(onDisk.status, 'interrupted', 'a certain interruption is recorded in summary.json');
  });

  test('a running run owned by a live process reads as running and its temp files stay', async () => {
    const runs = tempRuns();
    const { runDir } = runningRun(runs, '20260101-100000-alive');
    writeOwner(runDir, currentOwner());
    const inFlight = `${RUN_FILES.summary}.tmp-${process.pid}-12345678`;
    fs.writeFileSync(path.join(runDir, inFlight), '{');
    const report = await readRunStatus(runDir);
    assert.equal(report?.status, 'running');
    assert.equal(report?.evidence, 'certain');
    assert.deepEqual(temps(runDir), [inFlight]);
  });

  test('a reused pid (same pid, later start) counts as gone', { skip: processStartTicks(process.pid) === undefined ? 'no /proc here' : false }, async () => {
    const runs = tempRuns();
    const { runDir } = runningRun(runs, '20260101-100000-reused');
    writeOwner(runDir, { ...currentOwner(), processStartTicks: '1' });
    const report = await readRunStatus(runDir);
    assert.equal(report?.status, 'interrupted');
    assert.match(report?.note ?? '', /pid now belongs to another process/);
  });

  test('a live owner that stopped its heartbeat long ago is a hypothesis, not written down', async () => {
    const runs = tempRuns();
    const { runDir } = runningRun(runs, '20260101-100000-stale');
    const now = Date.now();
    writeOwner(runDir, { ...currentOwner(), heartbeatAt: new Date(now - HEARTBEAT_STALE_MS - 60_000).toISOString() });
    const report = await readRunStatus(runDir, { now });
    assert.equal(report?.status, 'interrupted');
    assert.equal(report?.evidence, 'hypothesis');
    assert.match(report?.note ?? '', /alive but stopped refreshing/);
    const onDisk = JSON.parse(fs.readFileSync(path.join(runDir, RUN_FILES.summary), 'utf8')) as RunSummary;
    assert.equal(onDisk.status, 'running');

    await refreshHeartbeat(runDir, new Date(now));
    assert.equal((await readRunStatus(runDir, { now }))?.status, 'running', 'a fresh heartbeat makes it running again');
  });

  test('a run owned by another host cannot be checked and stays running (unverified)', async () => {
    const runs = tempRuns();
    const { runDir } = runningRun(runs, '20260101-100000-remote');
    writeOwner(runDir, { ...currentOwner(), hostname: `not-${os.hostname()}`, pid: deadPid() });
    const report = await readRunStatus(runDir);
    assert.equal(report?.status, 'running');
    assert.equal(report?.evidence, 'unverified');
    assert.match(report?.note ?? '', /another host/);
  });

  test('finished runs keep their status whatever their owner', async () => {
    const runs = tempRuns();
    for (const status of ['completed', 'cancelled', 'failed'] as const) {
      const { runDir } = writeRun(runs, `20260101-10000${status.length}-${status}`, { status });
      writeOwner(runDir, { ...currentOwner(), pid: deadPid() });
      assert.equal((await readRunStatus(runDir))?.status, status);
    }
  });

  test('a folder holding only a temp summary of a dead writer is listed as interrupted, then tidied', async () => {
    const runs = tempRuns();
    const pid = deadPid();
    const complete = path.join(runs, '20260102-080000-only-temp');
    fs.mkdirSync(complete);
    const { summary } = buildRun({ name: 'only-temp', status: 'running' });
    fs.writeFileSync(path.join(complete, `${RUN_FILES.summary}.tmp-${pid}-0badc0de`), JSON.stringify({ ...summary, epochs: 0 }));
    const empty = path.join(runs, '20260102-090000-empty-temp');
    fs.mkdirSync(empty);
    fs.writeFileSync(path.join(empty, `${RUN_FILES.summary}.tmp-${pid}-deadbeef`), '');
    fs.mkdirSync(path.join(runs, 'not-a-run'));

    const list = await listRunStatuses(runs);
    const byFolder = new Map(list.map((r) => [path.basename(r.runDir), r]));
    assert.deepEqual([...byFolder.keys()].sort(), ['20260102-080000-only-temp', '20260102-090000-empty-temp']);
    const [fromTemp, placeholder] = [byFolder.get('20260102-080000-only-temp')!, byFolder.get('20260102-090000-empty-temp')!];
    assert.equal(fromTemp.status, 'interrupted');
    assert.equal(fromTemp.summary.name, 'only-temp', 'the temp summary is read');
    assert.equal(placeholder.status, 'interrupted');
    assert.equal(placeholder.summary.name, 'empty-temp', 'a placeholder named after the folder');
    assert.match(placeholder.note ?? '', /before the run's summary was written/);
    for (const dir of [complete, empty]) {
      assert.deepEqual(temps(dir), [], `${dir}: temp files left`);
      assert.ok(fs.existsSync(path.join(dir, RUN_FILES.summary)), `${dir}: the summary is promoted`);
    }
    assert.deepEqual(
      (await listRunStatuses(runs)).map((r) => r.status),
      ['interrupted', 'interrupted'],
      'a second read agrees',
    );
  });

  test("staging folders are never listed; a dead creator's is removed", async () => {
    const runs = tempRuns();
    const dead = path.join(runs, `.staging-${deadPid()}-abcdef01`);
    const live = path.join(runs, `.staging-${process.pid}-abcdef02`);
    for (const d of [dead, live]) {
      fs.mkdirSync(d);
      fs.writeFileSync(path.join(d, RUN_FILES.summary), JSON.stringify(buildRun({ status: 'running' }).summary));
    }
    assert.deepEqual(await listRunStatuses(runs), []);
    assert.equal(fs.existsSync(dead), false);
    assert.equal(fs.existsSync(live), true);
  });

  test("the host marks a run whose worker it stopped, removing that worker's temp files", async () => {
    const runs = tempRuns();
    const { runDir } = runningRun(runs, '20260101-100000-host-killed', 2);
    writeOwner(runDir, currentOwner());
    fs.writeFileSync(path.join(runDir, `${RUN_FILES.metrics}.tmp-${process.pid}-01020304`), 'x');
    const summary = await markRunEnded(runDir, 'interrupted', 'training worker was killed');
    assert.equal(summary?.status, 'interrupted');
    assert.match(summary?.reason ?? '', /interrupted after epoch 3: training worker was killed/);
    assert.deepEqual(temps(runDir), []);
    assert.equal((await readRunStatus(runDir))?.status, 'interrupted');
  });
});

describe('a run stopped before training', () => {
  const starting = () => startingSummary({ name: 'early', configFile: '/w/early.tsae.yaml', startedAt: new Date(2026, 0, 1, 10), epochsPlanned: 5, configHash: 'x' });

  test('reads as interrupted before training once its owner is gone; eval and resume say it has no model, in one line', async () => {
    const runs = tempRuns();
    const runDir = await createRunFolder(runs, 'early', new Date(2026, 0, 1, 10), starting());
    assert.equal((await readRunStatus(runDir))?.status, 'running');
    assert.deepEqual(
      (await validateRunFolder(runDir, 'eval')).map((p) => p.message),
      ['the run is still loading its data and building its model: it has no model to score with yet'],
    );
    writeOwner(runDir, { ...currentOwner(), pid: deadPid(), processStartTicks: undefined } as RunOwner);
    const status = await readRunStatus(runDir);
    assert.equal(status?.status, 'interrupted');
    assert.match(status?.summary.reason ?? '', /^interrupted before training, while loading its data and building its model: the training process \(pid \d+\) is gone$/);
    for (const [use, thing] of [
      ['eval', 'model to score with'],
      ['resume', 'model to resume'],
      ['view', 'epochs or model to show'],
    ] as const) {
      const problems = await validateRunFolder(runDir, use);
      assert.equal(problems.length, 1, JSON.stringify(problems));
      assert.match(problems[0].message, new RegExp(`^the run stopped before training \\(interrupted before training.*\\): it has no ${thing}; train the config again$`));
    }
  });

  test('a folder is discarded only while it holds nothing but its starting files', async () => {
    const runs = tempRuns();
    const bare = await createRunFolder(runs, 'bare', new Date(2026, 0, 1, 10), starting());
    fs.writeFileSync(path.join(bare, `${RUN_FILES.summary}.tmp-${process.pid}-abcd1234`), '{');
    assert.equal(await discardUnstartedRunFolder(bare), true);
    assert.equal(fs.existsSync(bare), false);
    const started = await createRunFolder(runs, 'started', new Date(2026, 0, 1, 10), starting());
    fs.writeFileSync(path.join(started, RUN_FILES.config), '{}');
    assert.equal(await discardUnstartedRunFolder(started), false);
    assert.ok(fs.existsSync(path.join(started, RUN_FILES.summary)));
  });
});

describe('run folder creation and atomic writes', () => {
  test('a new run folder appears with its owner and first summary; same-second runs get suffixes; no staging left', async () => {
    const runs = tempRuns();
    const { summary } = buildRun({ name: 'twin', status: 'running' });
    const at = new Date(2026, 0, 2, 3, 4, 5);
    const a = await RunFolder.create(runs, 'twin', at, summary);
    const b = await RunFolder.create(runs, 'twin', at, summary);
    assert.deepEqual([path.basename(a.dir), path.basename(b.dir)], ['20260102-030405-twin', '20260102-030405-twin-2']);
    for (const f of [a, b]) assert.deepEqual(fs.readdirSync(f.dir).sort(), [RUN_FILES.owner, RUN_FILES.summary]);
    const owner = JSON.parse(fs.readFileSync(path.join(a.dir, RUN_FILES.owner), 'utf8')) as RunOwner;
    assert.equal(owner.pid, process.pid);
    assert.equal(owner.hostname, os.hostname());
    assert.deepEqual(fs.readdirSync(runs).sort(), ['20260102-030405-twin', '20260102-030405-twin-2']);
  });

  /** Node's file operations, with one step failing as on a full disk. */
  function failingFs(step: 'write' | 'sync' | 'rename'): AtomicWriteFs {
    const enospc = () => Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
    return {
      async open(file, flags) {
        const handle = await fs.promises.open(file, flags);
        return {
          async writeFile(data) {
            if (step === 'write') {
              await handle.writeFile(typeof data === 'string' ? data.slice(0, 3) : data.subarray(0, 3)); // a partial write first
              throw enospc();
            }
            await handle.writeFile(data);
          },
          async sync() {
            if (step === 'sync') throw enospc();
            await handle.sync();
          },
          close: () => handle.close(),
        };
      },
      rename: async (from, to) => {
        if (step === 'rename') throw enospc();
        await fs.promises.rename(from, to);
      },
      rm: (file, options) => fs.promises.rm(file, options),
    };
  }

  for (const step of ['write', 'sync', 'rename'] as const) {
    test(`a full disk during ${step} removes the temp file and keeps the previous file whole`, async () => {
      const dir = tempRuns();
      const file = path.join(dir, RUN_FILES.summary);
      await writeFileAtomic(file, '{"previous": true}');
      await assert.rejects(writeFileAtomic(file, '{"next": true}', failingFs(step)), /ENOSPC/);
      assert.deepEqual(fs.readdirSync(dir), [RUN_FILES.summary], 'no temp file holds the space');
      assert.equal(fs.readFileSync(file, 'utf8'), '{"previous": true}');
    });
  }
});
