// Commands on one run folder, called by id with the folder's path (the runs view's buttons):
//   tsae.resumeRun(runDir, { epochs? })  continues an interrupted or cancelled run (trusted
//                                        workspaces only, like training); resolves with its summary
//   tsae.deleteRun(runDir)               moves the run folder to the trash after a modal confirmation
// Both read the run through the core reader, so they act on the status a user is shown.

import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { planResume } from '../core/run/resume';
import { readRunStatus } from '../core/run/status';
import { RUN_FILES, type RunSummary } from '../core/run/types';
import type { TsaeContext } from './ctx';
import { startTraining } from './training';
import { refuseUntrusted } from './trust';
import { runFolderArg } from './args';

export async function resumeRun(ctx: TsaeContext, arg: unknown, options: unknown): Promise<RunSummary | undefined> {
  const runDir = runFolderArg(arg);
  if (runDir === undefined) {
    void vscode.window.showErrorMessage('TSAE: tsae.resumeRun needs the absolute path of a run folder.');
    return undefined;
  }
  if (!vscode.workspace.isTrusted) {
    refuseUntrusted(ctx, `Resuming ${path.basename(runDir)}`);
    return undefined;
  }
  const epochs = typeof options === 'object' && options !== null ? (options as { epochs?: unknown }).epochs : undefined;
  const plan = await planResume(runDir, Number.isSafeInteger(epochs) && (epochs as number) > 0 ? { epochs: epochs as number } : {});
  if (!plan.ok) {
    ctx.output.warn(`not resuming ${runDir}: ${plan.reason}`);
    void vscode.window.showErrorMessage(`TSAE: ${path.basename(runDir)}: ${plan.reason}`);
    return undefined;
  }
  // The run is keyed by the config it came from when that still exists (one run per config at a time).
  const source = plan.point.config.configFile;
  const configFile = source && fs.existsSync(source) ? source : path.join(runDir, RUN_FILES.config);
  ctx.output.info(`resuming ${runDir} after epoch ${plan.point.fromEpoch} of ${plan.point.epochsPlanned}`);
  return startTraining(ctx, vscode.Uri.file(configFile), { resumeRunDir: runDir, epochs: plan.point.epochsPlanned });
}

export async function deleteRun(ctx: TsaeContext, arg: unknown): Promise<boolean> {
  const runDir = runFolderArg(arg);
  const status = runDir === undefined ? undefined : await readRunStatus(runDir, { tidy: false });
  if (runDir === undefined || status === undefined) {
    // Only run folders are ever deleted, whatever path a caller passes.
    void vscode.window.showErrorMessage(`TSAE: ${runDir ?? String(arg)} is not a run folder; nothing deleted.`);
    return false;
  }
  if (status.status === 'running' && status.evidence !== 'unverified') {
    void vscode.window.showErrorMessage(`TSAE: ${status.summary.name} is still training. Cancel it first ("TSAE: Cancel Training").`);
    return false;
  }
  const name = path.basename(runDir);
  const answer = await vscode.window.showWarningMessage(
    `Delete the run ${name}?`,
    { modal: true, detail: `${status.summary.status}, ${status.summary.epochs} epochs. The folder ${runDir} moves to the trash.` },
    'Move to Trash',
  );
  if (answer !== 'Move to Trash') return false;
  try {
    await vscode.workspace.fs.delete(vscode.Uri.file(runDir), { recursive: true, useTrash: true });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    ctx.output.error(`could not delete ${runDir}: ${message}`);
    void vscode.window.showErrorMessage(`TSAE: could not move ${name} to the trash: ${message}`);
    return false;
  }
  ctx.output.info(`moved run ${runDir} to the trash`);
  return true;
}
