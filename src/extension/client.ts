// The language client: starts dist/server.js over node IPC for TSAE configs, and forwards what
// training runs find to it so the findings appear on the config lines they blame.

import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import * as vscode from 'vscode';
import { LanguageClient, State, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import { RunFindingsNotification, type RunFindingsParams } from '../core/protocol/lsp';
import type { RunFinding } from '../core/run/types';
import { serverOptions } from './config';
import type { RunEvent, TsaeContext } from './ctx';

/** Config documents: the TSAE languages, and YAML/JSON files named like configs. */
export const TSAE_DOCUMENT_SELECTOR = [
  { language: 'tsae-yaml' },
  { language: 'tsae-json' },
  { language: 'yaml', pattern: '**/*.tsae.{yaml,yml}' },
  { language: 'json', pattern: '**/*.tsae.json' },
  { language: 'jsonc', pattern: '**/*.tsae.json' },
];

/**
 * Python files get the same rules through the Python front end. Notebook cells are synced with
 * notebook document sync (the server asks for jupyter-notebook python cells; the client then
 * does not sync them as text too); the cell filter routes hovers and code actions to the server.
 */
export const PYTHON_DOCUMENT_SELECTOR = [
  { language: 'python', scheme: 'file' },
  { language: 'python', scheme: 'untitled' },
  { notebook: 'jupyter-notebook', language: 'python' },
];

/** Data files and configs whose change on disk can change a config's diagnostics. */
const WATCHED_FILES = ['**/*.csv', '**/*.txt', '**/*.tsae.*'];

export function createLanguageClient(ctx: TsaeContext): LanguageClient {
  const module = ctx.extension.asAbsolutePath('dist/server.js');
  const server: ServerOptions = {
    run: { module, transport: TransportKind.ipc },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6010'] } },
  };
  const watchers = WATCHED_FILES.map((glob) => vscode.workspace.createFileSystemWatcher(glob));
  watchers.forEach((watcher) => ctx.pushCleanup(watcher));
  const options: LanguageClientOptions = {
    documentSelector: [...TSAE_DOCUMENT_SELECTOR, ...PYTHON_DOCUMENT_SELECTOR],
    synchronize: { fileEvents: watchers },
    outputChannel: ctx.output,
    // A function, so a restart picks up changed settings.
    initializationOptions: () => serverOptions(),
  };
  // The id `tsae` makes the client honour the `tsae.trace.server` setting.
  return new LanguageClient('tsae', 'TSAE Language Server', server, options);
}

/**
 * Sends each finished or failed run's findings to the server as `tsae/runFindings`. The server
 * drops them once the config text changes, so the hash must be of the text the run STARTED with:
 * the summary's `configHash` when the worker wrote one, else a hash taken on the `started` event
 * (not when the run ends, by which time the user may have edited the config).
 */
export class RunFindingsForwarder implements vscode.Disposable {
  private readonly startHashes = new Map<string, Promise<string | undefined>>();
  private readonly subscription: vscode.Disposable;

  constructor(
    private readonly ctx: TsaeContext,
    private readonly client: () => LanguageClient | undefined,
  ) {
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
    const client = this.client();
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
