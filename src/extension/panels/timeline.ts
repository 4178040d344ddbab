// The anomaly timeline: one webview panel per run, showing the run's scores.json (the series, the
// score, the threshold, events and labels). The page asks with 'ready' and gets the whole file;
// a new threshold is applied here with the core (events and metrics recomputed), saved with the
// run (scores.json and anomaly-threshold.json) and sent back; a clicked window is reconstructed
// in a scoring worker; events are exported as CSV or JSON through a save dialog.

import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { isScoresFile, isTimelineState, isTimelineToHost, type HostToTimeline, type TimelineToHost } from '../../core/protocol/webview';
import { RUN_FILES, type ErrorQuantiles, type RunSummary } from '../../core/run/types';
import { eventsToCsv, eventsToJson } from '../../core/scoring/export';
import { runScoringJob } from '../../core/scoring/job';
import { applyThreshold, saveThresholdRule, writeScores } from '../../core/scoring/score';
import { thresholdValue } from '../../core/scoring/threshold';
import type { ScoresFile, ThresholdRule } from '../../core/scoring/types';
import type { TsaeContext } from '../ctx';
import { describeError, webviewOptions } from './services';
import { webviewHtml } from './webviewHtml';

export class TimelinePanel implements vscode.Disposable {
  static readonly viewType = 'tsae.timeline';
  private static readonly panels = new Map<string, TimelinePanel>();

  private readonly disposables: vscode.Disposable[] = [];
  private scores: ScoresFile | undefined;
  private disposed = false;
  private reconstructing: AbortController | undefined;

  static show(ctx: TsaeContext, runDir: string): TimelinePanel {
    const existing = TimelinePanel.panels.get(runDir);
    if (existing) {
      existing.panel.reveal();
      void existing.sendInit();
      return existing;
    }
    const panel = vscode.window.createWebviewPanel(TimelinePanel.viewType, title(runDir), vscode.ViewColumn.Active, webviewOptions(ctx.extension.extensionUri));
    return new TimelinePanel(ctx, panel, runDir);
  }

  static revive(ctx: TsaeContext, panel: vscode.WebviewPanel, state: unknown): void {
    if (!isTimelineState(state) || TimelinePanel.panels.has(state.runDir)) {
      panel.dispose();
      return;
    }
    panel.webview.options = webviewOptions(ctx.extension.extensionUri);
    new TimelinePanel(ctx, panel, state.runDir);
  }

  static disposeAll(): void {
    for (const p of [...TimelinePanel.panels.values()]) p.dispose();
  }

  private constructor(
    private readonly ctx: TsaeContext,
    private readonly panel: vscode.WebviewPanel,
    readonly runDir: string,
  ) {
    TimelinePanel.panels.set(runDir, this);
    panel.webview.html = webviewHtml(panel.webview, ctx.extension.extensionUri, 'timeline', title(runDir));
    this.disposables.push(
      panel.onDidDispose(() => this.dispose()),
      panel.webview.onDidReceiveMessage((msg: unknown) => this.receive(msg)),
    );
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.reconstructing?.abort();
    TimelinePanel.panels.delete(this.runDir);
    while (this.disposables.length > 0) this.disposables.pop()?.dispose();
    this.panel.dispose();
  }

  private receive(msg: unknown): void {
    if (!isTimelineToHost(msg)) {
      this.ctx.output.warn(`ignoring a malformed message from the timeline of ${this.runDir}`);
      return;
    }
    void this.handle(msg).catch((error) => {
      this.ctx.output.error(`timeline ${this.runDir}: ${describeError(error)}`);
      this.post({ type: 'notice', level: 'error', text: describeError(error) });
    });
  }

  private async handle(msg: TimelineToHost): Promise<void> {
    switch (msg.type) {
      case 'ready':
        return this.sendInit();
      case 'setThreshold':
        return this.setThreshold(msg.rule);
      case 'openWindow':
        return this.openWindow(msg.window);
      case 'exportEvents':
        return this.exportEvents(msg.format);
    }
  }

  private async sendInit(): Promise<void> {
    const file = path.join(this.runDir, RUN_FILES.scores);
    let value: unknown;
    try {
      value = JSON.parse(await fs.promises.readFile(file, 'utf8'));
    } catch (error) {
      this.post({ type: 'notice', level: 'error', text: `${file}: cannot read (${describeError(error)}); score data with the run first ("TSAE: Score Data with Run...").` });
      return;
    }
    if (!isScoresFile(value)) {
      this.post({ type: 'notice', level: 'error', text: `${file}: not a scores file of this TSAE version; score the data again.` });
      return;
    }
    this.scores = value;
    this.post({ type: 'timelineInit', runName: path.basename(this.runDir), scores: value });
  }

  private async setThreshold(rule: ThresholdRule): Promise<void> {
    const scores = this.scores;
    if (!scores) return;
    // Smoothed scores are compared with the run's windows smoothed alike (scores.json's calibration);
    // a median + k MAD rule with the scores themselves.
    const base = rule.kind === 'quantile' || rule.kind === 'meanStd' ? (scores.calibration ?? (await this.trainingErrors())) : undefined;
    const value = thresholdValue(rule, base, scores.windows.score);
    applyThreshold(scores, rule, value);
    this.post({ type: 'timelineEvents', threshold: scores.threshold, events: scores.events, ...(scores.metrics ? { metrics: scores.metrics } : {}) });
    // Saved with the run: the next scoring (editor or tsae eval) starts from this rule.
    await Promise.all([writeScores(this.runDir, scores), saveThresholdRule(this.runDir, rule)]);
  }

  private async trainingErrors(): Promise<ErrorQuantiles> {
    const read = async (name: string) => JSON.parse(await fs.promises.readFile(path.join(this.runDir, name), 'utf8')) as unknown;
    const thresholds = await read(RUN_FILES.thresholds).catch(async () => ((await read(RUN_FILES.summary)) as RunSummary).thresholds);
    if (!thresholds) throw new Error(`${this.runDir}: the run saved no training-error thresholds`);
    return thresholds as ErrorQuantiles;
  }

  private async openWindow(window: number): Promise<void> {
    const scores = this.scores;
    if (!scores || window >= scores.windows.score.length) return;
    this.reconstructing?.abort();
    const controller = new AbortController();
    this.reconstructing = controller;
    const workerFile = this.ctx.extension.asAbsolutePath(path.join('dist', 'worker.js'));
    const final = await runScoringJob(workerFile, { type: 'reconstruct', runDir: this.runDir, dataFile: scores.dataFile, window }, undefined, controller.signal);
    if (controller.signal.aborted || this.disposed) return;
    if (final.type === 'windowReconstruction') this.post({ type: 'timelineWindow', features: final.features, window: final.window });
    else if (final.type === 'failed') this.post({ type: 'notice', level: 'error', text: final.message });
  }

  private async exportEvents(format: 'csv' | 'json'): Promise<void> {
    const scores = this.scores;
    if (!scores) return;
    const target = await vscode.window.showSaveDialog({
      defaultUri: vscode.Uri.file(path.join(this.runDir, `events.${format}`)),
      filters: format === 'csv' ? { CSV: ['csv'] } : { JSON: ['json'] },
      title: 'Export anomaly events',
    });
    if (!target) return;
    const text = format === 'csv' ? eventsToCsv(scores) : eventsToJson(scores);
    await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(text));
    this.post({ type: 'notice', level: 'info', text: `${scores.events.length} events written to ${target.fsPath}` });
  }

  private post(msg: HostToTimeline): void {
    void this.panel.webview.postMessage(msg);
  }
}

function title(runDir: string): string {
  return `TSAE timeline: ${path.basename(runDir)}`;
}
