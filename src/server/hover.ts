// Hover: the rule summary or the computed fact (e.g. the compression ratio) under the cursor.

import { Hover, MarkupKind, Position } from 'vscode-languageserver/node';
import { hoverAt } from '../core/lint';
import { dataRoots } from './dataAccess';

export function hoverFor(text: string, position: Position, fileName: string): Hover | null {
  const found = hoverAt(text, position, { fileName, dataRoots: dataRoots() });
  if (!found) return null;
  return { contents: { kind: MarkupKind.Markdown, value: found.markdown }, range: found.range };
}
