// Turns a worker 'start' request into a finished run: read and check the config (the editor's
// unsaved text when given), then hand over to the session. Every way this can go wrong ends in
// exactly one 'failed' event that names the file, line and field to look at; nothing throws.

import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ResolvedConfig } from '../config/types';
import { DataError } from '../data/errors';
import { blocksTraining, lintText, resolveConfig } from '../lint';
import type { ErrorLocation, WorkerRequest } from '../protocol/worker';
import type { RunSummary } from '../run/types';
import type { Finding } from '../types';
import { runSession, type EventSink } from './session';

export type StartRequest = Extract<WorkerRequest, { type: 'start' }>;

/** Runs one training request to its end; resolves with the summary, or undefined if no run folder was made. */
export async function runTrainingRequest(req: StartRequest, post: EventSink, signal?: AbortSignal): Promise<RunSummary | undefined> {
  const configFile = path.resolve(req.configFile);
  let configText: string;
  try {
    configText = req.configText ?? (await fs.promises.readFile(configFile, 'utf8'));
  } catch (err) {
    post({ type: 'failed', message: `${configFile}: cannot read the config (${(err as Error).message})`, location: { file: configFile } });
    return undefined;
  }
  const loaded = resolveText(configText, configFile);
  if ('error' in loaded) {
    post({ type: 'failed', message: loaded.error, location: loaded.location });
    return undefined;
  }
  try {
    return await runSession(
      { config: loaded.config, configText, runsDir: req.runsDir, ...(req.epochs !== undefined ? { epochs: req.epochs } : {}), ...(req.backend ? { backend: req.backend } : {}) },
      post,
      signal,
    );
  } catch (err) {
    post(failureEvent(err, signal));
    return undefined;
  }
}

type Resolved = { config: ResolvedConfig } | { error: string; location: ErrorLocation };

/** The same checks as the editor and `tsae lint`: an invalid config (TSAE0xx error) does not train. */
export function resolveText(text: string, configFile: string): Resolved {
  const lint = lintText(text, { fileName: configFile });
  const errors = lint.findings.filter(blocksTraining);
  if (errors.length > 0 || lint.parsed === undefined) {
    const first = errors[0];
    const lines = errors.map((f) => `${configFile}:${f.range.start.line + 1}:${f.range.start.character + 1}: ${f.code} ${f.message}`);
    return {
      error: `the config has ${errors.length} error${errors.length === 1 ? '' : 's'}; fix ${errors.length === 1 ? 'it' : 'them'} before training:\n${lines.join('\n')}`,
      location: first ? findingLocation(configFile, first) : { file: configFile },
    };
  }
  try {
    return { config: resolveConfig(lint.parsed.value, configFile) };
  } catch (err) {
    return { error: (err as Error).message, location: { file: configFile } };
  }
}

function findingLocation(file: string, finding: Finding): ErrorLocation {
  return { file, line: finding.range.start.line + 1, column: finding.range.start.character + 1, field: finding.configPath };
}

function failureEvent(err: unknown, signal: AbortSignal | undefined) {
  if (err instanceof DataError) {
    const location: ErrorLocation = { file: err.file };
    if (err.line !== undefined) location.line = err.line;
    if (typeof err.column === 'number') location.column = err.column;
    const field = err.field ?? (typeof err.column === 'string' ? err.column : undefined);
    if (field !== undefined) location.field = field;
    return { type: 'failed' as const, message: err.message, location };
  }
  if (signal?.aborted) return { type: 'failed' as const, message: 'cancelled before training started' };
  return { type: 'failed' as const, message: `training failed: ${(err as Error)?.message ?? String(err)}` };
}
