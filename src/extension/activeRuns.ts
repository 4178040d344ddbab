// Runs training right now (one per config file) and the status bar item that shows them. Owned
// by the context; training.ts adds and removes runs, the item follows.

import * as vscode from 'vscode';
import type { TrainingRun } from '../core/train/workerHost';
import { formatNumber } from '../core/format';

/** A run in progress, keyed by its config file: one run per config at a time. */
export interface ActiveRun {
  configFile: string;
  worker: TrainingRun;
  epoch: number;
  epochs: number;
  loss: number | null;
}

export class ActiveRuns implements vscode.Disposable {
  private readonly runs = new Map<string, ActiveRun>();
  private readonly item: vscode.StatusBarItem;

  constructor() {
    this.item = vscode.window.createStatusBarItem('tsae.training', vscode.StatusBarAlignment.Left, 10);
    this.item.name = 'TSAE training';
    this.item.command = 'tsae.cancelTraining';
  }

  get(configFile: string): ActiveRun | undefined {
    return this.runs.get(configFile);
  }

  all(): ActiveRun[] {
    return [...this.runs.values()];
  }

  add(run: ActiveRun): void {
    this.runs.set(run.configFile, run);
    this.update();
  }

  remove(configFile: string): void {
    this.runs.delete(configFile);
    this.update();
  }

  /** Shows the first run's epoch and loss (and how many more are training); hides when none is. */
  update(): void {
    const runs = this.all();
    if (runs.length === 0) {
      this.item.hide();
      return;
    }
    const r = runs[0];
    const more = runs.length > 1 ? ` (+${runs.length - 1})` : '';
    this.item.text = `$(sync~spin) TSAE epoch ${r.epoch}/${r.epochs || '?'} loss ${formatNumber(r.loss)}${more}`;
    this.item.tooltip = `Training ${vscode.workspace.asRelativePath(r.configFile)}. Click to cancel.`;
    this.item.show();
  }

  /** Cancels every run (the extension is going away) and removes the item. */
  dispose(): void {
    for (const run of this.runs.values()) run.worker.cancel();
    this.runs.clear();
    this.item.dispose();
  }
}
