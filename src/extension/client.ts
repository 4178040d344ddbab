// The language client: starts dist/server.js over node IPC for TSAE configs. The context owns
// the client and its lifetime (ctx.startServer / restartServer / stopServer).

import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import type { TsaeServerOptions } from '../core/protocol/lsp';

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

/** What the client needs from the context (kept narrow so this module does not import ctx). */
export interface ClientSetup {
  /** Absolute path of dist/server.js. */
  serverModule: string;
  output: vscode.LogOutputChannel;
  /** Read on every (re)start, so a restart picks up changed settings. */
  serverOptions(): TsaeServerOptions;
  pushCleanup(d: vscode.Disposable): void;
}

export function createLanguageClient(setup: ClientSetup): LanguageClient {
  const module = setup.serverModule;
  const server: ServerOptions = {
    run: { module, transport: TransportKind.ipc },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6010'] } },
  };
  const watchers = WATCHED_FILES.map((glob) => vscode.workspace.createFileSystemWatcher(glob));
  watchers.forEach((watcher) => setup.pushCleanup(watcher));
  const options: LanguageClientOptions = {
    documentSelector: [...TSAE_DOCUMENT_SELECTOR, ...PYTHON_DOCUMENT_SELECTOR],
    synchronize: { fileEvents: watchers },
    outputChannel: setup.output,
    initializationOptions: () => setup.serverOptions(),
  };
  // The id `tsae` makes the client honour the `tsae.trace.server` setting.
  return new LanguageClient('tsae', 'TSAE Language Server', server, options);
}
