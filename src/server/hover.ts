// Hover: the rule summary or the computed fact (e.g. the compression ratio) under the cursor.

import { Hover, MarkupKind, Position } from 'vscode-languageserver/node';
import { hoverAt } from '../core/lint';
import { dataRoots } from './dataAccess';
import { pythonHover } from '../core/python/hover';
import { lintPython } from '../core/python/lint';
import { pythonParserReady } from '../core/python/parser';

export function hoverFor(text: string, position: Position, fileName: string): Hover | null {
  const found = hoverAt(text, position, { fileName, dataRoots: dataRoots() });
  if (!found) return null;
  return { contents: { kind: MarkupKind.Markdown, value: found.markdown }, range: found.range };
}

export function pythonHoverFor(text: string, position: Position, fileName: string): Hover | null {
  if (!pythonParserReady()) return null;
  const found = pythonHover(lintPython(text, fileName), position);
  if (!found) return null;
  return { contents: { kind: MarkupKind.Markdown, value: found.markdown }, range: found.range };
}
