// A minimal LSP client that drives `node dist/server.js --stdio` the way an editor does. The
// server tests and the lint-latency benchmark share it. Waiting is always on a message with a
// timeout, never on a fixed sleep.

import { spawn, type ChildProcessByStdio } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Readable, Writable } from 'node:stream';
import {
  CodeActionRequest,
  CompletionRequest,
  DocumentLinkRequest,
  DidChangeTextDocumentNotification,
  DidChangeWatchedFilesNotification,
  DidCloseTextDocumentNotification,
  DidOpenTextDocumentNotification,
  ExitNotification,
  HoverRequest,
  InitializedNotification,
  InitializeRequest,
  PublishDiagnosticsNotification,
  ShutdownRequest,
  StreamMessageReader,
  StreamMessageWriter,
  createProtocolConnection,
  type CodeAction,
  type CompletionItem,
  type CompletionList,
  type DocumentLink,
  type Command,
  type Diagnostic,
  type FileEvent,
  type Hover,
  type InitializeResult,
  type Position,
  type ProtocolConnection,
  type PublishDiagnosticsParams,
  type Range,
} from 'vscode-languageserver-protocol/node';
import { RunFindingsNotification, type RunFindingsParams, type TsaeServerOptions } from '../src/core/protocol/lsp';

/**
 * The repository root: the nearest folder up from this file whose package.json names `tsae`, or
 * else up from the working directory (for builds compiled to a folder outside the tree).
 */
export function repoRoot(): string {
  const root = findTsaeRoot(__dirname) ?? findTsaeRoot(process.cwd());
  if (!root) throw new Error(`no tsae package.json above ${__dirname} or ${process.cwd()}`);
  return root;
}

function findTsaeRoot(from: string): string | undefined {
  for (let dir = from; ; dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'tsae') return dir;
    if (dirname(dir) === dir) return undefined;
  }
}

export interface StartOptions {
  /** Passed as `initializationOptions`. */
  server?: TsaeServerOptions;
  /** Advertise versioned workspace edits (`documentChanges`). Default false. */
  documentChanges?: boolean;
  /** Absolute paths sent as the workspace folders. Default none. */
  workspaceFolders?: string[];
}

interface Waiter {
  accept(params: PublishDiagnosticsParams): boolean;
}

export class LspStdioClient {
  /** Everything the server wrote to stderr and `window/logMessage`, for failure messages. */
  readonly log: string[] = [];
  private readonly published = new Map<string, PublishDiagnosticsParams[]>();
  private readonly waiters = new Set<Waiter>();
  private readonly versions = new Map<string, number>();
  private readonly texts = new Map<string, string>();
  private readonly exited: Promise<number | null>;
  initializeResult: InitializeResult | undefined;

  private constructor(
    private readonly child: ChildProcessByStdio<Writable, Readable, Readable>,
    private readonly connection: ProtocolConnection,
  ) {
    this.exited = new Promise((resolve) => child.on('exit', (code) => resolve(code)));
    child.stderr.on('data', (chunk: Buffer) => this.log.push(chunk.toString('utf8')));
    connection.onNotification('window/logMessage', (params: { message: string }) => this.log.push(params.message));
    connection.onNotification(PublishDiagnosticsNotification.type, (params) => {
      const list = this.published.get(params.uri) ?? [];
      list.push(params);
      this.published.set(params.uri, list);
      for (const waiter of [...this.waiters]) if (waiter.accept(params)) this.waiters.delete(waiter);
    });
    // Servers may ask for configuration or to register capabilities; answer like a plain editor.
    connection.onRequest('client/registerCapability', () => null);
    connection.onRequest('workspace/configuration', (params: { items: unknown[] }) => params.items.map(() => null));
  }

  static async start(options: StartOptions = {}): Promise<LspStdioClient> {
    // TSAE_SERVER_JS lets a benchmark compare another build of the server.
    const serverJs = process.env.TSAE_SERVER_JS ?? join(repoRoot(), 'dist', 'server.js');
    if (!existsSync(serverJs)) throw new Error(`${serverJs} is missing; run \`node esbuild.mjs\` first`);
    // TSAE_SERVER_NODE_ARGS passes node flags to the server, e.g. "--cpu-prof --cpu-prof-dir=prof" to profile a fuzz run.
    const nodeArgs = (process.env.TSAE_SERVER_NODE_ARGS ?? '').split(' ').filter((a) => a !== '');
    const child = spawn(process.execPath, [...nodeArgs, serverJs, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
    const connection = createProtocolConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
    connection.listen();
    const client = new LspStdioClient(child, connection);
    client.initializeResult = await connection.sendRequest(InitializeRequest.type, {
      processId: process.pid,
      rootUri: null,
      initializationOptions: options.server ?? {},
      capabilities: {
        textDocument: {
          publishDiagnostics: { relatedInformation: true, codeDescriptionSupport: true, versionSupport: true, dataSupport: true },
          hover: { contentFormat: ['markdown', 'plaintext'] },
          completion: { completionItem: { documentationFormat: ['markdown', 'plaintext'] } },
          codeAction: { dataSupport: true, isPreferredSupport: true },
        },
        workspace: { workspaceEdit: { documentChanges: options.documentChanges === true } },
      },
      workspaceFolders: options.workspaceFolders?.map((folder) => ({ uri: pathToFileURL(folder).href, name: basename(folder) })) ?? null,
    });
    await connection.sendNotification(InitializedNotification.type, {});
    return client;
  }

  async open(uri: string, languageId: string, text: string): Promise<void> {
    this.versions.set(uri, 1);
    this.texts.set(uri, text);
    await this.connection.sendNotification(DidOpenTextDocumentNotification.type, {
      textDocument: { uri, languageId, version: 1, text },
    });
  }

  /** Replaces the whole text; returns the new version. */
  async change(uri: string, text: string): Promise<number> {
    const version = (this.versions.get(uri) ?? 0) + 1;
    this.versions.set(uri, version);
    this.texts.set(uri, text);
    await this.connection.sendNotification(DidChangeTextDocumentNotification.type, {
      textDocument: { uri, version },
      contentChanges: [{ text }],
    });
    return version;
  }

  async close(uri: string): Promise<void> {
    this.versions.delete(uri);
    this.texts.delete(uri);
    await this.connection.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri } });
  }

  text(uri: string): string {
    const text = this.texts.get(uri);
    if (text === undefined) throw new Error(`${uri} is not open`);
    return text;
  }

  version(uri: string): number {
    return this.versions.get(uri) ?? 0;
  }

  async watchedFilesChanged(changes: FileEvent[]): Promise<void> {
    await this.connection.sendNotification(DidChangeWatchedFilesNotification.type, { changes });
  }

  /**
   * Opens a notebook through notebook document sync (LSP 3.17), as VS Code does for Jupyter
   * notebooks; returns the cell URIs, whose diagnostics arrive at version 1.
   */
  async openNotebook(uri: string, cells: Array<{ kind: 'code' | 'markup'; text: string }>): Promise<string[]> {
    const cellUris = cells.map((_, index) => `vscode-notebook-cell:${uri.replace(/^file:/, '')}#cell${index}`);
    for (const cellUri of cellUris) this.versions.set(cellUri, 1);
    cells.forEach((cell, index) => this.texts.set(cellUris[index], cell.text));
    await this.connection.sendNotification('notebookDocument/didOpen', {
      notebookDocument: {
        uri,
        notebookType: 'jupyter-notebook',
        version: 1,
        cells: cells.map((cell, index) => ({ kind: cell.kind === 'code' ? 2 : 1, document: cellUris[index] })),
      },
      cellTextDocuments: cells.map((cell, index) => ({ uri: cellUris[index], languageId: cell.kind === 'code' ? 'python' : 'markdown', version: 1, text: cell.text })),
    });
    return cellUris;
  }

  async runFindings(params: RunFindingsParams): Promise<void> {
    await this.connection.sendNotification(RunFindingsNotification, params);
  }

  hover(uri: string, position: Position): Promise<Hover | null> {
    return this.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position });
  }

  /** `triggerCharacter`: the character typed that opened completion, as an editor sends it (none: invoked). */
  completion(uri: string, position: Position, triggerCharacter?: string): Promise<CompletionItem[] | CompletionList | null> {
    const context = triggerCharacter === undefined ? { triggerKind: 1 as const } : { triggerKind: 2 as const, triggerCharacter };
    return this.connection.sendRequest(CompletionRequest.type, { textDocument: { uri }, position, context });
  }

  documentLinks(uri: string): Promise<DocumentLink[] | null> {
    return this.connection.sendRequest(DocumentLinkRequest.type, { textDocument: { uri } });
  }

  codeActions(uri: string, range: Range, diagnostics: Diagnostic[], only?: string[]): Promise<(Command | CodeAction)[] | null> {
    return this.connection.sendRequest(CodeActionRequest.type, { textDocument: { uri }, range, context: { diagnostics, only } });
  }

  /** The server's process id (for RSS and CPU readings from /proc). */
  get pid(): number | undefined {
    return this.child.pid;
  }

  /** True once the server process has exited. */
  get hasExited(): boolean {
    return this.child.exitCode !== null || this.child.signalCode !== null;
  }

  /** How many diagnostics publications arrived for `uri` so far. */
  publishCount(uri: string): number {
    return this.published.get(uri)?.length ?? 0;
  }

  latest(uri: string): PublishDiagnosticsParams | undefined {
    const list = this.published.get(uri);
    return list?.[list.length - 1];
  }

  /**
   * The first publication for `uri` that matches: for `version` (default: the current one), or
   * the first one after `afterCount` publications when that is given. Resolves at once if it has
   * already arrived.
   */
  diagnostics(uri: string, options: { version?: number; afterCount?: number; timeoutMs?: number } = {}): Promise<PublishDiagnosticsParams> {
    const version = options.afterCount === undefined ? (options.version ?? this.version(uri)) : undefined;
    const matches = (params: PublishDiagnosticsParams, index: number): boolean =>
      params.uri === uri && (options.afterCount === undefined || index >= options.afterCount) && (version === undefined || params.version === version);
    const seen = this.published.get(uri) ?? [];
    const already = seen.find((params, index) => matches(params, index));
    if (already) return Promise.resolve(already);
    const timeoutMs = options.timeoutMs ?? 10_000;
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        accept: (params) => {
          if (!matches(params, this.publishCount(uri) - 1)) return false;
          clearTimeout(timer);
          resolve(params);
          return true;
        },
      };
      const timer = setTimeout(() => {
        this.waiters.delete(waiter);
        const what = options.afterCount === undefined ? `version ${version}` : `publication #${options.afterCount + 1}`;
        reject(new Error(`no diagnostics for ${uri} (${what}) within ${timeoutMs} ms; server log:\n${this.log.join('')}`));
      }, timeoutMs);
      this.waiters.add(waiter);
    });
  }

  /** `shutdown` then `exit`; resolves with the server's exit code. */
  async shutdown(timeoutMs = 5_000): Promise<number | null> {
    await this.connection.sendRequest(ShutdownRequest.type);
    await this.connection.sendNotification(ExitNotification.type);
    return this.waitForExit(timeoutMs);
  }

  /** Ends the server whatever state it is in (for test cleanup). */
  async dispose(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) {
      try {
        await this.shutdown(2_000);
      } catch {
        this.child.kill();
      }
    }
    this.connection.dispose();
  }

  private async waitForExit(timeoutMs: number): Promise<number | null> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`server did not exit within ${timeoutMs} ms`)), timeoutMs);
    });
    try {
      return await Promise.race([this.exited, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }
}

/** Applies LSP text edits to `text` (edits must not overlap, as the protocol requires). */
export function applyEdits(text: string, edits: { range: Range; newText: string }[]): string {
  const offsets = lineOffsets(text);
  const offsetOf = (p: Position): number => Math.min((offsets[p.line] ?? text.length) + p.character, text.length);
  const sorted = [...edits].sort((a, b) => offsetOf(b.range.start) - offsetOf(a.range.start));
  let result = text;
  for (const edit of sorted) {
    result = result.slice(0, offsetOf(edit.range.start)) + edit.newText + result.slice(offsetOf(edit.range.end));
  }
  return result;
}

function lineOffsets(text: string): number[] {
  const offsets = [0];
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '\n') offsets.push(i + 1);
  }
  return offsets;
}
