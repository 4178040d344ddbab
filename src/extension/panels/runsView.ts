// The side panel `tsae.runs`: the workspace's runs, a compact reconstruction of the selected run's
// worst window, and buttons to open a run or compare two. Refreshed by a file watcher on
// summary.json files and by run events.

import * as vscode from 'vscode';
import { isWebviewToHost, type HostToWebview, type RunListItem, type RunNoteField, type WebviewToHost } from '../../core/protocol/webview';
import { parseTags, updateRunNotes } from '../../core/run/experiments';
import { ComparePanel } from './comparePanel';
import { worstReconstruction } from '../../core/run/windows';
import { DashboardPanel } from './dashboard';
import { readReconstructions } from './runStore';
import { collectRuns, describeError, webviewOptions, type PanelServices } from './services';
import { webviewHtml } from './webviewHtml';

/** Epoch events come every few hundred ms; the list needs no more than this many refreshes per second. */
const REFRESH_DELAY_MS = 300;

export class RunsViewProvider implements vscode.WebviewViewProvider, vscode.Disposable {
  static readonly viewId = 'tsae.runs';

  private view: vscode.WebviewView | undefined;
  private runs: RunListItem[] = [];
  private refreshTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly services: PanelServices) {
    const watcher = vscode.workspace.createFileSystemWatcher('**/.tsae/runs/*/summary.json');
    this.disposables.push(
      watcher,
      watcher.onDidCreate(() => this.scheduleRefresh()),
      watcher.onDidChange(() => this.scheduleRefresh()),
      watcher.onDidDelete(() => this.scheduleRefresh()),
      services.live.onUpdate((u) => {
        if (u.event.type === 'started' || u.event.type === 'epoch' || u.event.type === 'finished' || u.event.type === 'failed') {
          this.scheduleRefresh();
        }
      }),
    );
  }

  resolveWebviewView(view: vscode.WebviewView): void {
    this.view = view;
    view.webview.options = webviewOptions(this.services.ctx.extension.extensionUri);
    view.webview.html = webviewHtml(view.webview, this.services.ctx.extension.extensionUri, 'runs', 'TSAE runs');
    this.disposables.push(
      view.webview.onDidReceiveMessage((msg: unknown) => this.receive(msg)),
      view.onDidDispose(() => {
        this.view = undefined;
      }),
    );
  }

  scheduleRefresh(): void {
    if (this.refreshTimer) return;
    this.refreshTimer = setTimeout(() => {
      this.refreshTimer = undefined;
      void this.refresh();
    }, REFRESH_DELAY_MS);
  }

  async refresh(): Promise<void> {
    this.runs = await collectRuns(this.services);
    this.post({ type: 'runs', runs: this.runs });
  }

  dispose(): void {
    if (this.refreshTimer) clearTimeout(this.refreshTimer);
    while (this.disposables.length > 0) this.disposables.pop()?.dispose();
  }

  private receive(msg: unknown): void {
    if (!isWebviewToHost(msg)) {
      this.services.ctx.output.warn('ignoring a malformed message from the runs view');
      return;
    }
    void this.handle(msg).catch((error) => {
      this.services.ctx.output.error(`runs view: ${describeError(error)}`);
      this.post({ type: 'notice', level: 'error', text: describeError(error) });
    });
  }

  private async handle(msg: WebviewToHost): Promise<void> {
    switch (msg.type) {
      case 'ready':
        return this.refresh();
      case 'selectRun': {
        if (!this.isListed(msg.runDir)) return;
        const reconstructions = this.services.live.get(msg.runDir)?.reconstructions ?? (await readReconstructions(msg.runDir));
        this.post({
          type: 'preview',
          runDir: msg.runDir,
          features: reconstructions?.features ?? [],
          window: (reconstructions && worstReconstruction(reconstructions)) ?? null,
        });
        return;
      }
      case 'openRun':
        if (this.isListed(msg.runDir)) DashboardPanel.show(this.services, msg.runDir);
        return;
      case 'compareRuns': {
        const a = this.runs.find((r) => r.runDir === msg.runDirA);
        const b = this.runs.find((r) => r.runDir === msg.runDirB);
        if (!a || !b || a === b) return;
        // The older run is the baseline, so "before/after" reads in time order.
        const [older, newer] = Date.parse(a.startedAt) <= Date.parse(b.startedAt) ? [a, b] : [b, a];
        DashboardPanel.show(this.services, newer.runDir, older.runDir);
        return;
      }
      case 'editRun':
        if (this.isListed(msg.runDir)) await this.editRun(msg.runDir, msg.field);
        return;
      case 'deleteRun':
        if (this.isListed(msg.runDir) && (await vscode.commands.executeCommand<boolean>('tsae.deleteRun', msg.runDir))) await this.refresh();
        return;
      case 'resumeRun':
        // The command says why when the run cannot be resumed; the list follows the run's folder as it trains.
        if (this.isListed(msg.runDir)) void vscode.commands.executeCommand('tsae.resumeRun', msg.runDir);
        return;
      case 'compareMany': {
        const dirs = msg.runDirs.filter((d) => this.isListed(d));
        if (dirs.length >= 2) await ComparePanel.show(this.services, dirs);
        return;
      }
      case 'goToConfig':
      case 'applyFix':
      case 'openRuleDocs':
      case 'requestWindow':
        this.services.ctx.output.warn(`ignoring ${msg.type} from the runs view`);
        return;
    }
  }

  /** Asks for the run's new name, tags or note and stores it in the run folder (notes.json). */
  private async editRun(runDir: string, field: RunNoteField): Promise<void> {
    const run = this.runs.find((r) => r.runDir === runDir);
    const prompts: Record<RunNoteField, { prompt: string; value: string }> = {
      label: { prompt: `Name for the run ${run?.name ?? ''} (empty: the config's name)`, value: run?.label ?? '' },
      tags: { prompt: 'Tags, separated by commas (empty: none)', value: (run?.tags ?? []).join(', ') },
      note: { prompt: 'Note on this run (empty: none)', value: run?.note ?? '' },
    };
    const text = await vscode.window.showInputBox({ ...prompts[field], title: `TSAE: ${field === 'label' ? 'rename' : field === 'tags' ? 'tag' : 'annotate'} run` });
    if (text === undefined) return;
    const change = field === 'tags' ? { tags: parseTags(text) } : { [field]: text.trim() === '' ? undefined : text };
    await updateRunNotes(runDir, change);
    await this.refresh();
  }

  /** The page may be stale or tampered with; act only on folders this view listed. */
  private isListed(runDir: string): boolean {
    const listed = this.runs.some((r) => r.runDir === runDir);
    if (!listed) this.services.ctx.output.warn(`runs view asked for an unlisted run ${runDir}`);
    return listed;
  }

  private post(msg: HostToWebview): void {
    void this.view?.webview.postMessage(msg);
  }
}
