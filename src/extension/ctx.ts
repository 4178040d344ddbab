// One object owns what lives as long as the extension: output channel, the run-event bus and
// disposables (after rust-analyzer's Ctx). Features receive it instead of reaching for globals.

import * as vscode from 'vscode';
import type { WorkerEvent } from '../core/protocol/worker';

/** A worker event tagged with the run it belongs to. */
export interface RunEvent {
  configFile: string;
  runDir?: string;
  event: WorkerEvent;
}

export class TsaeContext implements vscode.Disposable {
  readonly output: vscode.LogOutputChannel;
  private readonly runEvents = new vscode.EventEmitter<RunEvent>();
  /** Fires for every message a training worker posts (panels, status bar, diagnostics listen). */
  readonly onRunEvent = this.runEvents.event;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(readonly extension: vscode.ExtensionContext) {
    this.output = vscode.window.createOutputChannel('TSAE', { log: true });
    this.disposables.push(this.output, this.runEvents);
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

  dispose(): void {
    while (this.disposables.length > 0) this.disposables.pop()?.dispose();
  }
}
