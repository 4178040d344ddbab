// "TSAE: Export as PyTorch Script": writes the PyTorch training script for the active config
// beside it (config name with .py, never over an existing file) and opens it.

import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { ExportError, pytorchScript } from '../core/export/pytorch';
import { loadConfigFile } from '../core/lint';
import type { TsaeContext } from './ctx';

export async function exportPytorch(ctx: TsaeContext, uri?: vscode.Uri): Promise<vscode.Uri | undefined> {
  const target = uri ?? vscode.window.activeTextEditor?.document.uri;
  if (!target || target.scheme !== 'file' || !/\.tsae\.(ya?ml|json)$/i.test(target.fsPath)) {
    void vscode.window.showWarningMessage('TSAE: open a saved *.tsae.yaml or *.tsae.json config to export it.');
    return undefined;
  }
  const { resolved, findings } = loadConfigFile(target.fsPath);
  if (!resolved) {
    const first = findings.find((f) => f.severity === 'error');
    void vscode.window.showErrorMessage(`TSAE: the config cannot be loaded${first ? `: line ${first.range.start.line + 1}: ${first.message}` : ''}`);
    return undefined;
  }
  let script: string;
  try {
    script = pytorchScript(resolved);
  } catch (error) {
    if (!(error instanceof ExportError)) throw error;
    void vscode.window.showErrorMessage(`TSAE: ${error.message}`);
    return undefined;
  }
  const stem = target.fsPath.replace(/(\.tsae)?\.(ya?ml|json)$/i, '');
  let file = `${stem}.py`;
  for (let n = 2; fs.existsSync(file); n++) file = `${stem}-${n}.py`;
  const out = vscode.Uri.file(file);
  await vscode.workspace.fs.writeFile(out, Buffer.from(script, 'utf8'));
  ctx.output.info(`wrote ${out.fsPath} from ${target.fsPath}`);
  await vscode.window.showTextDocument(out);
  return out;
}
