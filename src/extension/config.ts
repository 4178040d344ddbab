// Typed, sanitised view of the `tsae.*` settings (after rust-analyzer's Config and vscode-eslint's
// readConfiguration): the manifest declares them, this class reads them, every getter reads the
// current value (never a copy taken at start), and the settings the server reads only at start
// are listed so a change prompts for a restart.

import * as vscode from 'vscode';
import { BACKEND_NAMES, isBackendName, type BackendName } from '../core/config/types';
import { DEFAULT_MAX_MEMORY_MB } from '../core/model/memory';
import { DEFAULT_DEBOUNCE_MS, type TsaeServerOptions } from '../core/protocol/lsp';

const SECTION = 'tsae';

/** Settings the server reads once at start; changing one needs a server restart. */
export const SERVER_RESTART_SETTINGS = ['tsae.lint.debounceMs'] as const;

/** A setting value that was ignored, and why (the caller logs it). */
export interface SettingProblem {
  setting: string;
  message: string;
}

/** The bound on trial time after a run: never more than a minute. */
const MAX_DIAGNOSIS_BUDGET_SECONDS = 60;

export class TsaeSettings {
  /** Called with each ignored (ill-typed) setting value; the context logs them. */
  constructor(private readonly report: (problem: SettingProblem) => void = () => undefined) {}

  private raw(key: string): unknown {
    return vscode.workspace.getConfiguration(SECTION).get<unknown>(key);
  }

  /** `tsae.lint.debounceMs`: delay between the last keystroke and the lint. */
  get lintDebounceMs(): number {
    const raw = this.raw('lint.debounceMs');
    return typeof raw === 'number' && Number.isFinite(raw) && raw >= 0 ? raw : DEFAULT_DEBOUNCE_MS;
  }

  /** `tsae.training.maxMemoryMB`: training is refused when its memory estimate is above it. */
  get maxMemoryMB(): number {
    const raw = this.raw('training.maxMemoryMB');
    return typeof raw === 'number' && Number.isFinite(raw) && raw > 0 ? raw : DEFAULT_MAX_MEMORY_MB;
  }

  /** `tsae.backend`; an unknown value is reported and read as `auto`. */
  get backend(): BackendName {
    const raw = this.raw('backend') ?? 'auto';
    if (isBackendName(raw)) return raw;
    this.report({ setting: 'tsae.backend', message: `ignoring tsae.backend = ${JSON.stringify(raw)}: expected one of ${BACKEND_NAMES.join(', ')}; using auto` });
    return 'auto';
  }

  /**
   * `tsae.diagnosis.budgetSeconds`: seconds of counterfactual trials after a run with findings;
   * undefined means about the run's own time (20-60 s), 0 turns the diagnosis off.
   */
  get diagnosisBudgetSeconds(): number | undefined {
    const raw = this.raw('diagnosis.budgetSeconds');
    return typeof raw === 'number' && Number.isFinite(raw) && raw >= 0 ? Math.min(raw, MAX_DIAGNOSIS_BUDGET_SECONDS) : undefined;
  }

  /** The `initializationOptions` sent to the server; read again on every (re)start. */
  serverOptions(): TsaeServerOptions {
    return { debounceMs: this.lintDebounceMs, trusted: vscode.workspace.isTrusted };
  }

  /** Calls `restart` after the user agrees, when a setting the server reads only at start changes. */
  onServerSettingsChanged(restart: () => Promise<void>): vscode.Disposable {
    return vscode.workspace.onDidChangeConfiguration(async (event) => {
      if (!SERVER_RESTART_SETTINGS.some((setting) => event.affectsConfiguration(setting))) return;
      const choice = await vscode.window.showInformationMessage('The TSAE language server must restart to apply the changed setting.', 'Restart Now');
      if (choice === 'Restart Now') await restart();
    });
  }
}
