// Wires the panels to the extension: the run dashboard (opened on a 'started' event and by
// "TSAE: Open Run"), its serializer, the side panel, and "TSAE: Compare Runs".

import * as path from 'node:path';
import * as vscode from 'vscode';
import type { TsaeContext } from '../ctx';
import { startTraining } from '../training';
import { applyFixAndRetrain, type FixOutcome } from './configActions';
import { DashboardPanel } from './dashboard';
import { LiveRuns } from './liveRuns';
import { pickRun } from './runPicker';
import { readRunData } from './runStore';
import { RunsViewProvider } from './runsView';
import { registerScoring } from '../scoring';
import { collectRuns, type PanelServices } from './services';

export function registerPanels(ctx: TsaeContext): void {
  const live = new LiveRuns();
  const services: PanelServices = {
    ctx,
    live,
    pendingBaselines: new Map(),
    retrain: (configUri) => startTraining(ctx, configUri),
  };

  ctx.pushCleanup(
    ctx.onRunEvent((e) => {
      const update = live.handle(e);
      if (update && e.event.type === 'started') {
        const baseline = services.pendingBaselines.get(e.configFile);
        services.pendingBaselines.delete(e.configFile);
        DashboardPanel.show(services, update.runDir, baseline, true);
      }
    }),
  );

  ctx.pushCleanup(
    vscode.window.registerWebviewPanelSerializer(DashboardPanel.viewType, {
      deserializeWebviewPanel: async (panel, state: unknown) => DashboardPanel.revive(services, panel, state),
    }),
  );

  registerScoring(services);

  const runsView = new RunsViewProvider(services);
  ctx.pushCleanup(runsView);
  ctx.pushCleanup(vscode.window.registerWebviewViewProvider(RunsViewProvider.viewId, runsView));

  ctx.pushCleanup(
    // A run folder may be passed (a path or a Uri: tests, other commands); otherwise ask.
    vscode.commands.registerCommand('tsae.openRun', async (runDir?: unknown) => {
      const given = runFolderArg(runDir);
      if (given) return void DashboardPanel.show(services, given);
      const run = await pickRun(await collectRuns(services), 'Open which run? (newest first)');
      if (run) DashboardPanel.show(services, run.runDir);
    }),
  );

  ctx.pushCleanup(
    vscode.commands.registerCommand('tsae.compareRuns', async (beforeDir?: unknown, afterDir?: unknown) => {
      const [givenBefore, givenAfter] = [runFolderArg(beforeDir), runFolderArg(afterDir)];
      if (givenBefore && givenAfter) return void DashboardPanel.show(services, givenAfter, givenBefore);
      const runs = await collectRuns(services);
      if (runs.length < 2) {
        void vscode.window.showInformationMessage('TSAE: comparing needs two runs in .tsae/runs.');
        return;
      }
      const before = await pickRun(runs, 'Compare: the run BEFORE (baseline)');
      if (!before) return;
      const after = await pickRun(runs.filter((r) => r !== before), `Compare ${before.name} with which run (AFTER)?`);
      if (after) DashboardPanel.show(services, after.runDir, before.runDir);
    }),
  );

  // What the dashboard's "Apply fix & retrain" does, as a command so tests and keybindings reach it:
  // (runDir, code, configPath) names a finding of a run; resolves once training has started.
  ctx.pushCleanup(
    vscode.commands.registerCommand('tsae.applyRunFix', async (runDir?: unknown, code?: unknown, configPath?: unknown): Promise<FixOutcome> => {
      const dir = runFolderArg(runDir);
      if (!dir || typeof code !== 'string' || typeof configPath !== 'string') {
        return { ok: false, text: 'tsae.applyRunFix needs (run folder, finding code, config path).' };
      }
      const run = live.get(dir) ?? (await readRunData(dir));
      const finding = run?.summary.findings.find((f) => f.code === code && f.configPath === configPath);
      if (!run || !finding) return { ok: false, text: `No finding ${code} at ${configPath} in ${dir}.` };
      return applyFixAndRetrain(services, run, finding);
    }),
  );

  ctx.pushCleanup({ dispose: () => DashboardPanel.disposeAll() });
}

/** A run folder from a command argument: an absolute path or a file Uri; anything else is ignored. */
function runFolderArg(value: unknown): string | undefined {
  if (value instanceof vscode.Uri && value.scheme === 'file') return value.fsPath;
  if (typeof value === 'string' && path.isAbsolute(value)) return value;
  return undefined;
}
