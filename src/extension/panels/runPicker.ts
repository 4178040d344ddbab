// Quick picks over the workspace's runs for "TSAE: Open Run" and "TSAE: Compare Runs".

import * as vscode from 'vscode';
import type { RunListItem } from '../../core/protocol/webview';
import { formatNumber, formatSeconds } from '../../core/format';

interface RunPickItem extends vscode.QuickPickItem {
  run: RunListItem;
}

const STATUS_ICON: Record<RunListItem['status'], string> = {
  running: '$(sync~spin)',
  completed: '$(pass)',
  cancelled: '$(circle-slash)',
  failed: '$(error)',
  interrupted: '$(debug-disconnect)',
};

export function runPickItem(run: RunListItem): RunPickItem {
  return {
    label: `${STATUS_ICON[run.status]} ${run.label ?? run.name}`,
    description: `${run.status} · ${run.backend} · ${run.epochs} epochs · ${new Date(run.startedAt).toLocaleString()}`,
    detail: [
      `loss ${formatNumber(run.trainLoss)}`,
      `val ${formatNumber(run.valLoss)}`,
      `recon. error ${formatNumber(run.reconstructionError)}`,
      `${run.findings} finding${run.findings === 1 ? '' : 's'}`,
      formatSeconds(run.seconds),
    ].join(' · '),
    run,
  };
}

/** Asks for one run (the list is already newest first); undefined when cancelled or there are none. */
export async function pickRun(runs: RunListItem[], placeHolder: string): Promise<RunListItem | undefined> {
  if (runs.length === 0) {
    void vscode.window.showInformationMessage('TSAE: no runs yet in .tsae/runs. Train a config first ("TSAE: Train Autoencoder").');
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(runs.map(runPickItem), { placeHolder, matchOnDescription: true, matchOnDetail: true });
  return picked?.run;
}

/** Asks for several runs, kept newest first; undefined when cancelled. */
export async function pickRuns(runs: RunListItem[], placeHolder: string): Promise<RunListItem[] | undefined> {
  const picked = await vscode.window.showQuickPick(runs.map(runPickItem), { placeHolder, canPickMany: true, matchOnDescription: true, matchOnDetail: true });
  if (!picked) return undefined;
  const chosen = new Set(picked.map((p) => p.run));
  return runs.filter((r) => chosen.has(r));
}
