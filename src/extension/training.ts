// "TSAE: Train Autoencoder": runs a config in the training worker (dist/worker.js) with a
// cancellable progress notification and a status bar item, and publishes every worker event on
// ctx's run-event bus (the panels, the status bar and the run-findings forwarder listen there).
// Training reads data files and runs model code, so it is refused in untrusted workspaces.

import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { BACKEND_NAMES, isBackendName, type BackendName } from '../core/config/types';
import type { ErrorLocation } from '../core/protocol/worker';
import type { RunSummary } from '../core/run/types';
import type { TsaeContext } from './ctx';
import { TrainingRun } from '../core/train/workerHost';
import { describeFailure } from './runFailure';
import { maxMemoryMB } from './config';
import { formatNumber } from '../core/format';
import { diagnoseFinishedRun, needsDiagnosis } from './diagnosis';

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

/** A run in progress, keyed by its config file: one run per config at a time. */
interface ActiveRun {
  configFile: string;
  worker: TrainingRun;
  epoch: number;
  epochs: number;
  loss: number | null;
}

const active = new Map<string, ActiveRun>();
let statusItem: vscode.StatusBarItem | undefined;

export function registerTraining(ctx: TsaeContext): void {
  statusItem = vscode.window.createStatusBarItem('tsae.training', vscode.StatusBarAlignment.Left, 10);
  statusItem.name = 'TSAE training';
  statusItem.command = 'tsae.cancelTraining';
  ctx.pushCleanup(statusItem);
  ctx.pushCleanup({
    dispose: () => {
      for (const run of active.values()) run.worker.cancel();
      active.clear();
      statusItem = undefined;
    },
  });

  ctx.pushCleanup(
    vscode.commands.registerCommand('tsae.train', async (uri?: unknown, options?: unknown) => {
      const configUri = uri instanceof vscode.Uri ? uri : await pickConfig();
      if (!configUri) return undefined;
      return startTraining(ctx, configUri, sanitiseOptions(options));
    }),
  );
  ctx.pushCleanup(vscode.commands.registerCommand('tsae.cancelTraining', () => cancelTraining()));
  ctx.pushCleanup(vscode.workspace.onDidGrantWorkspaceTrust(() => ctx.output.info('workspace trusted: training is available')));
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
    const manage = 'Manage Workspace Trust';
    // Not awaited: the command returns at once instead of waiting until the notification is dismissed.
    void vscode.window
      .showErrorMessage(`TSAE: training is disabled in untrusted workspaces (it reads data files and runs model code). Trust this workspace to train ${label}.`, manage)
      .then((answer) => (answer === manage ? vscode.commands.executeCommand('workbench.trust.manage') : undefined));
    ctx.output.warn(`refused to train ${configFile}: the workspace is not trusted`);
    return undefined;
  }
  if (configUri.scheme !== 'file') {
    // The worker resolves data paths relative to the config's folder, so the config must be on disk.
    void vscode.window.showErrorMessage(`TSAE: save ${label} to a file before training it.`);
    return undefined;
  }
  if (active.has(configFile)) {
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
  const backend = options.backend ?? readBackendSetting(ctx);
  const runsDir = ctx.runsDirFor(configUri);
  ctx.output.info(`training ${configFile} (backend setting: ${backend}${configText !== undefined ? ', unsaved text' : ''}) into ${runsDir}`);

  const worker = new TrainingRun(workerFile);
  const run: ActiveRun = { configFile, worker, epoch: 0, epochs: options.epochs ?? 0, loss: null };
  active.set(configFile, run);
  updateStatus();

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
              ctx.output.info(`backend: ${event.backend} (${event.backendReason}); ${event.parameters} parameters, compression ${event.compressionRatio.toFixed(1)}:1, run folder ${event.runDir}`);
              progress.report({ message: `backend ${event.backend}, ${event.epochs} epochs` });
              break;
            case 'epoch': {
              run.epoch = event.epoch;
              run.loss = event.loss;
              const share = run.epochs > 0 ? (100 * event.epoch) / run.epochs : 0;
              progress.report({ increment: Math.max(share - reported, 0), message: `epoch ${event.epoch}/${run.epochs}, loss ${formatNumber(event.loss)}` });
              reported = Math.max(share, reported);
              updateStatus();
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
              ctx.output.info(`run ${event.summary.status}: ${event.runDir} (${event.summary.epochs} epochs, ${event.summary.seconds.toFixed(1)} s, ${event.summary.findings.length} findings)`);
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
            active.delete(configFile);
            updateStatus();
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
          maxMemoryMB: maxMemoryMB(),
          ...(options.resumeRunDir !== undefined ? { resumeRunDir: options.resumeRunDir } : {}),
        });
      }),
  );
}

/** Cancels the only running run, or asks which one when several configs are training. */
async function cancelTraining(): Promise<void> {
  const runs = [...active.values()];
  if (runs.length === 0) {
    void vscode.window.showInformationMessage('TSAE: no training is running.');
    return;
  }
  const target =
    runs.length === 1
      ? runs[0]
      : (await vscode.window.showQuickPick(
          runs.map((r) => ({ label: vscode.workspace.asRelativePath(r.configFile), description: `epoch ${r.epoch}/${r.epochs}`, run: r })),
          { placeHolder: 'Cancel which training run?' },
        ))?.run;
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
  const items = found
    .map((uri) => ({ label: vscode.workspace.asRelativePath(uri), uri }))
    .sort((a, b) => a.label.localeCompare(b.label));
  return (await vscode.window.showQuickPick(items, { placeHolder: 'Train which config?' }))?.uri;
}

function readBackendSetting(ctx: TsaeContext): BackendName {
  const value = vscode.workspace.getConfiguration('tsae').get<unknown>('backend', 'auto');
  if (isBackendName(value)) return value;
  ctx.output.warn(`ignoring tsae.backend = ${JSON.stringify(value)}: expected one of ${BACKEND_NAMES.join(', ')}; using auto`);
  return 'auto';
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

function updateStatus(): void {
  if (!statusItem) return;
  const runs = [...active.values()];
  if (runs.length === 0) {
    statusItem.hide();
    return;
  }
  const r = runs[0];
  const more = runs.length > 1 ? ` (+${runs.length - 1})` : '';
  statusItem.text = `$(sync~spin) TSAE epoch ${r.epoch}/${r.epochs || '?'} loss ${formatNumber(r.loss)}${more}`;
  statusItem.tooltip = `Training ${vscode.workspace.asRelativePath(r.configFile)}. Click to cancel.`;
  statusItem.show();
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
