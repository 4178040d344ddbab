// The TSAE language server: lints `*.tsae.yaml` / `*.tsae.json` configs, and Python files and
// Jupyter notebook cells with the same rules (src/core/python/), explains them on hover,
// completes keys, values and column names, offers fixes and shows what training runs found.
// Runs over stdio, node-ipc or a socket (`node dist/server.js --stdio`). It only reads files; it
// never runs user code, so it is safe in untrusted workspaces. Every handler is guarded: bad
// input must never take the server down.

import * as path from 'node:path';
import {
  createConnection,
  NotebookCellKind,
  NotebookDocuments,
  ProposedFeatures,
  TextDocuments,
  TextDocumentSyncKind,
  CodeActionKind,
  type InitializeParams,
  type InitializeResult,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { RunFindingsNotification, isRunFindingsParams, readServerOptions } from '../core/protocol/lsp';
import { useBundledDocs } from '../core/rules/docs';
import { codeActionsFor, FIX_ALL_KIND } from './codeActions';
import { completionsAt, TRIGGER_CHARACTERS } from './completion';
import { documentLinks } from './links';
import { DocumentLinter } from './documentLinter';
import { fileNameOf, filePathOf, isPythonDocument, isTsaeDocument } from './documentKinds';
import { hoverFor, pythonHoverFor } from './hover';
import { setDataRoots } from './dataAccess';
import { NotebookLinter } from './notebookLinter';
import { initPythonParser } from '../core/python/parser';

// dist/server.js sits one folder below the package root, where docs/rules ships.
useBundledDocs(path.resolve(__dirname, '..'));

const connection = createConnection(ProposedFeatures.all);
const documents = new TextDocuments(TextDocument);
// Notebook cells arrive through notebook document sync, not as text documents.
const notebooks = new NotebookDocuments(TextDocument);
let linter: DocumentLinter | undefined;
let notebookLinter: NotebookLinter | undefined;
/** The Python parser loads asynchronously (wasm); Python documents are linted once it is ready. */
let pythonReady: Promise<unknown> = Promise.resolve();
let supportsDocumentChanges = false;

function log(message: string): void {
  connection.console.error(message);
}

/** Runs `handler`, logging and answering `fallback` if it throws. */
function guarded<A extends unknown[], R>(name: string, fallback: R, handler: (...args: A) => R): (...args: A) => R {
  return (...args: A): R => {
    try {
      return handler(...args);
    } catch (error) {
      log(`${name} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      return fallback;
    }
  };
}

function openTsaeDocument(uri: string): TextDocument | undefined {
  const document = documents.get(uri);
  return document && isTsaeDocument(document.uri, document.languageId) ? document : undefined;
}

function openPythonDocument(uri: string): TextDocument | undefined {
  const document = documents.get(uri);
  return document && isPythonDocument(document.uri, document.languageId) ? document : undefined;
}

function isLinted(document: TextDocument): boolean {
  return isTsaeDocument(document.uri, document.languageId) || isPythonDocument(document.uri, document.languageId);
}

/** Local folders of the workspace (workspaceFolders, else the deprecated rootUri/rootPath). */
function workspaceRoots(params: InitializeParams): string[] {
  const uris = params.workspaceFolders?.map((folder) => folder.uri) ?? (params.rootUri ? [params.rootUri] : []);
  const paths = uris.map((uri) => filePathOf(uri)).filter((path): path is string => path !== undefined);
  if (paths.length === 0 && typeof params.rootPath === 'string') paths.push(params.rootPath);
  return paths;
}

connection.onInitialize((params: InitializeParams): InitializeResult => {
  const options = readServerOptions(params.initializationOptions);
  setDataRoots(options.trusted ? undefined : workspaceRoots(params));
  // `capabilities` is required by the protocol, but a sloppy client must not stop the server.
  const capabilities = params.capabilities ?? {};
  const publish = capabilities.textDocument?.publishDiagnostics;
  supportsDocumentChanges = capabilities.workspace?.workspaceEdit?.documentChanges === true;
  linter = new DocumentLinter(
    {
      openDocument: (uri) => {
        const python = openPythonDocument(uri);
        if (python) return { text: python.getText(), version: python.version, kind: 'python' as const };
        const document = openTsaeDocument(uri);
        return document && { text: document.getText(), version: document.version };
      },
      publish: (uri, version, diagnostics) => void connection.sendDiagnostics({ uri, version, diagnostics }),
      log,
    },
    { codeDescription: publish?.codeDescriptionSupport === true, relatedInformation: publish?.relatedInformation === true },
    options.debounceMs,
  );
  notebookLinter = new NotebookLinter(
    {
      cells: (notebookUri) => {
        const notebook = notebooks.getNotebookDocument(notebookUri);
        if (!notebook) return undefined;
        return notebook.cells.map((cell) => {
          const document = notebooks.getCellTextDocument(cell);
          const code = cell.kind === NotebookCellKind.Code && (document?.languageId ?? 'python') === 'python';
          return { uri: cell.document, kind: code ? ('code' as const) : ('markup' as const), text: document?.getText() ?? '', version: document?.version ?? 0 };
        });
      },
      publish: (uri, version, diagnostics) => void connection.sendDiagnostics({ uri, version, diagnostics }),
      log,
    },
    { codeDescription: publish?.codeDescriptionSupport === true, relatedInformation: publish?.relatedInformation === true },
    options.debounceMs,
  );
  pythonReady = initPythonParser().catch((error) => log(`the Python parser did not load; Python files are not linted: ${error instanceof Error ? error.message : String(error)}`));
  return {
    capabilities: {
      textDocumentSync: TextDocumentSyncKind.Incremental,
      notebookDocumentSync: { notebookSelector: [{ notebook: { notebookType: 'jupyter-notebook' }, cells: [{ language: 'python' }] }] },
      hoverProvider: true,
      completionProvider: { triggerCharacters: TRIGGER_CHARACTERS },
      documentLinkProvider: { resolveProvider: false },
      codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, FIX_ALL_KIND] },
    },
    serverInfo: { name: 'tsae-language-server' },
  };
});

documents.onDidChangeContent(
  guarded('didChange', undefined, ({ document }) => {
    if (isTsaeDocument(document.uri, document.languageId)) linter?.schedule(document.uri);
    else if (isPythonDocument(document.uri, document.languageId)) void pythonReady.then(() => linter?.schedule(document.uri));
  }),
);

documents.onDidClose(
  guarded('didClose', undefined, ({ document }) => {
    if (isLinted(document)) linter?.closed(document.uri);
  }),
);

notebooks.onDidOpen(guarded('notebookDidOpen', undefined, (notebook) => void pythonReady.then(() => notebookLinter?.schedule(notebook.uri))));
notebooks.onDidChange(guarded('notebookDidChange', undefined, ({ notebookDocument }) => void pythonReady.then(() => notebookLinter?.schedule(notebookDocument.uri))));
notebooks.onDidClose(guarded('notebookDidClose', undefined, (notebook) => notebookLinter?.closed(notebook.uri)));

connection.onDidChangeWatchedFiles(
  guarded('didChangeWatchedFiles', undefined, ({ changes }) => {
    for (const change of changes) {
      const path = filePathOf(change.uri);
      if (path) linter?.dataFileChanged(path);
      // A config edited or deleted on disk while closed may carry run findings that no longer apply.
      if (!documents.get(change.uri) && linter?.runFindings.has(change.uri)) {
        linter.lintSoon(change.uri);
      }
    }
  }),
);

connection.onHover(
  guarded('hover', null, ({ textDocument, position }) => {
    if (notebookLinter?.isCell(textDocument.uri)) return notebookLinter.hover(textDocument.uri, position);
    const python = openPythonDocument(textDocument.uri);
    if (python) return pythonHoverFor(python.getText(), position, fileNameOf(python.uri));
    const document = openTsaeDocument(textDocument.uri);
    return document ? hoverFor(document.getText(), position, fileNameOf(document.uri), linter?.lintResult(document.uri)) : null;
  }),
);

connection.onCompletion(
  guarded('completion', [], ({ textDocument, position, context }) => {
    const document = openTsaeDocument(textDocument.uri);
    return document ? completionsAt(document.getText(), position, fileNameOf(document.uri), context?.triggerCharacter) : [];
  }),
);

connection.onDocumentLinks(
  guarded('documentLinks', [], ({ textDocument }) => {
    const document = openTsaeDocument(textDocument.uri);
    return document ? documentLinks(document.getText(), fileNameOf(document.uri)) : [];
  }),
);

connection.onCodeAction(
  guarded('codeAction', [], ({ textDocument, context }) => {
    const linted = notebookLinter?.isCell(textDocument.uri) ? notebookLinter.linted(textDocument.uri) : linter?.linted(textDocument.uri);
    if (!linted) return [];
    return codeActionsFor(linted, { diagnostics: context.diagnostics, only: context.only, documentChanges: supportsDocumentChanges });
  }),
);

connection.onNotification(
  RunFindingsNotification,
  guarded('tsae/runFindings', undefined, (params: unknown) => {
    if (!isRunFindingsParams(params)) {
      log(`ignored malformed tsae/runFindings: ${JSON.stringify(params)?.slice(0, 500)}`);
      return;
    }
    linter?.runFindings.set(params);
    linter?.lintSoon(params.uri);
  }),
);

connection.onShutdown(
  guarded('shutdown', undefined, () => {
    linter?.dispose();
    notebookLinter?.dispose();
  }),
);

// A bug in an async path must not end the process; it is logged and the server keeps serving.
process.on('uncaughtException', (error) => log(`uncaught: ${error.stack ?? error.message}`));
process.on('unhandledRejection', (reason) => log(`unhandled rejection: ${String(reason)}`));

documents.listen(connection);
notebooks.listen(connection);
connection.listen();
