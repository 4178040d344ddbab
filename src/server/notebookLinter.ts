// Notebook cells: the code cells of a notebook are linted together (the Python front end
// concatenates them in order), and each cell gets the diagnostics that fall in it. Cell states
// keep what was published so quick fixes and hovers answer for the exact text that was linted.

import type { Diagnostic, Hover, Position } from 'vscode-languageserver/node';
import { MarkupKind } from 'vscode-languageserver/node';
import { pythonHover } from '../core/python/hover';
import { lintNotebookCells, type NotebookLintResult } from '../core/python/notebook';
import type { LintedDocument } from './codeActions';
import { internalErrorFinding, toDiagnosticEntry, type DiagnosticSupport } from './diagnostics';
import { fileNameOf } from './documentKinds';

export interface NotebookCellSource {
  uri: string;
  kind: 'code' | 'markup';
  text: string;
  version: number;
}

export interface NotebookLinterHost {
  /** The cells of an open notebook, in order; undefined once it is closed. */
  cells(notebookUri: string): NotebookCellSource[] | undefined;
  publish(uri: string, version: number | undefined, diagnostics: Diagnostic[]): void;
  log(message: string): void;
}

interface NotebookState {
  cells: NotebookCellSource[];
  lint: NotebookLintResult | undefined;
}

export class NotebookLinter {
  private readonly notebooks = new Map<string, NotebookState>();
  private readonly cellStates = new Map<string, LintedDocument>();
  private readonly cellToNotebook = new Map<string, string>();
  private readonly timers = new Map<string, NodeJS.Timeout>();

  constructor(
    private readonly host: NotebookLinterHost,
    private readonly support: DiagnosticSupport,
    private readonly debounceMs: number,
  ) {}

  schedule(notebookUri: string): void {
    const pending = this.timers.get(notebookUri);
    if (pending) clearTimeout(pending);
    const delay = this.notebooks.has(notebookUri) ? this.debounceMs : 0;
    this.timers.set(
      notebookUri,
      setTimeout(() => {
        this.timers.delete(notebookUri);
        this.lintNow(notebookUri);
      }, delay),
    );
  }

  closed(notebookUri: string): void {
    const pending = this.timers.get(notebookUri);
    if (pending) clearTimeout(pending);
    this.timers.delete(notebookUri);
    for (const cell of this.notebooks.get(notebookUri)?.cells ?? []) {
      this.cellStates.delete(cell.uri);
      this.cellToNotebook.delete(cell.uri);
      this.host.publish(cell.uri, undefined, []);
    }
    this.notebooks.delete(notebookUri);
  }

  /** The lint of a cell at its current version (a pending lint runs now). */
  linted(cellUri: string): LintedDocument | undefined {
    const notebookUri = this.cellToNotebook.get(cellUri);
    if (!notebookUri) return undefined;
    const current = this.host.cells(notebookUri)?.find((c) => c.uri === cellUri);
    if (current && this.cellStates.get(cellUri)?.version !== current.version) this.lintNow(notebookUri);
    return this.cellStates.get(cellUri);
  }

  isCell(uri: string): boolean {
    return this.cellToNotebook.has(uri);
  }

  hover(cellUri: string, position: Position): Hover | null {
    const notebookUri = this.cellToNotebook.get(cellUri);
    if (!notebookUri) return null;
    this.linted(cellUri);
    const state = this.notebooks.get(notebookUri);
    const index = state?.cells.findIndex((c) => c.uri === cellUri) ?? -1;
    const start = state?.lint?.starts.find((s) => s.cell === index);
    if (!state?.lint || !start) return null;
    const found = pythonHover(state.lint.result, { line: position.line + start.line, character: position.character });
    if (!found) return null;
    const shift = (p: Position): Position => ({ line: p.line - start.line, character: p.character });
    return { contents: { kind: MarkupKind.Markdown, value: found.markdown }, range: { start: shift(found.range.start), end: shift(found.range.end) } };
  }

  dispose(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }

  private lintNow(notebookUri: string): void {
    const cells = this.host.cells(notebookUri);
    if (!cells) return this.closed(notebookUri);
    const previous = this.notebooks.get(notebookUri)?.cells ?? [];
    let lint: NotebookLintResult | undefined;
    const perCell = new Map<number, ReturnType<typeof toDiagnosticEntry>[]>();
    try {
      lint = lintNotebookCells(cells, fileNameOf(notebookUri));
      for (const { cell, finding } of lint.cellFindings) perCell.set(cell, [...(perCell.get(cell) ?? []), toDiagnosticEntry(finding, this.support)]);
    } catch (error) {
      this.host.log(`lint of notebook ${notebookUri} threw: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      const first = cells.findIndex((c) => c.kind === 'code');
      if (first >= 0) perCell.set(first, [toDiagnosticEntry(internalErrorFinding(error), this.support)]);
    }
    this.notebooks.set(notebookUri, { cells, lint });
    cells.forEach((cell, index) => {
      const entries = perCell.get(index) ?? [];
      this.cellToNotebook.set(cell.uri, notebookUri);
      this.cellStates.set(cell.uri, { uri: cell.uri, version: cell.version, text: cell.text, fileName: fileNameOf(notebookUri), kind: 'python', entries });
      this.host.publish(
        cell.uri,
        cell.version,
        entries.map((e) => e.diagnostic),
      );
    });
    // Cells deleted since the last lint lose their diagnostics.
    for (const cell of previous) {
      if (cells.some((c) => c.uri === cell.uri)) continue;
      this.cellStates.delete(cell.uri);
      this.cellToNotebook.delete(cell.uri);
      this.host.publish(cell.uri, undefined, []);
    }
  }
}
