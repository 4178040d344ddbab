// "Show rule documentation": the rule pages ship with the extension (docs/rules/TSAE*.md) and open
// in the markdown preview, so a finding's link works offline and matches the installed version.

import * as vscode from 'vscode';
import { isRuleCode } from '../core/protocol/webview';
import type { TsaeContext } from './ctx';

/** Opens the page of `code`; without a code (the command palette) asks which rule. */
export async function showRuleDocs(ctx: TsaeContext, given: unknown): Promise<boolean> {
  const code = given === undefined ? await pickRule(ctx) : given;
  if (code === undefined) return false;
  if (!isRuleCode(code)) {
    void vscode.window.showErrorMessage(`TSAE: ${String(code)} is not a TSAE rule code.`);
    return false;
  }
  const page = vscode.Uri.joinPath(ctx.extension.extensionUri, 'docs', 'rules', `${code}.md`);
  try {
    await vscode.workspace.fs.stat(page);
  } catch {
    void vscode.window.showErrorMessage(`TSAE: no documentation page for ${code} in this version.`);
    return false;
  }
  await vscode.commands.executeCommand('markdown.showPreview', page);
  return true;
}

async function pickRule(ctx: TsaeContext): Promise<string | undefined> {
  const folder = vscode.Uri.joinPath(ctx.extension.extensionUri, 'docs', 'rules');
  let entries: [string, vscode.FileType][] = [];
  try {
    entries = await vscode.workspace.fs.readDirectory(folder);
  } catch {
    // No docs shipped: the error below says so.
  }
  const codes = entries
    .map(([name]) => name.replace(/\.md$/, ''))
    .filter(isRuleCode)
    .sort();
  if (codes.length === 0) {
    void vscode.window.showErrorMessage('TSAE: the rule documentation is missing from this installation.');
    return undefined;
  }
  return vscode.window.showQuickPick(codes, { placeHolder: 'Show the documentation of which rule?' });
}
