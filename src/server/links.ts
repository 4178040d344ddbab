// `data.path` as a link: Ctrl+click opens the data file the config trains on.

import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { DocumentLink } from 'vscode-languageserver/node';
import { parseConfig } from '../core/config/parse';

export function documentLinks(text: string, fileName: string): DocumentLink[] {
  const parsed = parseConfig(text, fileName);
  const span = parsed.spans.get('data.path');
  const value = parsed.value as { data?: { path?: unknown } } | undefined;
  const path = value?.data?.path;
  if (!span || typeof path !== 'string' || path === '') return [];
  const target = resolve(dirname(resolve(fileName)), path);
  // A link to a missing file would open an empty editor; TSAE005 already explains the problem.
  if (!existsSync(target)) return [];
  return [{ range: span.value, target: pathToFileURL(target).toString(), tooltip: `Open ${target}` }];
}
