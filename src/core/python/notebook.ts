// Notebooks: code cells are concatenated in order into one Python text (IPython magics and shell
// lines blanked to spaces, so columns stay put), linted once, and each finding goes back to the
// cell and line it came from. The same mapping serves VS Code notebook cells (language server)
// and .ipynb files on disk (CLI), where a finding is placed on the JSON string of its source line.

import { parseTree, type Node as JsonNode } from 'jsonc-parser';
import type { Finding, Range } from '../types';
import { lintPython, type PythonLintResult } from './lint';

export interface CellFinding {
  /** Index among the cells given (all cells, markdown included, so indices match the notebook). */
  cell: number;
  finding: Finding;
}

export interface NotebookLintResult {
  cellFindings: CellFinding[];
  /** The lint of the concatenated code cells. */
  result: PythonLintResult;
  /** Where each code cell starts in the concatenated text (0-based line) and how many lines it has. */
  starts: Array<{ cell: number; line: number; lines: number }>;
}

/** A line IPython handles itself: `%magic`, `%%cell magic`, `!shell`, `name?` help. */
const IPYTHON_LINE = /^\s*([%!]|\?\s*\w|\w[\w.]*\?\??\s*$)/;

/** The Python text of one cell with IPython-only lines blanked (same length, so ranges need no shift). */
export function blankIpythonLines(source: string): string {
  if (/^\s*%%/.test(source)) {
    // A cell magic (%%bash, %%time ...) makes the whole cell not plain Python.
    const firstLine = source.split('\n')[0];
    if (!/^\s*%%(time|timeit|capture)\b/.test(firstLine)) return source.replace(/[^\n]/g, ' ');
  }
  return source
    .split('\n')
    .map((line) => (IPYTHON_LINE.test(line) ? ' '.repeat(line.length) : line))
    .join('\n');
}

export interface NotebookCellText {
  kind: 'code' | 'markup';
  text: string;
}

/** Lints the code cells of a notebook as one program. */
export function lintNotebookCells(cells: NotebookCellText[], fileName: string): NotebookLintResult {
  const starts: Array<{ cell: number; line: number; lines: number }> = [];
  const parts: string[] = [];
  let line = 0;
  cells.forEach((cell, index) => {
    if (cell.kind !== 'code') return;
    const text = blankIpythonLines(cell.text.replace(/\r\n/g, '\n'));
    const lines = text.split('\n').length;
    starts.push({ cell: index, line, lines });
    parts.push(text);
    line += lines;
  });
  const result = lintPython(parts.join('\n'), fileName);
  const cellFindings: CellFinding[] = [];
  for (const finding of result.findings) {
    const at = starts.find((s) => finding.range.start.line >= s.line && finding.range.start.line < s.line + s.lines);
    if (!at) continue;
    const shift = (range: Range): Range => ({
      start: { line: range.start.line - at.line, character: range.start.character },
      end: { line: Math.min(range.end.line - at.line, at.lines - 1), character: range.end.line - at.line >= at.lines ? 0 : range.end.character },
    });
    const fix = finding.fix && {
      ...finding.fix,
      edits: finding.fix.edits.filter((e) => e.range.start.line >= at.line && e.range.end.line < at.line + at.lines).map((e) => ({ ...e, range: shift(e.range) })),
    };
    cellFindings.push({ cell: at.cell, finding: { ...finding, range: shift(finding.range), ...(fix ? { fix } : {}) } });
  }
  return { cellFindings, result, starts };
}

export class NotebookFormatError extends Error {}

interface IpynbCell {
  kind: 'code' | 'markup';
  text: string;
  /** The JSON strings holding the source, one per line, with their offsets in the file. */
  sourceStrings: Array<{ value: string; offset: number }>;
}

/** Reads the cells of an .ipynb file (nbformat 4) with where each source line sits in the JSON. */
export function readIpynb(text: string, fileName: string): IpynbCell[] {
  const root = parseTree(text);
  if (!root || root.type !== 'object') throw new NotebookFormatError(`${fileName}: not a Jupyter notebook (the file is not a JSON object)`);
  const cellsNode = property(root, 'cells');
  if (!cellsNode || cellsNode.type !== 'array') throw new NotebookFormatError(`${fileName}: not a Jupyter notebook (no "cells" list)`);
  return (cellsNode.children ?? []).map((cellNode, index) => {
    const type = property(cellNode, 'cell_type')?.value;
    const source = property(cellNode, 'source');
    if (!source) throw new NotebookFormatError(`${fileName}: cell ${index + 1} has no "source"`);
    const strings = source.type === 'array' ? (source.children ?? []) : [source];
    const sourceStrings = strings.filter((s) => s.type === 'string').map((s) => ({ value: String(s.value), offset: s.offset }));
    return { kind: type === 'code' ? 'code' : 'markup', text: sourceStrings.map((s) => s.value).join(''), sourceStrings };
  });
}

function property(node: JsonNode, name: string): JsonNode | undefined {
  for (const pair of node.children ?? []) {
    if (pair.type === 'property' && pair.children?.[0]?.value === name) return pair.children[1];
  }
  return undefined;
}

/** Lints an .ipynb file's text; findings are placed inside the JSON strings of the cells' source lines. */
export function lintIpynb(text: string, fileName: string): { findings: Finding[]; cellFindings: CellFinding[] } {
  const cells = readIpynb(text, fileName);
  const { cellFindings } = lintNotebookCells(cells, fileName);
  const positionOf = (offset: number) => {
    let line = 0;
    let lineStart = 0;
    for (let i = 0; i < offset; i++) {
      if (text.charCodeAt(i) === 10) {
        line++;
        lineStart = i + 1;
      }
    }
    return { line, character: offset - lineStart };
  };
  const locate = (cell: IpynbCell, position: { line: number; character: number }) => {
    // Source strings normally hold one line each; find the string holding this line.
    let line = 0;
    for (const s of cell.sourceStrings) {
      const lines = s.value.split('\n');
      const count = s.value.endsWith('\n') ? lines.length - 1 : lines.length;
      if (position.line < line + count) {
        const before = lines.slice(0, position.line - line).join('\n') + (position.line > line ? '\n' : '');
        const prefix = before + lines[position.line - line].slice(0, position.character);
        return positionOf(s.offset + JSON.stringify(prefix).length - 1);
      }
      line += count;
    }
    const last = cell.sourceStrings[cell.sourceStrings.length - 1];
    return positionOf(last ? last.offset : 0);
  };
  const findings = cellFindings.map(({ cell, finding }) => {
    const c = cells[cell];
    // Edits inside JSON strings would need escaping; notebook files on disk get no automatic fix.
    const { fix: _fix, ...rest } = finding;
    void _fix;
    return {
      ...rest,
      message: `cell ${cell + 1}, line ${finding.range.start.line + 1}: ${finding.message}`,
      range: { start: locate(c, finding.range.start), end: locate(c, finding.range.end) },
    };
  });
  return { findings, cellFindings };
}
