// `TSAE: Train Autoencoder` end to end in the extension host: the command trains in the worker and
// resolves with the run's summary, which is also on disk under .tsae/runs; cancelling a long run
// ends it early with status cancelled.

import * as assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { basename, join } from 'node:path';
import * as vscode from 'vscode';
import type { RunSummary } from '../../src/core/run/types';
import { activeApi, runsOnDisk, waitFor, workspaceRoot } from './support';

function train(uri: vscode.Uri): Thenable<RunSummary | undefined> {
  return vscode.commands.executeCommand<RunSummary | undefined>('tsae.train', uri);
}

suite('training', () => {
  suiteSetup(async () => {
    await activeApi();
  });

  test('tsae.train on a 2-epoch config completes and writes its run folder', async function () {
    this.timeout(120_000);
    const root = workspaceRoot();
    const before = new Set(runsOnDisk(root).map((r) => r.dir));
    const uri = vscode.Uri.file(join(root, 'tiny.tsae.yaml'));
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));

    const summary = await train(uri);
    assert.ok(summary, 'tsae.train returned no summary (refused, or failed before writing one; see the TSAE output)');
    assert.equal(summary.status, 'completed', `run ended ${summary.status}: ${summary.reason ?? ''}`);
    assert.equal(summary.epochs, 2);
    assert.ok(summary.trainLoss !== null && Number.isFinite(summary.trainLoss), `trainLoss is ${summary.trainLoss}`);

    const created = runsOnDisk(root).filter((r) => !before.has(r.dir));
    assert.equal(created.length, 1, `expected one new run folder, found ${created.map((r) => basename(r.dir)).join(', ') || 'none'}`);
    const [run] = created;
    assert.equal(run.summary?.status, 'completed', `${run.dir}/summary.json says ${run.summary?.status}`);
    assert.equal(run.epochsLogged, 2, 'metrics.jsonl should hold one line per epoch');
  });

  test('tsae.cancelTraining stops a long run and its summary says cancelled', async function () {
    this.timeout(120_000);
    const root = workspaceRoot();
    const before = new Set(runsOnDisk(root).map((r) => r.dir));
    const uri = vscode.Uri.file(join(root, 'slow.tsae.yaml'));
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));

    const finished = train(uri);
    // Cancel once an epoch is on disk, so the cancel reaches a worker that is really training.
    const started = await waitFor(() => runsOnDisk(root).find((r) => !before.has(r.dir) && r.epochsLogged >= 1), 'slow.tsae.yaml to finish its first epoch', 60_000);
    await vscode.commands.executeCommand('tsae.cancelTraining');
    const summary = await finished;
    assert.ok(summary, 'tsae.train returned no summary after the cancel');
    assert.equal(summary.status, 'cancelled', `run ended ${summary.status}: ${summary.reason ?? ''}`);
    assert.ok(summary.epochs < 500, `ran all ${summary.epochs} epochs despite the cancel`);
    const onDisk = runsOnDisk(root).find((r) => r.dir === started.dir);
    assert.equal(onDisk?.summary?.status, 'cancelled', `${started.dir}/summary.json says ${onDisk?.summary?.status}`);

    // tsae.resumeRun continues the cancelled run in its folder, here for one more epoch.
    const resumed = await vscode.commands.executeCommand<RunSummary | undefined>('tsae.resumeRun', started.dir, { epochs: summary.epochs + 1 });
    assert.ok(resumed, 'tsae.resumeRun returned no summary (see the TSAE output)');
    assert.equal(resumed.status, 'completed', `resumed run ended ${resumed.status}: ${resumed.reason ?? ''}`);
    assert.equal(resumed.epochs, summary.epochs + 1);
    assert.deepEqual(
      resumed.resumes?.map((r) => r.fromEpoch),
      [summary.epochs],
    );
    const after = runsOnDisk(root).filter((r) => !before.has(r.dir));
    assert.deepEqual(
      after.map((r) => r.dir),
      [started.dir],
      'resumed in the same folder',
    );
    assert.equal(after[0].epochsLogged, summary.epochs + 1);
  });

  test('tsae.resumeRun and tsae.deleteRun refuse what is not a stopped run folder', async function () {
    this.timeout(60_000);
    const root = workspaceRoot();
    const completed = runsOnDisk(root).find((r) => r.summary?.status === 'completed');
    assert.ok(completed, 'the first test left a completed run');
    assert.equal(await vscode.commands.executeCommand('tsae.resumeRun', completed.dir), undefined, 'a completed run is not resumed');
    assert.equal(await vscode.commands.executeCommand('tsae.resumeRun', 'relative/path'), undefined);
    // A folder that is not a run is never deleted, and no confirmation is asked.
    assert.equal(await vscode.commands.executeCommand('tsae.deleteRun', root), false);
    assert.equal(await vscode.commands.executeCommand('tsae.deleteRun', join(root, 'tiny.tsae.yaml')), false);
    assert.ok(existsSync(join(root, 'tiny.tsae.yaml')) && existsSync(completed.dir));
  });
});
