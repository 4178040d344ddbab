// "TSAE: Train Autoencoder": runs a config in the training worker (dist/worker.js) with a
// cancellable progress notification and the context's status bar item, and publishes every worker event on
// ctx's run-event bus (the panels, the status bar and the run-findings forwarder listen there).
// Training reads data files and runs model code, so it is refused in untrusted workspaces.

import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { isBackendName, type BackendName } from '../core/config/types';
import type { ErrorLocation } from '../core/protocol/worker';
import type { RunSummary } from '../core/run/types';
import type { TsaeContext } from './ctx';
import { TrainingRun } from '../core/train/workerHost';
import { formatNumber } from '../core/format';
import { diagnoseFinishedRun, needsDiagnosis } from './diagnosis';
import type { ActiveRun } from './activeRuns';
import { describeFailure } from './runFailure';
import { refuseUntrusted } from './trust';

export interface TrainingOptions {
  /** Overrides `training.epochs` of the config (e.g. a short run from a test). */
  epochs?: number;
  /** Overrides the `tsae.backend` setting. */
  backend?: BackendName;
  /** Continue this stopped run folder instead of starting a new run (tsae.resumeRun). */
  resumeRunDir?: string;
}

const CONFIG_GLOB = '**/*.tsae.{yaml,yml,json}';
const CONFIG_NAME = /\.tsae\.(ya?ml|json)$/i;

/** The `tsae.train` command: the given config, else the active editor's or one picked from the workspace. */
export async function trainCommand(ctx: TsaeContext, uri?: unknown, options?: unknown): Promise<RunSummary | undefined> {
  const configUri = uri instanceof vscode.Uri ? uri : await pickConfig();
  if (!configUri) return undefined;
  return startTraining(ctx, configUri, sanitiseOptions(options));
}

/**
 * Trains `configUri` and resolves with the run's summary (completed, cancelled or failed), or
 * undefined when no run started (untrusted workspace, already training, worker missing, the
 * worker failed before writing a summary).
 */
export async function startTraining(ctx: TsaeContext, configUri: vscode.Uri, options: TrainingOptions = {}): Promise<RunSummary | undefined> {
  const configFile = configUri.fsPath;
  const label = vscode.workspace.asRelativePath(configUri);
  if (!vscode.workspace.isTrusted) {
    refuseUntrusted(ctx, `Training ${label}`);
    return undefined;
  }
  if (configUri.scheme !== 'file') {
    // The worker resolves data paths relative to the config's folder, so the config must be on disk.
    void vscode.window.showErrorMessage(`TSAE: save ${label} to a file before training it.`);
    return undefined;
  }
  if (ctx.activeRuns.get(configFile)) {
    void vscode.window.showInformationMessage(`TSAE: ${label} is already training. Cancel it first ("TSAE: Cancel Training").`);
    return undefined;
  }
  const workerFile = ctx.extension.asAbsolutePath(path.join('dist', 'worker.js'));
  if (!fs.existsSync(workerFile)) {
    ctx.output.error(`training worker not found at ${workerFile}`);
    void vscode.window.showErrorMessage(`TSAE: the training worker is missing (${workerFile}). Run "npm run build".`);
    return undefined;
  }

  // Unsaved edits are what the user sees, so they are what trains.
  const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === configUri.toString());
  const configText = open?.isDirty ? open.getText() : undefined;
  const backend = options.backend ?? ctx.settings.backend;
  const runsDir = ctx.runsDirFor(configUri);
  ctx.output.info(`training ${configFile} (backend setting: ${backend}${configText !== undefined ? ', unsaved text' : ''}) into ${runsDir}`);

  const worker = new TrainingRun(workerFile);
  const run: ActiveRun = { configFile, worker, epoch: 0, epochs: options.epochs ?? 0, loss: null };
  ctx.activeRuns.add(run);

  return vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `TSAE: training ${path.basename(configFile)}`, cancellable: true },
    (progress, token) =>
      new Promise<RunSummary | undefined>((resolve) => {
        token.onCancellationRequested(() => worker.cancel());
        let runDir: string | undefined;
        let reported = 0;
        worker.onEvent((event) => {
          if (event.type === 'started') runDir = event.runDir;
          ctx.publishRunEvent({ configFile, runDir, event });
          switch (event.type) {
            case 'started':
              run.epochs = event.epochs;
              ctx.output.info(
                `backend: ${event.backend} (${event.backendReason}); ${event.parameters} parameters, compression ${event.compressionRatio.toFixed(1)}:1, run folder ${event.runDir}`,
              );
              progress.report({ message: `backend ${event.backend}, ${event.epochs} epochs` });
              break;
            case 'epoch': {
              run.epoch = event.epoch;
              run.loss = event.loss;
              const share = run.epochs > 0 ? (100 * event.epoch) / run.epochs : 0;
              progress.report({ increment: Math.max(share - reported, 0), message: `epoch ${event.epoch}/${run.epochs}, loss ${formatNumber(event.loss)}` });
              reported = Math.max(share, reported);
              ctx.activeRuns.update();
              break;
            }
            case 'log':
              if (event.level === 'warn') ctx.output.warn(event.message);
              else ctx.output.info(event.message);
              break;
            case 'finding':
              ctx.output.warn(`${event.finding.code} (${event.finding.configPath}): ${event.finding.message}`);
              break;
            case 'finished':
              ctx.output.info(
                `run ${event.summary.status}: ${event.runDir} (${event.summary.epochs} epochs, ${event.summary.seconds.toFixed(1)} s, ${event.summary.findings.length} findings)`,
              );
              break;
            case 'failed':
              ctx.output.error(`training ${configFile} failed: ${describeFailure(event.message, event.location)}`);
              void showFailure(event.message, event.location);
              break;
            case 'batch':
            case 'reconstructions':
            case 'latents':
              break;
          }
          if (event.type === 'finished' || event.type === 'failed') {
            ctx.activeRuns.remove(configFile);
            resolve(event.summary);
          }
          // Not awaited: the run is over for the caller; its diagnosis follows with its own progress.
          if (event.type === 'finished' && needsDiagnosis(event.summary)) void diagnoseFinishedRun(ctx, configFile, event.runDir, workerFile, backend);
        });
        worker.start({
          type: 'start',
          configFile,
          configText,
          runsDir,
          epochs: options.epochs,
          backend,
          maxMemoryMB: ctx.settings.maxMemoryMB,
          ...(options.resumeRunDir !== undefined ? { resumeRunDir: options.resumeRunDir } : {}),
        });
      }),
  );
}

/** Cancels the only running run, or asks which one when several configs are training. */
export async function cancelTraining(ctx: TsaeContext): Promise<void> {
  const runs = ctx.activeRuns.all();
  if (runs.length === 0) {
    void vscode.window.showInformationMessage('TSAE: no training is running.');
    return;
  }
  const target =
    runs.length === 1
      ? runs[0]
      : (
          await vscode.window.showQuickPick(
            runs.map((r) => ({ label: vscode.workspace.asRelativePath(r.configFile), description: `epoch ${r.epoch}/${r.epochs}`, run: r })),
            { placeHolder: 'Cancel which training run?' },
          )
        )?.run;
  target?.worker.cancel();
}

/** The active *.tsae.* editor, else a quick pick of the workspace's configs. */
async function pickConfig(): Promise<vscode.Uri | undefined> {
  const editor = vscode.window.activeTextEditor;
  if (editor && CONFIG_NAME.test(editor.document.fileName)) return editor.document.uri;
  const found = await vscode.workspace.findFiles(CONFIG_GLOB, '**/{node_modules,.tsae}/**', 200);
  if (found.length === 0) {
    void vscode.window.showInformationMessage('TSAE: no *.tsae.yaml or *.tsae.json config in this workspace.');
    return undefined;
  }
  if (found.length === 1) return found[0];
  const items = found.map((uri) => ({ label: vscode.workspace.asRelativePath(uri), uri })).sort((a, b) => a.label.localeCompare(b.label));
  return (await vscode.window.showQuickPick(items, { placeHolder: 'Train which config?' }))?.uri;
}

/** Command arguments come from anywhere (keybindings, tests); keep only well-typed options. */
function sanitiseOptions(value: unknown): TrainingOptions {
  if (typeof value !== 'object' || value === null) return {};
  const v = value as Record<string, unknown>;
  const options: TrainingOptions = {};
  if (typeof v.epochs === 'number' && Number.isInteger(v.epochs) && v.epochs > 0) options.epochs = v.epochs;
  if (isBackendName(v.backend)) options.backend = v.backend;
  return options;
}

async function showFailure(message: string, location?: ErrorLocation): Promise<void> {
  const open = 'Open Config';
  const shown = location ? { ...location, file: vscode.workspace.asRelativePath(location.file) } : undefined;
  const answer = await vscode.window.showErrorMessage(`TSAE: training failed: ${describeFailure(message, shown)}`, ...(location ? [open] : []));
  if (answer !== open || !location) return;
  // ErrorLocation lines and columns are 1-based, as printed in messages.
  const position = new vscode.Position(Math.max((location.line ?? 1) - 1, 0), Math.max((location.column ?? 1) - 1, 0));
  await vscode.window.showTextDocument(vscode.Uri.file(location.file), { selection: new vscode.Range(position, position) });
}
