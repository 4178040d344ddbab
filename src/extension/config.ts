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

/**
 * `tsae.diagnosis.budgetSeconds`: seconds of counterfactual trials after a run with findings;
 * undefined means about the run's own time (20-60 s), 0 turns the diagnosis off.
 */
export function diagnosisBudgetSeconds(): number | undefined {
  const raw = vscode.workspace.getConfiguration(SECTION).get<unknown>('diagnosis.budgetSeconds');
  return typeof raw === 'number' && Number.isFinite(raw) && raw >= 0 ? Math.min(raw, MAX_DIAGNOSIS_BUDGET_SECONDS) : undefined;
}

/** The bound on trial time after a run: never more than a minute. */
const MAX_DIAGNOSIS_BUDGET_SECONDS = 60;

/** The `initializationOptions` sent to the server; read again on every (re)start. */
export function serverOptions(): TsaeServerOptions {
  return { debounceMs: lintDebounceMs() };
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
