// The server's one call into the core linter. It never throws: a linter bug becomes a TSAE000
// diagnostic so the user sees something and the server keeps serving.

import { dirname, resolve } from 'node:path';
import { lintText, type LintResult } from '../core/lint';
import { lintPython } from '../core/python/lint';
import type { ParsedConfig } from '../core/config/document';
import type { Finding } from '../core/types';
import { internalErrorFinding } from './diagnostics';
import { dataRoots } from './dataAccess';

export type { ParsedConfig };

export interface LintOutcome {
  findings: Finding[];
  /** Undefined when the linter threw. */
  parsed: ParsedConfig | undefined;
  /** Absolute paths of the data files the lint depends on, so a change on disk can trigger a re-lint. */
  dataFiles: Set<string>;
  /** The whole result of a config's lint (hovers reuse it instead of linting again); undefined for Python or when it threw. */
  result?: LintResult;
}

/**
 * Lints from disk: the core's data probe caches each data file by path, size and mtime, so an
 * edit to the config does not re-read a megabyte CSV, while a changed or deleted file is seen.
 */
export function lintSafely(text: string, fileName: string, log: (message: string) => void, lint: typeof lintText = lintText): LintOutcome {
  try {
    const result = lint(text, { fileName, dataRoots: dataRoots() });
    return { findings: result.findings, parsed: result.parsed, dataFiles: dataFilesOf(result.parsed, fileName), result };
  } catch (error) {
    log(`lint of ${fileName} threw: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    return { findings: [internalErrorFinding(error)], parsed: undefined, dataFiles: new Set() };
  }
}

/** `data.path` resolved against the config's folder, as the linter does; also when the file is missing. */
function dataFilesOf(parsed: ParsedConfig | undefined, fileName: string): Set<string> {
  const value = parsed?.value;
  const data = typeof value === 'object' && value !== null ? (value as { data?: unknown }).data : undefined;
  const path = typeof data === 'object' && data !== null ? (data as { path?: unknown }).path : undefined;
  if (typeof path !== 'string' || path === '') return new Set();
  return new Set([resolve(dirname(resolve(fileName)), path)]);
}

/** Lints Python text; like lintSafely, never throws (an unloaded parser or a front-end bug becomes TSAE000). */
export function lintPythonSafely(text: string, fileName: string, log: (message: string) => void): LintOutcome {
  try {
    return { findings: lintPython(text, fileName).findings, parsed: undefined, dataFiles: new Set() };
  } catch (error) {
    log(`lint of ${fileName} threw: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    return { findings: [internalErrorFinding(error)], parsed: undefined, dataFiles: new Set() };
  }
}
