// Hover: the rule summary or the computed fact (e.g. the compression ratio) under the cursor.

import { Hover, MarkupKind, Position } from 'vscode-languageserver/node';
import { hoverAt, type LintResult } from '../core/lint';
import { hoverInfo } from '../core/config/hover';
import { dataRoots } from './dataAccess';
import { pythonHover } from '../core/python/hover';
import { lintPython } from '../core/python/lint';
import { pythonParserReady } from '../core/python/parser';

/** `linted`: the document's current lint (DocumentLinter.lintResult), so a hover does not lint again. */
export function hoverFor(text: string, position: Position, fileName: string, linted?: LintResult): Hover | null {
  const found = linted
    ? linted.parsed && hoverInfo(linted.parsed, position, linted.findings, linted.resolved, linted.probe)
    : hoverAt(text, position, { fileName, dataRoots: dataRoots() });
  if (!found) return null;
  return { contents: { kind: MarkupKind.Markdown, value: found.markdown }, range: found.range };
}

export function pythonHoverFor(text: string, position: Position, fileName: string): Hover | null {
  if (!pythonParserReady()) return null;
  const found = pythonHover(lintPython(text, fileName), position);
  if (!found) return null;
  return { contents: { kind: MarkupKind.Markdown, value: found.markdown }, range: found.range };
}
