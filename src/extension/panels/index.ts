// Wires the panels to the extension: the run dashboard (opened on a 'started' event and by
// "TSAE: Open Run"), its serializer and the side panel. The panel commands (open, compare, apply
// a run's fix) are here as functions; commands.ts registers them.

import * as vscode from 'vscode';
import type { TsaeContext } from '../ctx';
import { runFolderArg } from '../args';
import { applyFixAndRetrain, type FixOutcome } from './configActions';
import { DashboardPanel } from './dashboard';
import { ComparePanel } from './comparePanel';
import { pickRun, pickRuns } from './runPicker';
import { readRunData } from './runStore';
import { RunsViewProvider } from './runsView';
import { registerScoring } from '../scoring';
import { collectRuns, panelServices } from './services';

export function registerPanels(ctx: TsaeContext): void {
  const services = panelServices(ctx);
  registerScoring(services);

  ctx.pushCleanup(
    ctx.onRunEvent((e) => {
      const update = ctx.live.handle(e);
      if (update && e.event.type === 'started') {
        const baseline = ctx.pendingBaselines.get(e.configFile);
        ctx.pendingBaselines.delete(e.configFile);
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
  ctx.pushCleanup({ dispose: () => DashboardPanel.disposeAll() });
  ctx.pushCleanup({ dispose: () => ComparePanel.disposeAll() });
}

/** `tsae.openRun(runDir?)`: a run folder may be passed (a path or a Uri: tests, other commands); otherwise ask. */
export async function openRun(ctx: TsaeContext, runDir?: unknown): Promise<void> {
  const services = panelServices(ctx);
  const given = runFolderArg(runDir);
  if (given) return void DashboardPanel.show(services, given);
  const run = await pickRun(await collectRuns(services), 'Open which run? (newest first)');
  if (run) DashboardPanel.show(services, run.runDir);
}

/**
 * `tsae.compareRuns(beforeDir?, afterDir?)`: two given runs open the before/after dashboard; an
 * array of run folders, or the runs picked (two or more), opens two runs the same way and three or
 * more in the comparison panel.
 */
export async function compareRuns(ctx: TsaeContext, beforeDir?: unknown, afterDir?: unknown): Promise<void> {
  const services = panelServices(ctx);
  const [givenBefore, givenAfter] = [runFolderArg(beforeDir), runFolderArg(afterDir)];
  if (givenBefore && givenAfter) return void DashboardPanel.show(services, givenAfter, givenBefore);
  if (Array.isArray(beforeDir)) {
    const dirs = beforeDir.map(runFolderArg).filter((d): d is string => d !== undefined);
    if (dirs.length >= 2) await ComparePanel.show(services, dirs);
    return;
  }
  const runs = await collectRuns(services);
  if (runs.length < 2) {
    void vscode.window.showInformationMessage('TSAE: comparing needs two runs in .tsae/runs.');
    return;
  }
  const picked = await pickRuns(runs, 'Compare which runs? (tick two or more)');
  if (!picked || picked.length < 2) return;
  if (picked.length === 2) {
    // The older run is the baseline, so "before/after" reads in time order.
    const [newer, older] = picked;
    DashboardPanel.show(services, newer.runDir, older.runDir);
    return;
  }
  await ComparePanel.show(
    services,
    picked.map((r) => r.runDir),
  );
}

/**
 * What the dashboard's "Apply fix & retrain" does, as a command so tests and keybindings reach it:
 * (runDir, code, configPath) names a finding of a run; resolves once training has started.
 */
export async function applyRunFix(ctx: TsaeContext, runDir?: unknown, code?: unknown, configPath?: unknown): Promise<FixOutcome> {
  const dir = runFolderArg(runDir);
  if (!dir || typeof code !== 'string' || typeof configPath !== 'string') {
    return { ok: false, text: 'tsae.applyRunFix needs (run folder, finding code, config path).' };
  }
  const run = ctx.live.get(dir) ?? (await readRunData(dir));
  const finding = run?.summary.findings.find((f) => f.code === code && f.configPath === configPath);
  if (!run || !finding) return { ok: false, text: `No finding ${code} at ${configPath} in ${dir}.` };
  return applyFixAndRetrain(panelServices(ctx), run, finding);
}
