// Commands on Python models: "TSAE: Open as TSAE Config" writes a *.tsae.yaml beside the active
// Python file or notebook with what the Python front end could read (each value naming its line,
// each unknown marked) and opens it, so the model can be trained and diagnosed here.

import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { describePython } from '../core/python/describe';
import { parseTolerant } from '../core/python/lint';
import { blankIpythonLines } from '../core/python/notebook';
import { initPythonParser } from '../core/python/parser';
import { configPathFor, configYamlFromPython } from '../core/python/toConfig';
import type { TsaeContext } from './ctx';

/** The Python text of the active editor or notebook (code cells joined, IPython lines blanked), and its file. */
function activePython(uri: vscode.Uri | undefined): { text: string; file: vscode.Uri } | undefined {
  const notebook = vscode.window.activeNotebookEditor?.notebook;
  if (notebook && (!uri || notebook.uri.toString() === uri.toString())) {
    const cells = notebook.getCells().filter((cell) => cell.kind === vscode.NotebookCellKind.Code && cell.document.languageId === 'python');
    return { text: cells.map((cell) => blankIpythonLines(cell.document.getText())).join('\n'), file: notebook.uri };
  }
  const editor = vscode.window.activeTextEditor;
  const document = uri ? vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString()) : editor?.document;
  if (!document || document.languageId !== 'python') return undefined;
  return { text: document.getText(), file: document.uri };
}

export async function openAsConfig(ctx: TsaeContext, uri?: vscode.Uri): Promise<vscode.Uri | undefined> {
  const source = activePython(uri);
  if (!source) {
    void vscode.window.showWarningMessage('TSAE: open a Python file or a Jupyter notebook with a Keras or PyTorch model first.');
    return undefined;
  }
  if (source.file.scheme !== 'file') {
    void vscode.window.showWarningMessage('TSAE: save the file first; the config is written beside it.');
    return undefined;
  }
  await initPythonParser({ dirs: [ctx.extension.asAbsolutePath('dist/wasm')] });
  const tree = parseTolerant(source.text);
  let yaml: string;
  let framework: string | undefined;
  try {
    const description = describePython(tree.rootNode);
    framework = description.framework;
    yaml = configYamlFromPython(description, source.file.fsPath);
  } finally {
    tree.delete();
  }
  if (!framework) {
    void vscode.window.showWarningMessage(`TSAE: no Keras or PyTorch model found in ${vscode.workspace.asRelativePath(source.file)}.`);
    return undefined;
  }
  const target = vscode.Uri.file(configPathFor(source.file.fsPath, (file) => fs.existsSync(file)));
  await vscode.workspace.fs.writeFile(target, Buffer.from(yaml, 'utf8'));
  ctx.output.info(`wrote ${target.fsPath} from ${source.file.fsPath}`);
  await vscode.window.showTextDocument(target);
  return target;
}
