// "Compare Runs" for three or more runs (two open the before/after dashboard): one panel per set
// of runs with a table of the config keys that differ and the key figures, the runs' loss curves
// overlaid, and a scatter of a chosen hyperparameter against validation error (after
// TensorBoard's HParams view). Reads the run folders through the core readers.

import * as vscode from 'vscode';
import { differingKeys, readRunConfig } from '../../core/run/experiments';
import type { CompareRun, HostToCompare } from '../../core/protocol/webview';
import { readMetrics } from './runStore';
import { collectRuns, describeError, webviewOptions, type PanelServices } from './services';
import { webviewHtml } from './webviewHtml';

export class ComparePanel implements vscode.Disposable {
  static readonly viewType = 'tsae.compare';
  private static readonly panels = new Map<string, ComparePanel>();
  private readonly disposables: vscode.Disposable[] = [];

  static async show(services: PanelServices, runDirs: readonly string[]): Promise<ComparePanel | undefined> {
    const key = [...runDirs].sort().join('\n');
    const existing = ComparePanel.panels.get(key);
    if (existing) {
      existing.panel.reveal();
      return existing;
    }
    const listed = await collectRuns(services);
    const items = runDirs.map((dir) => listed.find((r) => r.runDir === dir)).filter((r) => r !== undefined);
    if (items.length < 2) {
      void vscode.window.showErrorMessage(`TSAE: comparing needs at least two readable runs (${items.length} of ${runDirs.length} found).`);
      return undefined;
    }
    const panel = vscode.window.createWebviewPanel(
      ComparePanel.viewType,
      `Compare ${items.length} runs`,
      vscode.ViewColumn.Active,
      webviewOptions(services.ctx.extension.extensionUri),
    );
    return new ComparePanel(
      services,
      panel,
      key,
      items.map((i) => i.runDir),
    );
  }

  static disposeAll(): void {
    for (const p of [...ComparePanel.panels.values()]) p.dispose();
  }

  private constructor(
    private readonly services: PanelServices,
    private readonly panel: vscode.WebviewPanel,
    private readonly key: string,
    private readonly runDirs: string[],
  ) {
    ComparePanel.panels.set(key, this);
    panel.webview.html = webviewHtml(panel.webview, services.ctx.extension.extensionUri, 'compare', `Compare ${runDirs.length} runs`);
    this.disposables.push(
      panel.onDidDispose(() => this.dispose()),
      panel.webview.onDidReceiveMessage((msg: unknown) => {
        // The page only ever says it is ready; anything else is ignored.
        if (typeof msg === 'object' && msg !== null && (msg as { type?: unknown }).type === 'ready') void this.send();
      }),
    );
  }

  private async send(): Promise<void> {
    try {
      const listed = await collectRuns(this.services);
      const runs: CompareRun[] = [];
      for (const runDir of this.runDirs) {
        const item = listed.find((r) => r.runDir === runDir);
        if (!item) continue;
        const metrics = this.services.live.get(runDir)?.metrics ?? (await readMetrics(runDir));
        runs.push({ item, curve: metrics.map((m) => [m.epoch, m.loss, m.valLoss]), config: (await readRunConfig(runDir)) ?? {} });
      }
      const message: HostToCompare = { type: 'compare', runs, differing: differingKeys(runs.map((r) => r.config)) };
      void this.panel.webview.postMessage(message);
    } catch (error) {
      this.services.ctx.output.error(`compare panel: ${describeError(error)}`);
    }
  }

  dispose(): void {
    ComparePanel.panels.delete(this.key);
    this.panel.dispose();
    while (this.disposables.length > 0) this.disposables.pop()?.dispose();
  }
}
