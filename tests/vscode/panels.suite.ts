// The run panels in a real extension host: training opens the run's dashboard, "TSAE: Open Run"
// reveals one panel per run, "TSAE: Compare Runs" opens a before/after panel, and the side panel's
// container opens. What the pages draw is checked in Chromium by tests/webview/browser.test.ts.

import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import * as vscode from 'vscode';
import type { RunSummary } from '../../src/core/run/types';
import { activeApi, codeOf, runsOnDisk, waitFor, waitForDiagnostics, workspaceRoot } from './support';

/** Titles of the open webview tabs of the dashboard's view type. */
function dashboardTabs(): string[] {
  return vscode.window.tabGroups.all
    .flatMap((g) => g.tabs)
    .filter((t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.endsWith('tsae.dashboard'))
    .map((t) => t.label);
}

suite('panels', () => {
  let runDir: string;

  suiteSetup(async function () {
    this.timeout(120_000);
    await activeApi();
    const root = workspaceRoot();
    const before = new Set(runsOnDisk(root).map((r) => r.dir));
    const uri = vscode.Uri.file(join(root, 'tiny.tsae.yaml'));
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    const summary = await vscode.commands.executeCommand<RunSummary | undefined>('tsae.train', uri);
    assert.equal(summary?.status, 'completed', `training tiny.tsae.yaml ended ${summary?.status}: ${summary?.reason ?? ''}`);
    const created = runsOnDisk(root).find((r) => !before.has(r.dir));
    assert.ok(created, 'training left no run folder');
    runDir = created.dir;
  });

  suiteTeardown(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  test('training opened the dashboard of its run', async () => {
    const title = `TSAE: ${basename(runDir)}`;
    await waitFor(() => (dashboardTabs().includes(title) ? true : undefined), `a dashboard tab "${title}" (open: ${dashboardTabs().join(', ')})`, 10_000);
  });

  test('tsae.openRun with a run folder reveals its dashboard, one panel per run', async () => {
    const title = `TSAE: ${basename(runDir)}`;
    await vscode.commands.executeCommand('tsae.openRun', runDir);
    await vscode.commands.executeCommand('tsae.openRun', vscode.Uri.file(runDir));
    await waitFor(() => (dashboardTabs().includes(title) ? true : undefined), `a dashboard tab "${title}"`, 10_000);
    assert.equal(dashboardTabs().filter((t) => t === title).length, 1, `tabs: ${dashboardTabs().join(', ')}`);
  });

  test('tsae.compareRuns with two run folders opens a before/after panel', async () => {
    // A second run: the same artifacts under a later folder name (the panel only reads them).
    const copy = `${runDir}-copy`;
    cpSync(runDir, copy, { recursive: true });
    await vscode.commands.executeCommand('tsae.compareRuns', runDir, copy);
    const title = `TSAE: ${basename(runDir)} → ${basename(copy)}`;
    await waitFor(() => (dashboardTabs().includes(title) ? true : undefined), `a comparison tab "${title}" (open: ${dashboardTabs().join(', ')})`, 10_000);
  });

  test('tsae.compareRuns with three run folders opens the comparison panel', async () => {
    const copies = [`${runDir}-c1`, `${runDir}-c2`];
    for (const c of copies) cpSync(runDir, c, { recursive: true });
    await vscode.commands.executeCommand('tsae.compareRuns', [runDir, ...copies]);
    const compareTabs = () =>
      vscode.window.tabGroups.all
        .flatMap((g) => g.tabs)
        .filter((t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.endsWith('tsae.compare'))
        .map((t) => t.label);
    await waitFor(() => (compareTabs().includes('Compare 3 runs') ? true : undefined), `a "Compare 3 runs" tab (open: ${compareTabs().join(', ')})`, 10_000);
  });

  test('the runs view opens in the TSAE container', async () => {
    await vscode.commands.executeCommand('workbench.view.extension.tsae');
    await vscode.commands.executeCommand('tsae.runs.focus');
  });
});

suite("panels: apply a run finding's fix and retrain", () => {
  const configText = `# Written by the panels suite: a ReLU bottleneck whose run "found" dead units.
name: panels-relu
data:
  path: data/art_daily_small_noise-head.csv
  timestamp: timestamp
windowing:
  length: 24
  stride: 4
preprocessing:
  scaling: standard
model:
  encoder:
    - units: 8
  latent:
    size: 3
    activation: relu
  decoder:
    - units: 8
training:
  epochs: 2
`;

  suiteTeardown(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  test('the quick fix lands in the config, a new run trains and opens compared with the old one', async function () {
    this.timeout(120_000);
    const api = (await activeApi()) as unknown as { ctx: { publishRunEvent(e: unknown): void } };
    const root = workspaceRoot();
    const configFile = join(root, 'panels-relu.tsae.yaml');
    writeFileSync(configFile, configText);
    // A finished run of that exact text with a dead-unit finding, as the worker would leave it.
    const oldRunDir = join(root, '.tsae', 'runs', '20200101-000000-panels-relu');
    const summary = fixtureSummary(configFile, createHash('sha256').update(configText, 'utf8').digest('hex'));
    mkdirSync(oldRunDir, { recursive: true });
    writeFileSync(join(oldRunDir, 'summary.json'), JSON.stringify(summary));
    writeFileSync(join(oldRunDir, 'metrics.jsonl'), '{"epoch":1,"loss":0.9,"valLoss":1,"lr":0.001,"seconds":1}\n');
    const uri = vscode.Uri.file(configFile);
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    // The forwarder hands the finished run's findings to the language server, which shows them in the config.
    api.ctx.publishRunEvent({ configFile, runDir: oldRunDir, event: { type: 'finished', runDir: oldRunDir, summary } });
    await waitForDiagnostics(uri, (ds) => ds.some((d) => codeOf(d) === 'TSAE202'), 'the run finding TSAE202');

    const before = new Set(runsOnDisk(root).map((r) => r.dir));
    const outcome = await vscode.commands.executeCommand<{ ok: boolean; text: string }>('tsae.applyRunFix', oldRunDir, 'TSAE202', 'model.latent.activation');
    assert.ok(outcome?.ok, `apply fix failed: ${outcome?.text}`);
    assert.match(readFileSync(configFile, 'utf8'), /activation: tanh/);

    const fresh = await waitFor(
      () => runsOnDisk(root).find((r) => !before.has(r.dir) && r.summary !== undefined && r.summary.status !== 'running'),
      'the retrained run to finish',
      90_000,
    );
    assert.equal(fresh.summary?.status, 'completed', `retrained run ended ${fresh.summary?.status}: ${fresh.summary?.reason ?? ''}`);
    const title = `TSAE: ${basename(oldRunDir)} → ${basename(fresh.dir)}`;
    await waitFor(() => (dashboardTabs().includes(title) ? true : undefined), `a comparison tab "${title}" (open: ${dashboardTabs().join(', ')})`, 10_000);
  });

  test('a finding the run does not have is refused with a reason', async () => {
    const outcome = await vscode.commands.executeCommand<{ ok: boolean; text: string }>(
      'tsae.applyRunFix',
      join(workspaceRoot(), '.tsae', 'runs', 'nope'),
      'TSAE202',
      'model.latent.activation',
    );
    assert.equal(outcome?.ok, false);
    assert.match(outcome?.text ?? '', /No finding TSAE202/);
  });
});

function fixtureSummary(configFile: string, configHash: string): RunSummary {
  return {
    status: 'completed',
    name: 'panels-relu',
    configFile,
    startedAt: '2020-01-01T00:00:00.000Z',
    backend: 'cpu',
    backendReason: 'fixture',
    epochs: 1,
    trainLoss: 0.9,
    valLoss: 1,
    seconds: 1,
    windows: { train: 10, validation: 2, heldOut: 0 },
    parameters: 100,
    compressionRatio: 8,
    configHash,
    findings: [
      {
        code: 'TSAE202',
        severity: 'warning',
        message: '2 of 3 latent units are 0 for every window (dead ReLU).',
        configPath: 'model.latent.activation',
        fix: { title: "Set model.latent.activation to 'tanh'", safety: 'unsafe', changes: [{ path: 'model.latent.activation', value: 'tanh' }] },
      },
    ],
  };
}
