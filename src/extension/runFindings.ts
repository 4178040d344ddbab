// Forwards what training runs find to the language server, so the findings appear on the config
// lines they blame.

import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import * as vscode from 'vscode';
import { State } from 'vscode-languageclient/node';
import { RunFindingsNotification, type RunFindingsParams } from '../core/protocol/lsp';
import type { RunFinding } from '../core/run/types';
import type { RunEvent, TsaeContext } from './ctx';

/**
 * Sends each finished or failed run's findings to the server as `tsae/runFindings`. The server
 * drops them once the config text changes, so the hash must be of the text the run STARTED with:
 * the summary's `configHash` when the worker wrote one, else a hash taken on the `started` event
 * (not when the run ends, by which time the user may have edited the config).
 */
export class RunFindingsForwarder implements vscode.Disposable {
  private readonly startHashes = new Map<string, Promise<string | undefined>>();
  private readonly subscription: vscode.Disposable;

  constructor(private readonly ctx: TsaeContext) {
    this.subscription = ctx.onRunEvent((e) => void this.handle(e).catch((error) => this.logError(e, error)));
  }

  dispose(): void {
    this.subscription.dispose();
  }

  private async handle({ configFile, runDir, event }: RunEvent): Promise<void> {
    if (event.type === 'started') {
      this.startHashes.set(event.runDir, configTextHash(configFile));
      return;
    }
    if (event.type !== 'finished' && event.type !== 'failed') return;
    const dir = event.runDir ?? runDir;
    // A run that failed before it produced a summary found nothing; earlier findings stay.
    if (!event.summary || !dir) return;
    // The worker's own hash is of the exact text it trained on; the start-time one is a fallback
    // for workers that do not write it.
    const started = this.startHashes.get(dir);
    this.startHashes.delete(dir);
    const hash = event.summary.configHash ?? (await started) ?? (await configTextHash(configFile));
    if (hash === undefined) return;
    await this.send(configFile, dir, hash, event.summary.findings);
  }

  private async send(configFile: string, runDir: string, configHash: string, findings: RunFinding[]): Promise<void> {
    const client = this.ctx.client;
    if (!client || client.state !== State.Running) {
      this.ctx.output.warn(`language server not running; findings of ${runDir} are not shown in the config`);
      return;
    }
    const params: RunFindingsParams = {
      uri: client.code2ProtocolConverter.asUri(vscode.Uri.file(configFile)),
      runDir,
      runName: basename(runDir),
      configHash,
      findings,
    };
    await client.sendNotification(RunFindingsNotification, params);
  }

  private logError(e: RunEvent, error: unknown): void {
    this.ctx.output.error(`cannot forward findings of the run for ${e.configFile}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** sha256 of the config as the run sees it: the editor text when open, else the file on disk. */
async function configTextHash(configFile: string): Promise<string | undefined> {
  const open = vscode.workspace.textDocuments.find((d) => d.uri.scheme === 'file' && d.uri.fsPath === configFile);
  let text: string;
  try {
    text = open ? open.getText() : await readFile(configFile, 'utf8');
  } catch {
    return undefined;
  }
  return createHash('sha256').update(text, 'utf8').digest('hex');
}
