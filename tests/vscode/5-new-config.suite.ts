// "TSAE: New Config from Data File...": from a data file in the workspace to a config that is
// open in the editor, lints without a finding and trains.

import * as assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { RunSummary } from '../../src/core/run/types';
import { activeApi, tsaeDiagnostics, waitFor, workspaceRoot } from './support';

interface NewConfigResult {
  configFile: string;
  choices: { window: number; stride: number; latent: number; epochs: number };
}

suite('new config from a data file', () => {
  suiteSetup(async () => {
    await activeApi();
  });

  test('writes a commented config for the CSV, opens it, and it lints clean and trains', async function () {
    this.timeout(120_000);
    const root = workspaceRoot();
    const data = vscode.Uri.file(join(root, 'data', 'art_daily_small_noise-head.csv'));
    const configFile = join(root, 'from-data.tsae.yaml');
    const result = await vscode.commands.executeCommand<NewConfigResult | undefined>('tsae.newConfigFromData', data, { configFile, noTrainOffer: true });
    assert.ok(result, 'the command returned nothing (see the TSAE output)');
    assert.equal(result.configFile, configFile);
    assert.ok(existsSync(configFile), `${configFile} was not written`);
    const text = readFileSync(configFile, 'utf8');
    assert.match(text, /^ {2}path: data\/art_daily_small_noise-head\.csv$/m);
    assert.match(text, /^ {2}timestamp: timestamp$/m);
    assert.equal(vscode.window.activeTextEditor?.document.uri.fsPath, configFile, 'the new config is not the active editor');

    const uri = vscode.Uri.file(configFile);
    // The server lints on open; wait until it has published for this document, then expect nothing.
    await waitFor(() => (vscode.languages.getDiagnostics().some(([u]) => u.toString() === uri.toString()) ? true : undefined), 'diagnostics for the new config', 30_000);
    assert.deepEqual(
      tsaeDiagnostics(uri).map((d) => `${String(d.code)} ${d.message}`),
      [],
    );

    const summary = await vscode.commands.executeCommand<RunSummary | undefined>('tsae.train', uri, { epochs: 2 });
    assert.ok(summary, 'tsae.train returned no summary');
    assert.equal(summary.status, 'completed', `run ended ${summary.status}: ${summary.reason ?? ''}`);
  });

  test('a data file that is not a time series is refused with its name, and nothing is written', async () => {
    const root = workspaceRoot();
    const notData = vscode.Uri.file(join(root, 'data', 'README.md'));
    const configFile = join(root, 'not-data.tsae.yaml');
    const result = await vscode.commands.executeCommand<NewConfigResult | undefined>('tsae.newConfigFromData', notData, { configFile, noTrainOffer: true });
    assert.equal(result, undefined);
    assert.equal(existsSync(configFile), false);
    await vscode.commands.executeCommand('notifications.clearAll');
  });
});
