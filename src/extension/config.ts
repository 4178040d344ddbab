// Typed, sanitised view of the `tsae.*` settings the language client needs (after vscode-eslint:
// the manifest declares them, this file reads them, the server receives one typed shape).

import * as vscode from 'vscode';
import { DEFAULT_MAX_MEMORY_MB } from '../core/model/memory';
import { DEFAULT_DEBOUNCE_MS, type TsaeServerOptions } from '../core/protocol/lsp';

const SECTION = 'tsae';

/** Settings the server reads once at start; changing one needs a server restart. */
const SERVER_RESTART_SETTINGS = ['tsae.lint.debounceMs'];

export function lintDebounceMs(): number {
  const raw = vscode.workspace.getConfiguration(SECTION).get<unknown>('lint.debounceMs');
  return typeof raw === 'number' && Number.isFinite(raw) && raw >= 0 ? raw : DEFAULT_DEBOUNCE_MS;
}

/** `tsae.training.maxMemoryMB`: training is refused when its memory estimate is above it. */
export function maxMemoryMB(): number {
  const raw = vscode.workspace.getConfiguration(SECTION).get<unknown>('training.maxMemoryMB');
  return typeof raw === 'number' && Number.isFinite(raw) && raw > 0 ? raw : DEFAULT_MAX_MEMORY_MB;
}

/** The `initializationOptions` sent to the server; read again on every (re)start. */
export function serverOptions(): TsaeServerOptions {
  return { debounceMs: lintDebounceMs(), trusted: vscode.workspace.isTrusted };
}

/** Calls `restart` after the user agrees, when a setting the server reads only at start changes. */
export function onServerSettingsChanged(restart: () => Promise<void>): vscode.Disposable {
  return vscode.workspace.onDidChangeConfiguration(async (event) => {
    if (!SERVER_RESTART_SETTINGS.some((setting) => event.affectsConfiguration(setting))) return;
    const choice = await vscode.window.showInformationMessage(
      'The TSAE language server must restart to apply the changed setting.',
      'Restart Now',
    );
    if (choice === 'Restart Now') await restart();
  });
}
