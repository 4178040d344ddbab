// Runs in a second session whose folder is in restricted mode (workspace trust enabled, never
// granted): linting still works, training refuses.

import * as assert from 'node:assert/strict';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { activeApi, codeOf, runsOnDisk, waitForDiagnostics, workspaceRoot } from './support';

suite('untrusted workspace', () => {
  test('the folder is not trusted in this session', () => {
    assert.equal(vscode.workspace.isTrusted, false);
  });

  test('linting still works: the ReLU bottleneck is flagged', async () => {
    await activeApi();
    const uri = vscode.Uri.file(join(workspaceRoot(), 'relu-bottleneck.tsae.yaml'));
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    await waitForDiagnostics(uri, (ds) => ds.some((d) => codeOf(d) === 'TSAE101'), 'TSAE101');
  });

  test('tsae.train refuses and writes no run', async () => {
    await activeApi();
    const root = workspaceRoot();
    const uri = vscode.Uri.file(join(root, 'tiny.tsae.yaml'));
    // The command's enablement is isWorkspaceTrusted; executeCommand bypasses enablement, so this
    // checks the extension's own refusal too.
    let refused = false;
    try {
      await vscode.commands.executeCommand('tsae.train', uri);
    } catch {
      refused = true;
    }
    // Whether it throws or returns, nothing may run: no run folder appears within the time a tiny run starts.
    const deadline = Date.now() + 5_000;
    while (Date.now() < deadline) {
      assert.equal(runsOnDisk(root).length, 0, 'a run folder appeared in an untrusted workspace');
      await new Promise((r) => setTimeout(r, 250));
    }
    assert.ok(refused || runsOnDisk(root).length === 0);
  });
});
