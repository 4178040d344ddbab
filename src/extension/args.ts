// Command arguments come from anywhere (keybindings, tests, webview buttons, other extensions):
// each command keeps only what is well typed.

import * as path from 'node:path';
import * as vscode from 'vscode';

/** An absolute folder path or a file Uri; anything else (typed by a keybinding, a stale webview) is refused. */
export function runFolderArg(value: unknown): string | undefined {
  if (value instanceof vscode.Uri && value.scheme === 'file') return value.fsPath;
  if (typeof value === 'string' && path.isAbsolute(value)) return path.normalize(value);
  return undefined;
}
