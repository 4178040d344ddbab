// "TSAE: Score Data with Run...": picks a run and a data file (default: the run's own data),
// scores every window in a scoring worker with a cancellable progress notification, writes
// scores.json into the run folder and opens the anomaly timeline. Scoring reads data files and
// runs model code, so its disabled form refuses it in untrusted workspaces (commands.ts).

import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { RUN_FILES } from '../core/run/types';
import { runScoringJob, type ScoringFinal } from '../core/scoring/job';
import type { TsaeContext } from './ctx';
import { pickRun } from './panels/runPicker';
import { runFolderArg } from './args';
import { collectRuns, panelServices } from './panels/services';
import { TimelinePanel } from './panels/timeline';

/** `tsae.scoreData(runDir?, dataFile?)`: tests and the dashboard pass them; otherwise the user picks. */
export async function scoreData(ctx: TsaeContext, runDirArg?: unknown, dataFileArg?: unknown): Promise<ScoringFinal | undefined> {
  const runDir = runFolderArg(runDirArg) ?? (await pickRun(await collectRuns(panelServices(ctx)), 'Score data with which run?'))?.runDir;
  if (!runDir) return undefined;
  const dataFile = typeof dataFileArg === 'string' && path.isAbsolute(dataFileArg) ? dataFileArg : await pickData(runDir);
  if (dataFile === null) return undefined;
  return scoreWithProgress(ctx, runDir, dataFile);
}

/** `tsae.openTimeline(runDir)`: the timeline of a run that has scores.json. */
export function openTimeline(ctx: TsaeContext, runDirArg?: unknown): void {
  const runDir = runFolderArg(runDirArg);
  if (runDir) TimelinePanel.show(ctx, runDir);
}

/** The timeline's serializer and cleanup (the commands are in the command table). */
export function registerScoring(ctx: TsaeContext): void {
  ctx.pushCleanup(
    vscode.window.registerWebviewPanelSerializer(TimelinePanel.viewType, {
      deserializeWebviewPanel: async (panel, state: unknown) => TimelinePanel.revive(ctx, panel, state),
    }),
  );
  ctx.pushCleanup({ dispose: () => TimelinePanel.disposeAll() });
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
