// "TSAE: Score Data with Run...": picks a run and a data file (default: the run's own data),
// scores every window in a scoring worker with a cancellable progress notification, writes
// scores.json into the run folder and opens the anomaly timeline. Scoring reads data files and
// runs model code, so it is refused in untrusted workspaces, like training.

import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { RUN_FILES } from '../core/run/types';
import { runScoringJob, type ScoringFinal } from '../core/scoring/job';
import type { TsaeContext } from './ctx';
import { pickRun } from './panels/runPicker';
import { collectRuns, type PanelServices } from './panels/services';
import { TimelinePanel } from './panels/timeline';

export function registerScoring(services: PanelServices): void {
  const { ctx } = services;
  const register = (...items: vscode.Disposable[]) => items.forEach((d) => ctx.pushCleanup(d));
  register(
    // (runDir?, dataFile?): tests and the dashboard pass them; otherwise the user picks.
    vscode.commands.registerCommand('tsae.scoreData', async (runDirArg?: unknown, dataFileArg?: unknown): Promise<ScoringFinal | undefined> => {
      if (!vscode.workspace.isTrusted) {
        void vscode.window.showErrorMessage('TSAE: scoring reads data files and runs model code, which is disabled in untrusted workspaces.');
        return undefined;
      }
      const runDir = typeof runDirArg === 'string' && path.isAbsolute(runDirArg) ? runDirArg : (await pickRun(await collectRuns(services), 'Score data with which run?'))?.runDir;
      if (!runDir) return undefined;
      const dataFile = typeof dataFileArg === 'string' && path.isAbsolute(dataFileArg) ? dataFileArg : await pickData(runDir);
      if (dataFile === null) return undefined;
      return scoreWithProgress(ctx, runDir, dataFile);
    }),
    vscode.commands.registerCommand('tsae.openTimeline', (runDirArg?: unknown) => {
      if (typeof runDirArg === 'string' && path.isAbsolute(runDirArg)) TimelinePanel.show(ctx, runDirArg);
    }),
    vscode.window.registerWebviewPanelSerializer(TimelinePanel.viewType, {
      deserializeWebviewPanel: async (panel, state: unknown) => TimelinePanel.revive(ctx, panel, state),
    }),
    { dispose: () => TimelinePanel.disposeAll() },
  );
}

/** undefined: the run's own data; null: cancelled. */
async function pickData(runDir: string): Promise<string | undefined | null> {
  let own = '';
  try {
    own = (JSON.parse(fs.readFileSync(path.join(runDir, RUN_FILES.config), 'utf8')) as { dataFile?: string }).dataFile ?? '';
  } catch {
    // An unreadable config is reported by the scoring itself.
  }
  const items: Array<vscode.QuickPickItem & { file?: string }> = [
    { label: "$(graph) The run's own data (every row)", description: own, file: undefined },
    { label: '$(folder-opened) Choose a data file...' },
  ];
  const choice = await vscode.window.showQuickPick(items, { placeHolder: 'Score which data?' });
  if (!choice) return null;
  if (choice === items[0]) return undefined;
  const picked = await vscode.window.showOpenDialog({ canSelectMany: false, openLabel: 'Score', defaultUri: own ? vscode.Uri.file(path.dirname(own)) : undefined });
  return picked?.[0]?.fsPath ?? null;
}

async function scoreWithProgress(ctx: TsaeContext, runDir: string, dataFile: string | undefined): Promise<ScoringFinal> {
  const workerFile = ctx.extension.asAbsolutePath(path.join('dist', 'worker.js'));
  const final = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `TSAE: scoring with ${path.basename(runDir)}`, cancellable: true },
    (progress, token) => {
      const controller = new AbortController();
      token.onCancellationRequested(() => controller.abort());
      let reported = 0;
      return runScoringJob(
        workerFile,
        { type: 'score', runDir, ...(dataFile ? { dataFile } : {}) },
        (event) => {
          if (event.type === 'scoreProgress' && event.total > 0) {
            const percent = (100 * event.done) / event.total;
            progress.report({ increment: percent - reported, message: `${event.done} of ${event.total} windows` });
            reported = percent;
          } else if (event.type === 'log') ctx.output.warn(event.message);
        },
        controller.signal,
      );
    },
  );
  if (final.type === 'scored') {
    ctx.output.info(`scored ${final.windows} windows with ${runDir} in ${final.seconds.toFixed(1)} s: ${final.events} events above ${final.threshold}`);
    TimelinePanel.show(ctx, runDir);
  } else if (final.type === 'failed') {
    ctx.output.error(`scoring with ${runDir} failed: ${final.message}`);
    void vscode.window.showErrorMessage(`TSAE: ${final.message}`);
  }
  return final;
}
