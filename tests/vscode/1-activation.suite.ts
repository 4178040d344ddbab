// The extension as VS Code loads it: activates on the workspace's *.tsae.* files, hands back its API
// and starts the language server over stdio.

import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { State } from 'vscode-languageclient/node';
import { activeApi, EXTENSION_ID } from './support';

suite('activation', () => {
  test('activates for a workspace with *.tsae.* configs and exports { ctx, client }', async () => {
    const api = await activeApi();
    assert.ok(vscode.extensions.getExtension(EXTENSION_ID)?.isActive, 'extension is not active');
    assert.equal(typeof api.ctx.runsDirFor, 'function', 'api.ctx is not the TsaeContext');
    assert.ok(api.client, 'api.client is undefined');
  });

  test('the language client is running', async () => {
    const api = await activeApi();
    assert.equal(api.client?.state, State.Running, `client state is ${api.client?.state}, not Running (${State.Running})`);
  });

  test('registers every command the manifest contributes (one table, one loop)', async () => {
    await activeApi();
    const commands = new Set(await vscode.commands.getCommands(true));
    const manifest = vscode.extensions.getExtension(EXTENSION_ID)?.packageJSON as { contributes: { commands: Array<{ command: string }> } };
    const contributed = manifest.contributes.commands.map((c) => c.command);
    assert.ok(contributed.length >= 10, `only ${contributed.length} commands in the manifest`);
    for (const id of [...contributed, 'tsae.applyRunFix']) assert.ok(commands.has(id), `command ${id} is not registered`);
  });

  test('settings are read live: a changed tsae.training.maxMemoryMB is seen without a reload', async () => {
    const api = (await activeApi()) as unknown as { ctx: { settings: { maxMemoryMB: number } } };
    const config = vscode.workspace.getConfiguration('tsae');
    const before = api.ctx.settings.maxMemoryMB;
    await config.update('training.maxMemoryMB', 1234, vscode.ConfigurationTarget.Workspace);
    try {
      assert.equal(api.ctx.settings.maxMemoryMB, 1234);
    } finally {
      await config.update('training.maxMemoryMB', undefined, vscode.ConfigurationTarget.Workspace);
    }
    assert.equal(api.ctx.settings.maxMemoryMB, before);
  });

  test('opens *.tsae.yaml files in the tsae-yaml language', async () => {
    const [file] = await vscode.workspace.findFiles('tiny.tsae.yaml');
    assert.ok(file, 'tiny.tsae.yaml not found in the test workspace');
    const doc = await vscode.workspace.openTextDocument(file);
    assert.equal(doc.languageId, 'tsae-yaml');
  });
});
