// One object owns what lives as long as the extension (after rust-analyzer's Ctx): the output
// channel, the settings, the language client, the runs training right now with their status bar
// item, the panels' live-run state, the run-event bus and every disposable. Features receive it
// instead of reaching for module-level state.

import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import type { WorkerEvent } from '../core/protocol/worker';
import { ActiveRuns } from './activeRuns';
import { createLanguageClient } from './client';
import { TsaeSettings } from './config';
import { LiveRuns } from './panels/liveRuns';

/** A worker event tagged with the run it belongs to. */
export interface RunEvent {
  configFile: string;
  runDir?: string;
  event: WorkerEvent;
}

export class TsaeContext implements vscode.Disposable {
  readonly output: vscode.LogOutputChannel;
  /** The `tsae.*` settings, read live on every access. */
  readonly settings: TsaeSettings;
  /** Runs training right now, one per config file, and their status bar item. */
  readonly activeRuns: ActiveRuns;
  /** Everything the panels know about runs still training (or just finished). */
  readonly live = new LiveRuns();
  /**
   * The run a config's next training should be compared with, keyed by config file. Set by
   * "Apply fix & retrain" just before it starts training; the 'started' event consumes it.
   */
  readonly pendingBaselines = new Map<string, string>();
  private languageClient: LanguageClient | undefined;
  private readonly runEvents = new vscode.EventEmitter<RunEvent>();
  /** Fires for every message a training worker posts (panels, status bar, diagnostics listen). */
  readonly onRunEvent = this.runEvents.event;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(readonly extension: vscode.ExtensionContext) {
    this.output = vscode.window.createOutputChannel('TSAE', { log: true });
    this.settings = new TsaeSettings((problem) => this.output.warn(problem.message));
    this.activeRuns = new ActiveRuns();
    this.disposables.push(this.output, this.runEvents, this.activeRuns);
  }

  /** The language client; undefined before the first start and after deactivation. */
  get client(): LanguageClient | undefined {
    return this.languageClient;
  }

  publishRunEvent(e: RunEvent): void {
    this.runEvents.fire(e);
  }

  pushCleanup(d: vscode.Disposable): void {
    this.disposables.push(d);
  }

  /** Root for `.tsae/runs`: the first workspace folder, or the config's folder outside a workspace. */
  runsDirFor(configUri: vscode.Uri): string {
    const folder = vscode.workspace.getWorkspaceFolder(configUri) ?? vscode.workspace.workspaceFolders?.[0];
    const root = folder ? folder.uri.fsPath : vscode.Uri.joinPath(configUri, '..').fsPath;
    return vscode.Uri.joinPath(vscode.Uri.file(root), '.tsae', 'runs').fsPath;
  }

  /** Starts the language server; on failure linting is lost but training and panels still work. */
  async startServer(): Promise<void> {
    this.languageClient ??= createLanguageClient({
      serverModule: this.extension.asAbsolutePath('dist/server.js'),
      output: this.output,
      serverOptions: () => this.settings.serverOptions(),
      pushCleanup: (d) => this.pushCleanup(d),
    });
    try {
      await this.languageClient.start();
    } catch (error) {
      this.output.error(`TSAE language server failed to start: ${describe(error)}`);
    }
  }

  async restartServer(): Promise<void> {
    if (!this.languageClient) return this.startServer();
    try {
      await this.languageClient.restart();
      this.output.info('TSAE language server restarted');
    } catch (error) {
      this.output.error(`TSAE language server failed to restart: ${describe(error)}`);
    }
  }

  async stopServer(): Promise<void> {
    const running = this.languageClient;
    this.languageClient = undefined;
    if (running?.needsStop()) await running.stop();
  }

  dispose(): void {
    while (this.disposables.length > 0) this.disposables.pop()?.dispose();
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
