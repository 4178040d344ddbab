// The run dashboard: one webview panel per run (or per compared pair), created or revealed.
// The page is rebuilt whenever it becomes visible (no retainContextWhenHidden), asks with 'ready',
// and gets the whole run in 'init'; while the run trains, events are forwarded as they come.

import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { isDashboardState, isWebviewToHost, type HostToWebview, type RunData, type WebviewToHost } from '../../core/protocol/webview';
import type { RunFinding } from '../../core/run/types';
import { applyFixAndRetrain, revealConfigKey } from './configActions';
import { readReconstructions, readRunData } from './runStore';
import { runScoringJob } from '../../core/scoring/job';
import { rankedWindows, sameWindow } from '../../core/run/windows';
import { formatRunFolderProblems, validateRunFolder } from '../../core/run/validate';
import { describeError, webviewOptions, type PanelServices } from './services';
import { webviewHtml } from './webviewHtml';

export class DashboardPanel implements vscode.Disposable {
  static readonly viewType = 'tsae.dashboard';
  private static readonly panels = new Map<string, DashboardPanel>();

  private readonly disposables: vscode.Disposable[] = [];
  /** The run as last sent to the page; live runs share the object LiveRuns updates. */
  private run: RunData | undefined;

  /** Shows the dashboard of `runDir` (compared with `baselineDir` when given), creating it if needed. */
  static show(services: PanelServices, runDir: string, baselineDir?: string, preserveFocus = false): DashboardPanel {
    const existing = DashboardPanel.panels.get(panelKey(runDir, baselineDir));
    if (existing) {
      existing.panel.reveal(undefined, preserveFocus);
      return existing;
    }
    const panel = vscode.window.createWebviewPanel(
      DashboardPanel.viewType,
      panelTitle(runDir, baselineDir),
      { viewColumn: vscode.ViewColumn.Beside, preserveFocus },
      { ...webviewOptions(services.ctx.extension.extensionUri), enableFindWidget: true },
    );
    return new DashboardPanel(services, panel, runDir, baselineDir);
  }

  /** Restores a panel VS Code kept across a reload; its state names the run (see DashboardState). */
  static revive(services: PanelServices, panel: vscode.WebviewPanel, state: unknown): void {
    if (!isDashboardState(state)) {
      services.ctx.output.warn('dropping a TSAE dashboard whose saved state names no run');
      panel.dispose();
      return;
    }
    const key = panelKey(state.runDir, state.baselineDir);
    if (DashboardPanel.panels.has(key)) {
      panel.dispose();
      return;
    }
    panel.webview.options = webviewOptions(services.ctx.extension.extensionUri);
    new DashboardPanel(services, panel, state.runDir, state.baselineDir);
  }

  static disposeAll(): void {
    for (const p of [...DashboardPanel.panels.values()]) p.dispose();
  }

  private constructor(
    private readonly services: PanelServices,
    private readonly panel: vscode.WebviewPanel,
    readonly runDir: string,
    readonly baselineDir: string | undefined,
  ) {
    DashboardPanel.panels.set(panelKey(runDir, baselineDir), this);
    panel.webview.html = webviewHtml(panel.webview, services.ctx.extension.extensionUri, 'dashboard', panelTitle(runDir, baselineDir));
    this.disposables.push(
      panel.onDidDispose(() => this.dispose()),
      panel.webview.onDidReceiveMessage((msg: unknown) => this.receive(msg)),
      services.live.onUpdate((u) => {
        if (u.runDir !== this.runDir || !u.message) return;
        this.run = services.live.get(this.runDir) ?? this.run;
        // The whole run again (a resumed run's earlier epochs were read from disk): with the baseline, as on open.
        if (u.message.type === 'init') {
          void this.sendInit();
          return;
        }
        this.post(u.message);
        if (u.message.type === 'status') {
          this.panel.title = panelTitle(this.runDir, this.baselineDir);
          if (u.message.summary.status !== 'running') void this.sendSavedReconstructions(u.message.summary.epochs);
        }
      }),
    );
  }

  private disposed = false;
  /** The on-demand reconstruction in flight (a newer request cancels it). */
  private fetching: AbortController | undefined;

  dispose(): void {
    // panel.dispose() fires onDidDispose, which calls back here.
    if (this.disposed) return;
    this.disposed = true;
    DashboardPanel.panels.delete(panelKey(this.runDir, this.baselineDir));
    this.services.live.forget(this.runDir);
    this.fetching?.abort();
    while (this.disposables.length > 0) this.disposables.pop()?.dispose();
    this.panel.dispose();
  }

  private receive(msg: unknown): void {
    if (!isWebviewToHost(msg)) {
      this.services.ctx.output.warn(`ignoring a malformed message from the dashboard of ${this.runDir}: ${preview(msg)}`);
      return;
    }
    void this.handle(msg).catch((error) => {
      this.services.ctx.output.error(`dashboard ${this.runDir}: ${describeError(error)}`);
      this.post({ type: 'notice', level: 'error', text: describeError(error) });
    });
  }

  private async handle(msg: WebviewToHost): Promise<void> {
    switch (msg.type) {
      case 'ready':
        return this.sendInit();
      case 'goToConfig': {
        const { run, finding } = this.findingOf(msg.code, msg.configPath);
        if (!run || !finding) return this.rejectUnknownFinding(msg.code, msg.configPath);
        if (!this.configExists(run)) return;
        const found = await revealConfigKey(run.summary.configFile, finding.code, finding.configPath);
        if (!found) this.post({ type: 'notice', level: 'info', text: `${finding.configPath} is not written in the config; it takes its default.` });
        return;
      }
      case 'applyFix': {
        const { run, finding } = this.findingOf(msg.code, msg.configPath);
        if (!run || !finding?.fix) return this.rejectUnknownFinding(msg.code, msg.configPath);
        if (!this.configExists(run)) return;
        const outcome = await applyFixAndRetrain(this.services, run, finding);
        this.post({ type: 'notice', level: outcome.ok ? 'info' : 'error', text: outcome.text });
        return;
      }
      case 'openRuleDocs':
        await vscode.commands.executeCommand('tsae.showRuleDocs', msg.code);
        break;
      case 'scoreRun':
        await vscode.commands.executeCommand('tsae.scoreData', this.runDir);
        return;
      case 'requestWindow':
        return this.sendWindow(msg.index, msg.heldOut);
      case 'selectRun':
      case 'openRun':
      case 'compareRuns':
      case 'editRun':
      case 'deleteRun':
      case 'resumeRun':
      case 'compareMany':
        // Side-panel messages; a dashboard never sends them.
        this.services.ctx.output.warn(`ignoring ${msg.type} from a dashboard`);
        return;
    }
  }

  private async sendInit(): Promise<void> {
    const run = this.services.live.get(this.runDir) ?? (await readRunData(this.runDir));
    if (!run) {
      const problems = formatRunFolderProblems(await validateRunFolder(this.runDir, 'view'));
      this.post({ type: 'notice', level: 'error', text: `No readable run in ${this.runDir}: ${problems || 'summary.json missing or invalid'}` });
      return;
    }
    this.run = run;
    const baseline = this.baselineDir ? (this.services.live.get(this.baselineDir) ?? (await readRunData(this.baselineDir))) : undefined;
    this.panel.title = panelTitle(this.runDir, this.baselineDir);
    this.post({ type: 'init', run, baseline });
  }

  /**
   * A finished run's saved reconstructions replace the live ones: the final model may be another
   * epoch's (early stopping restores the best), and the runs panel previews the saved worst window.
   */
  private async sendSavedReconstructions(epoch: number): Promise<void> {
    const saved = await readReconstructions(this.runDir);
    if (!saved || this.disposed) return;
    const live = this.services.live.get(this.runDir);
    if (live) live.reconstructions = saved;
    if (this.run && this.run !== live) this.run.reconstructions = saved;
    this.post({ type: 'reconstructions', epoch: Math.max(epoch, 1), features: saved.features, windows: saved.windows, ...(saved.ranking ? { ranking: saved.ranking } : {}) });
  }

  /**
   * The values of a ranked window saved without them, reconstructed in a scoring worker from the
   * run's model (the latest checkpoint while it trains) and its data cut as in training. Only
   * windows the run ranked are reconstructed.
   */
  private async sendWindow(index: number, heldOut: boolean): Promise<void> {
    const run = this.services.live.get(this.runDir) ?? this.run;
    const ranked = run?.reconstructions ? rankedWindows(run.reconstructions) : [];
    if (!ranked.some((w) => sameWindow(w, { index, heldOut }))) {
      this.services.ctx.output.warn(`dashboard ${this.runDir}: window ${index}${heldOut ? ' (held-out)' : ''} is not in the run's ranking`);
      return;
    }
    this.fetching?.abort();
    const controller = new AbortController();
    this.fetching = controller;
    const workerFile = this.services.ctx.extension.asAbsolutePath(path.join('dist', 'worker.js'));
    const final = await runScoringJob(
      workerFile,
      { type: 'reconstruct', runDir: this.runDir, window: index, set: heldOut ? 'heldOut' : 'validation' },
      undefined,
      controller.signal,
    );
    if (controller.signal.aborted || this.disposed) return;
    if (final.type === 'windowReconstruction') this.post({ type: 'window', features: final.features, window: final.window });
    else if (final.type === 'failed') this.post({ type: 'notice', level: 'error', text: `window #${index}: ${final.message}` });
  }

  /** Only findings of this panel's run are acted on; the page cannot name arbitrary config files. */
  private findingOf(code: string, configPath: string): { run?: RunData; finding?: RunFinding } {
    const run = this.run;
    const finding = run?.summary.findings.find((f) => f.code === code && f.configPath === configPath);
    return { run, finding };
  }

  /** Runs outlive their configs (renamed, deleted, another machine); say so instead of failing to open it. */
  private configExists(run: RunData): boolean {
    if (fs.existsSync(run.summary.configFile)) return true;
    this.post({ type: 'notice', level: 'error', text: `The config this run used, ${run.summary.configFile}, no longer exists.` });
    return false;
  }

  private rejectUnknownFinding(code: string, configPath: string): void {
    this.services.ctx.output.warn(`dashboard ${this.runDir}: no finding ${code} at ${configPath}`);
    this.post({ type: 'notice', level: 'error', text: `This run has no finding ${code} at ${configPath}.` });
  }

  private post(msg: HostToWebview): void {
    // A hidden page is gone; it asks again with 'ready' when shown, so a lost message is harmless.
    void this.panel.webview.postMessage(msg);
  }
}

function panelKey(runDir: string, baselineDir: string | undefined): string {
  return baselineDir ? `${runDir}\u0000${baselineDir}` : runDir;
}

function panelTitle(runDir: string, baselineDir: string | undefined): string {
  const name = path.basename(runDir);
  return baselineDir ? `TSAE: ${path.basename(baselineDir)} → ${name}` : `TSAE: ${name}`;
}

function preview(value: unknown): string {
  try {
    return JSON.stringify(value).slice(0, 200);
  } catch {
    return String(value);
  }
}
