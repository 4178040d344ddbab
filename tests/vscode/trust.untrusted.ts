// Runs in a second session whose folder is in restricted mode (workspace trust enabled, never
// granted): linting still works, training refuses and starts nothing.

import * as assert from 'node:assert/strict';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { activeApi, codeOf, runsOnDisk, waitForDiagnostics, workspaceRoot } from './support';

suite('untrusted workspace', () => {
  suiteSetup(async () => {
    await activeApi();
  });

  test('the folder is not trusted in this session', () => {
    assert.equal(vscode.workspace.isTrusted, false);
  });

  test('linting still works: the ReLU bottleneck is flagged', async () => {
    const uri = vscode.Uri.file(join(workspaceRoot(), 'relu-bottleneck.tsae.yaml'));
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    await waitForDiagnostics(uri, (ds) => ds.some((d) => codeOf(d) === 'TSAE101'), 'TSAE101');
  });

  test('tsae.train refuses: it returns no run and writes nothing', async function () {
    this.timeout(30_000);
    const root = workspaceRoot();
    const uri = vscode.Uri.file(join(root, 'tiny.tsae.yaml'));
    // executeCommand bypasses the command's `isWorkspaceTrusted` enablement, so this reaches the
    // extension's own check. Its refusal is an error notification that waits for an answer;
    // dismissing notifications lets the command return.
    let settled = false;
    const result = vscode.commands.executeCommand<unknown>('tsae.train', uri).then((value) => {
      settled = true;
      return value;
    });
    const deadline = Date.now() + 20_000;
    while (!settled && Date.now() < deadline) {
      await vscode.commands.executeCommand('notifications.clearAll');
      await new Promise((r) => setTimeout(r, 200));
    }
    assert.ok(settled, 'tsae.train did not return within 20 s in an untrusted workspace');
    assert.equal(await result, undefined, 'tsae.train returned a run summary in an untrusted workspace');
    assert.deepEqual(runsOnDisk(root), [], 'a run folder appeared in an untrusted workspace');
  });

  test('Train stays in the palette and the editor title, saying why it is disabled', async () => {
    const manifest = vscode.extensions.getExtension('tsae-lab.tsae')?.packageJSON as {
      contributes: { commands: Array<{ command: string; title: string; enablement?: string }>; menus: Record<string, Array<{ command: string; when?: string }>> };
    };
    const train = manifest.contributes.commands.find((c) => c.command === 'tsae.train');
    assert.equal(train?.enablement, undefined, 'an enablement clause would grey Train out without a word');
    const button = manifest.contributes.menus['editor/title'].find((m) => m.command === 'tsae.trainUntrusted');
    assert.match(button?.when ?? '', /!isWorkspaceTrusted/);
    assert.match(manifest.contributes.commands.find((c) => c.command === 'tsae.trainUntrusted')?.title ?? '', /not trusted/);
    const commands = new Set(await vscode.commands.getCommands(true));
    assert.ok(commands.has('tsae.trainUntrusted'));
    assert.equal(await vscode.commands.executeCommand('tsae.trainUntrusted'), undefined);
    await vscode.commands.executeCommand('notifications.clearAll');
  });
});
