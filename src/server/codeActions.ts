// Quick fixes and fix-all. Every action carries its edit (no command round trip), pinned to the
// document version that was linted so a client refuses it once the text has moved on.

import { CodeAction, CodeActionKind, Diagnostic, TextDocumentEdit, WorkspaceEdit } from 'vscode-languageserver/node';
import { applyFixes, isSafeFix } from '../core/fixes/applyFixes';
import { replacementEdit } from '../core/fixes/textEdits';
import type { Range, TextEdit } from '../core/types';
import { DIAGNOSTIC_SOURCE, type DiagnosticEntry } from './diagnostics';

export const FIX_ALL_KIND = `${CodeActionKind.SourceFixAll}.tsae`;

export interface LintedDocument {
  uri: string;
  /** The version the entries were computed for; undefined for a document read from disk. */
  version: number | undefined;
  /** The text that was linted, and the file name that decides its format. */
  text: string;
  fileName: string;
  /** Python code offers each quick fix alone: fix-all re-lints as a config. */
  kind?: 'config' | 'python';
  entries: DiagnosticEntry[];
}

export interface CodeActionRequest {
  /** Diagnostics the client sent in the request's context. */
  diagnostics: Diagnostic[];
  /** `context.only`: the kinds the client asked for, or undefined for all. */
  only?: string[];
  /** Whether the client applies `documentChanges` (versioned edits). */
  documentChanges: boolean;
}

export function codeActionsFor(doc: LintedDocument, request: CodeActionRequest): CodeAction[] {
  const actions: CodeAction[] = [];
  if (wants(request.only, CodeActionKind.QuickFix)) {
    for (const requested of request.diagnostics) {
      if (requested.source !== DIAGNOSTIC_SOURCE) continue;
      const entry = doc.entries.find((e) => sameDiagnostic(e.diagnostic, requested));
      if (!entry?.fix || entry.fix.edits.length === 0) continue;
      actions.push({
        title: entry.fix.title,
        kind: CodeActionKind.QuickFix,
        diagnostics: [entry.diagnostic],
        isPreferred: entry.fix.safety === 'safe',
        edit: workspaceEdit(doc, entry.fix.edits, request.documentChanges),
      });
    }
  }
  if (wants(request.only, FIX_ALL_KIND)) {
    const fixAll = fixAllAction(doc, request.documentChanges);
    if (fixAll) actions.push(fixAll);
  }
  return actions;
}

/**
 * One action applying every safe fix, computed by the same core function as `tsae lint --fix`
 * (fixes applied in passes, the config linted again between them), as a single edit.
 */
export function fixAllAction(doc: LintedDocument, documentChanges: boolean): CodeAction | undefined {
  if (doc.kind === 'python') return undefined;
  const fixed = doc.entries.filter((e) => e.fix?.safety === 'safe' && e.fix.edits.length > 0).map((e) => e.diagnostic);
  if (fixed.length === 0) return undefined;
  const edit = replacementEdit(doc.text, applyFixes(doc.text, doc.fileName, isSafeFix).text);
  if (!edit) return undefined;
  return {
    title: 'Fix all safe TSAE problems',
    kind: FIX_ALL_KIND,
    diagnostics: fixed,
    edit: workspaceEdit(doc, [edit], documentChanges),
  };
}

/** LSP kinds are hierarchical: asking for `source.fixAll` includes `source.fixAll.tsae`. */
function wants(only: string[] | undefined, kind: string): boolean {
  if (!only || only.length === 0) return kind === CodeActionKind.QuickFix;
  return only.some((requested) => kind === requested || kind.startsWith(`${requested}.`));
}

function workspaceEdit(doc: LintedDocument, edits: TextEdit[], documentChanges: boolean): WorkspaceEdit {
  if (documentChanges) {
    return { documentChanges: [TextDocumentEdit.create({ uri: doc.uri, version: doc.version ?? null }, edits)] };
  }
  return { changes: { [doc.uri]: edits } };
}

function sameDiagnostic(a: Diagnostic, b: Diagnostic): boolean {
  return a.code === b.code && a.message === b.message && sameRange(a.range, b.range);
}

function sameRange(a: Range, b: Range): boolean {
  return a.start.line === b.start.line && a.start.character === b.start.character && a.end.line === b.end.line && a.end.character === b.end.character;
}
