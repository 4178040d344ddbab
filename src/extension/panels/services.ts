// What every panel needs from the rest of the extension, gathered in one object so the panel
// classes do not reach for globals and index.ts is the only place that wires them.

import * as path from 'node:path';
import * as vscode from 'vscode';
import type { RunListItem } from '../../core/protocol/webview';
import type { TsaeContext } from '../ctx';
import { startTraining } from '../training';
import type { LiveRuns } from './liveRuns';
import { compareNewestFirst, listRuns, toListItem, withNotesAndDiffs } from './runStore';

export interface PanelServices {
  readonly ctx: TsaeContext;
  /** The context's live runs. */
  readonly live: LiveRuns;
  /** The context's pending baselines (see TsaeContext.pendingBaselines). */
  readonly pendingBaselines: Map<string, string>;
  /** Starts training `configUri` (startTraining); resolves when the run ends. */
  retrain(configUri: vscode.Uri): Promise<unknown>;
}

const servicesOf = new WeakMap<TsaeContext, PanelServices>();

/** The panels' view of the context; one object per context, so panels compare it by identity. */
export function panelServices(ctx: TsaeContext): PanelServices {
  let services = servicesOf.get(ctx);
  if (!services) {
    services = { ctx, live: ctx.live, pendingBaselines: ctx.pendingBaselines, retrain: (configUri) => startTraining(ctx, configUri) };
    servicesOf.set(ctx, services);
  }
  return services;
}

/** `.tsae/runs` of every workspace folder. */
export function runsDirs(): string[] {
  return (vscode.workspace.workspaceFolders ?? []).map((f) => path.join(f.uri.fsPath, '.tsae', 'runs'));
}

/** Runs on disk plus live runs whose summary.json is not written yet; live data wins (it is newer). */
export async function collectRuns(services: PanelServices): Promise<RunListItem[]> {
  const byDir = new Map<string, RunListItem>();
  for (const dir of runsDirs()) for (const run of await listRuns(dir)) byDir.set(run.runDir, run);
  for (const run of services.live.all()) byDir.set(run.runDir, toListItem(run.runDir, run.summary));
  return withNotesAndDiffs([...byDir.values()].sort(compareNewestFirst));
}

/** Options shared by every TSAE webview: scripts on, and only our bundles and media readable. */
export function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions {
  return {
    enableScripts: true,
    localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist', 'webview'), vscode.Uri.joinPath(extensionUri, 'media')],
  };
}

export function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
