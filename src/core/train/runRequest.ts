// Turns a worker 'start' request into a finished run: read and check the config (the editor's
// unsaved text when given), then hand over to the session. A request to resume reads the run
// folder instead (core/run/resume.ts). Every way this can go wrong ends in exactly one 'failed'
// event that names the file, line and field to look at; nothing throws.

import * as path from 'node:path';
import type { ParsedConfig } from '../config/document';
import { findRange } from '../config/ranges';
import { DataError } from '../data/errors';
import { MemoryLimitError } from '../model/memory';
import { planResume } from '../run/resume';
import type { ErrorLocation, StartRequest } from '../protocol/worker';
import type { RunSummary } from '../run/types';
import { resolveText } from './checkConfig';
import { runSession, type EventSink } from './session';
import { readTextFileSync } from '../data/lines';

export { resolveText } from './checkConfig';

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
    const created = req.created ? { created: { runDir: req.created.runDir, startedAt: new Date(req.created.startedAt) } } : {};
    return await runSession(
      { config: loaded.config, configText, runsDir: req.runsDir, ...(req.epochs !== undefined ? { epochs: req.epochs } : {}), ...limits, ...created },
      post,
      signal,
    );
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
