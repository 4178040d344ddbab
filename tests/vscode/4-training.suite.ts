// `TSAE: Train Autoencoder` end to end in the extension host: the command starts a worker, the run
// folder appears under .tsae/runs and its summary says completed; cancelling a long run says cancelled.

import * as assert from 'node:assert/strict';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { activeApi, runsOnDisk, waitFor, workspaceRoot } from './support';

function newRunOf(root: string, before: Set<string>, configName: string, done: (status: string) => boolean) {
  return runsOnDisk(root).find((r) => !before.has(r.dir) && r.summary.configFile.endsWith(configName) && done(r.summary.status));
}

suite('training', () => {
  suiteSetup(async () => {
    await activeApi();
  });

  test('tsae.train on a 2-epoch config writes a completed run', async function () {
    this.timeout(120_000);
    const root = workspaceRoot();
    const before = new Set(runsOnDisk(root).map((r) => r.dir));
    const uri = vscode.Uri.file(join(root, 'tiny.tsae.yaml'));
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    await vscode.commands.executeCommand('tsae.train', uri);
    const run = await waitFor(
      () => newRunOf(root, before, 'tiny.tsae.yaml', (s) => s !== 'running'),
      'a finished run of tiny.tsae.yaml in .tsae/runs',
      100_000,
    );
    assert.equal(run.summary.status, 'completed', `run ended ${run.summary.status}: ${run.summary.reason ?? ''}`);
    assert.equal(run.summary.epochs, 2);
    assert.ok(Number.isFinite(run.summary.trainLoss), `trainLoss is ${run.summary.trainLoss}`);
  });

  test('tsae.cancelTraining stops a long run and its summary says cancelled', async function () {
    this.timeout(120_000);
    const root = workspaceRoot();
    const before = new Set(runsOnDisk(root).map((r) => r.dir));
    const uri = vscode.Uri.file(join(root, 'slow.tsae.yaml'));
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    void vscode.commands.executeCommand('tsae.train', uri);
    // Cancel once the run exists and is training, so the cancel reaches a live worker.
    await waitFor(() => newRunOf(root, before, 'slow.tsae.yaml', (s) => s === 'running'), 'slow.tsae.yaml to start running', 60_000);
    await vscode.commands.executeCommand('tsae.cancelTraining');
    const run = await waitFor(
      () => newRunOf(root, before, 'slow.tsae.yaml', (s) => s !== 'running'),
      'the cancelled run to finish',
      60_000,
    );
    assert.equal(run.summary.status, 'cancelled', `run ended ${run.summary.status}: ${run.summary.reason ?? ''}`);
    assert.ok(run.summary.epochs < 500, `ran all ${run.summary.epochs} epochs despite the cancel`);
  });
});
