// The command table (after rust-analyzer's main.ts/commands.ts): each `tsae.<name>` command is a
// factory taking the context. A command that cannot work right now (training in an untrusted
// folder) has a disabled form that says why, instead of vanishing from the palette; one loop
// registers them all and picks the form at call time, so granting trust needs no reload.

import * as vscode from 'vscode';
import type { TsaeContext } from './ctx';
import { createConfigFromData } from './newConfig';
import { applyRunFix, compareRuns, openRun } from './panels/index';
import { openAsConfig } from './pythonCommands';
import { exportPytorch } from './exportCommand';
import { deleteRun, resumeRun } from './runCommands';
import { openTimeline, scoreData } from './scoring';
import { showRuleDocs } from './ruleDocs';
import { cancelTraining, trainCommand } from './training';
import { refuseUntrusted } from './trust';

type Handler = (...args: unknown[]) => unknown;

export interface CommandFactory {
  enabled(ctx: TsaeContext): Handler;
  /** When `available` says no, `handler` runs instead of the enabled form. */
  disabled?: { available(ctx: TsaeContext): boolean; handler(ctx: TsaeContext): Handler };
}

/** The disabled form of commands that train: they say why and offer to manage trust. */
function needsTrust(what: string): NonNullable<CommandFactory['disabled']> {
  return {
    available: () => vscode.workspace.isTrusted,
    handler: (ctx) => () => {
      refuseUntrusted(ctx, what);
      return undefined;
    },
  };
}

export const COMMANDS: Readonly<Record<string, CommandFactory>> = {
  train: { enabled: (ctx) => (uri, options) => trainCommand(ctx, uri, options), disabled: needsTrust('Training') },
  // The editor-title button shown instead of Train in an untrusted folder: its title says why; a click offers to manage trust.
  trainUntrusted: {
    enabled: (ctx) => () => {
      refuseUntrusted(ctx, 'Training');
      return undefined;
    },
  },
  cancelTraining: { enabled: (ctx) => () => cancelTraining(ctx) },
  resumeRun: { enabled: (ctx) => (runDir, options) => resumeRun(ctx, runDir, options), disabled: needsTrust('Resuming a run') },
  deleteRun: { enabled: (ctx) => (runDir) => deleteRun(ctx, runDir) },
  openRun: { enabled: (ctx) => (runDir) => openRun(ctx, runDir) },
  compareRuns: { enabled: (ctx) => (before, after) => compareRuns(ctx, before, after) },
  scoreData: { enabled: (ctx) => (runDir, dataFile) => scoreData(ctx, runDir, dataFile), disabled: needsTrust('Scoring') },
  openTimeline: { enabled: (ctx) => (runDir) => openTimeline(ctx, runDir) },
  applyRunFix: { enabled: (ctx) => (runDir, code, configPath) => applyRunFix(ctx, runDir, code, configPath) },
  newConfigFromData: { enabled: (ctx) => (dataFile, options) => createConfigFromData(ctx, dataFile, options) },
  openAsConfig: { enabled: (ctx) => (uri) => openAsConfig(ctx, uri instanceof vscode.Uri ? uri : undefined) },
  exportPytorch: { enabled: (ctx) => (uri) => exportPytorch(ctx, uri instanceof vscode.Uri ? uri : undefined) },
  showRuleDocs: { enabled: (ctx) => (code) => showRuleDocs(ctx, code) },
  restartServer: { enabled: (ctx) => () => ctx.restartServer() },
  showOutput: { enabled: (ctx) => () => ctx.output.show() },
};

/** Registers every command of the table under `tsae.`. */
export function registerCommands(ctx: TsaeContext): void {
  for (const [name, factory] of Object.entries(COMMANDS)) {
    const enabled = factory.enabled(ctx);
    const disabled = factory.disabled;
    const whenDisabled = disabled?.handler(ctx);
    const handler: Handler = (...args) => (disabled && whenDisabled && !disabled.available(ctx) ? whenDisabled(...args) : enabled(...args));
    ctx.pushCleanup(vscode.commands.registerCommand(`tsae.${name}`, handler));
  }
}
