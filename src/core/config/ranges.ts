// Where to put a finding about a dotted config path, whether or not the user wrote that key.

import type { Range } from '../types';
import type { ParsedConfig } from './document';
import { splitPath } from './schema';
import { firstLineRange } from './text';

/**
 * Best range for `configPath`: its value when present; else the key of the nearest present
 * ancestor (its value for list items, which have no key); else the first line.
 */
export function findRange(parsed: ParsedConfig, configPath: string): Range {
  const own = parsed.spans.get(configPath);
  if (own) return own.value;
  const segments = splitPath(configPath);
  for (let depth = segments.length - 1; depth > 0; depth--) {
    const span = parsed.spans.get(segments.slice(0, depth).join('.'));
    if (span) return span.key ?? span.value;
  }
  return firstLineRange(parsed.text);
}

/** Range of the key itself when written (falls back like findRange). */
export function keyRange(parsed: ParsedConfig, configPath: string): Range {
  return parsed.spans.get(configPath)?.key ?? findRange(parsed, configPath);
}
