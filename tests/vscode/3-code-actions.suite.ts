// Quick fixes through VS Code's own code-action API: the fix's WorkspaceEdit is applied to the
// editor buffer and the language server re-lints the edited text until the finding is gone.

import * as assert from 'node:assert/strict';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { activeApi, codeOf, waitForDiagnostics, workspaceRoot } from './support';

async function codeActionsAt(uri: vscode.Uri, range: vscode.Range): Promise<(vscode.CodeAction | vscode.Command)[]> {
  return (await vscode.commands.executeCommand<(vscode.CodeAction | vscode.Command)[]>('vscode.executeCodeActionProvider', uri, range, vscode.CodeActionKind.QuickFix.value)) ?? [];
}

/**
 * Quick fixes whose edit rewrites the diagnostic's text. (The command's results do not carry the
 * actions' `diagnostics`, so the edit's range is what ties a fix to its finding.)
 */
function fixesFor(actions: (vscode.CodeAction | vscode.Command)[], uri: vscode.Uri, diagnostic: vscode.Diagnostic): vscode.CodeAction[] {
  return actions.filter(
    (a): a is vscode.CodeAction =>
      'kind' in a &&
      a.kind !== undefined &&
      vscode.CodeActionKind.QuickFix.contains(a.kind) &&
      (a.edit?.get(uri) ?? []).some((edit) => edit.range.intersection(diagnostic.range) !== undefined),
  );
}

function describeActions(actions: (vscode.CodeAction | vscode.Command)[]): string {
  return JSON.stringify(actions.map((a) => ('kind' in a ? { title: a.title, kind: a.kind?.value, codes: a.diagnostics?.map(codeOf), hasEdit: !!a.edit } : { command: a.command })));
}

suite('code actions', () => {
  suiteSetup(async () => {
    await activeApi();
  });

  test('the TSAE101 quick fix replaces the ReLU bottleneck and the finding disappears', async () => {
    const uri = vscode.Uri.file(join(workspaceRoot(), 'relu-bottleneck.tsae.yaml'));
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc);
    const [relu] = await waitForDiagnostics(uri, (ds) => ds.some((d) => codeOf(d) === 'TSAE101'), 'TSAE101').then((ds) => ds.filter((d) => codeOf(d) === 'TSAE101'));
    assert.equal(doc.getText(relu.range), 'relu', 'TSAE101 should underline the activation value');

    const actions = await codeActionsAt(uri, relu.range);
    const fixes = fixesFor(actions, uri, relu);
    assert.ok(fixes.length > 0, `no quick fix offered for TSAE101; code actions at its range: ${describeActions(actions)}`);
    const fix = fixes.find((f) => f.isPreferred) ?? fixes[0];
    assert.ok(await vscode.workspace.applyEdit(fix.edit!), `applying "${fix.title}" failed`);
    assert.doesNotMatch(doc.lineAt(relu.range.start.line).text, /\brelu\b/, 'the edit left relu on the activation line');

    await waitForDiagnostics(uri, (ds) => !ds.some((d) => codeOf(d) === 'TSAE101'), 'TSAE101 to disappear after the fix');
    // Leave the file as it was on disk for the suites that follow.
    await vscode.commands.executeCommand('workbench.action.files.revert');
  });
});
