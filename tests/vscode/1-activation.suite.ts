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

  test('registers the TSAE commands', async () => {
    await activeApi();
    const commands = new Set(await vscode.commands.getCommands(true));
    for (const id of ['tsae.train', 'tsae.cancelTraining', 'tsae.restartServer', 'tsae.showOutput']) {
      assert.ok(commands.has(id), `command ${id} is not registered`);
    }
  });

  test('opens *.tsae.yaml files in the tsae-yaml language', async () => {
    const [file] = await vscode.workspace.findFiles('tiny.tsae.yaml');
    assert.ok(file, 'tiny.tsae.yaml not found in the test workspace');
    const doc = await vscode.workspace.openTextDocument(file);
    assert.equal(doc.languageId, 'tsae-yaml');
  });
});
