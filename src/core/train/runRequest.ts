// Turns a worker 'start' request into a finished run: read and check the config (the editor's
// unsaved text when given), then hand over to the session. A request to resume reads the run
// folder instead (core/run/resume.ts). Every way this can go wrong ends in exactly one 'failed'
// event that names the file, line and field to look at; nothing throws.

import * as path from 'node:path';
import type { ParsedConfig } from '../config/document';
import { findRange } from '../config/ranges';
import type { ResolvedConfig } from '../config/types';
import { DataError } from '../data/errors';
import { MemoryLimitError } from '../model/memory';
import { planResume } from '../run/resume';
import { blocksTraining, lintText, resolveConfig } from '../lint';
import type { ErrorLocation, StartRequest } from '../protocol/worker';
import type { RunSummary } from '../run/types';
import type { Finding } from '../types';
import { runSession, type EventSink } from './session';
import { readTextFileSync } from '../data/lines';

/** Runs one training request to its end; resolves with the summary, or undefined if no run folder was made. */
export async function runTrainingRequest(req: StartRequest, post: EventSink, signal?: AbortSignal): Promise<RunSummary | undefined> {
  const limits = { ...(req.backend ? { backend: req.backend } : {}), ...(req.maxMemoryMB !== undefined ? { maxMemoryMB: req.maxMemoryMB } : {}) };
  if (req.resumeRunDir !== undefined) return resumeRun(path.resolve(req.resumeRunDir), req.epochs, limits, post, signal);
  const configFile = path.resolve(req.configFile);
  let configText: string;
  try {
    configText = req.configText ?? readTextFileSync(configFile);
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
    return await runSession({ config: loaded.config, configText, runsDir: req.runsDir, ...(req.epochs !== undefined ? { epochs: req.epochs } : {}), ...limits }, post, signal);
  } catch (err) {
    post(failureEvent(err, signal, loaded.config.configFile, loaded.parsed));
    return undefined;
  }
}

/** Continues a stopped run in its folder, or fails saying why it cannot be continued. */
async function resumeRun(
  runDir: string,
  epochs: number | undefined,
  limits: { backend?: StartRequest['backend']; maxMemoryMB?: number },
  post: EventSink,
  signal: AbortSignal | undefined,
): Promise<RunSummary | undefined> {
  const plan = await planResume(runDir, epochs !== undefined ? { epochs } : {});
  if (!plan.ok) {
    post({ type: 'failed', message: plan.reason, location: { file: runDir } });
    return undefined;
  }
  const { point } = plan;
  try {
    return await runSession({ config: point.config, configText: '', runsDir: path.dirname(runDir), resume: point, ...limits }, post, signal);
  } catch (err) {
    post(failureEvent(err, signal, point.config.configFile));
    return undefined;
  }
}

type Resolved = { config: ResolvedConfig; parsed: ParsedConfig } | { error: string; location: ErrorLocation };

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
    return { config: resolveConfig(lint.parsed.value, configFile), parsed: lint.parsed };
  } catch (err) {
    return { error: (err as Error).message, location: { file: configFile } };
  }
}

function findingLocation(file: string, finding: Finding): ErrorLocation {
  return { file, line: finding.range.start.line + 1, column: finding.range.start.character + 1, field: finding.configPath };
}

function failureEvent(err: unknown, signal: AbortSignal | undefined, configFile: string, parsed?: ParsedConfig) {
  if (err instanceof MemoryLimitError) {
    const at = parsed ? findRange(parsed, err.configPath).start : undefined;
    const location: ErrorLocation = { file: configFile, field: err.configPath, ...(at ? { line: at.line + 1, column: at.character + 1 } : {}) };
    return { type: 'failed' as const, message: err.message, location };
  }
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
