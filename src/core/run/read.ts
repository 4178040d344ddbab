// Reading a run folder's files. A run may be half-written (training still going, or a crash), so
// every reader here returns undefined/empty for a file that is missing, does not parse or does
// not match its type, rather than trusting it. The status of a run is read by ./status.ts.

import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { isEpochMetrics, isLatentsFile, isReconstructionsFile, isRunSummary } from '../protocol/webview';
import { isRunOwner } from './owner';
import { RUN_FILES, type EpochMetrics, type LatentsFile, type ReconstructionsFile, type RunOwner, type RunSummary } from './types';

/** What reading a JSON file found; `problem` says what is wrong in words for a message. */
export type JsonRead = { ok: true; value: unknown; bytes: number } | { ok: false; missing: boolean; problem: string };

export async function readJsonFile(file: string): Promise<JsonRead> {
  let text: string;
  try {
    const stat = await fs.stat(file);
    if (!stat.isFile()) return { ok: false, missing: false, problem: 'is not a file' };
    text = await fs.readFile(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return code === 'ENOENT' ? { ok: false, missing: true, problem: 'is missing' } : { ok: false, missing: false, problem: `cannot be read (${code ?? (err as Error).message})` };
  }
  if (text.trim() === '') return { ok: false, missing: false, problem: 'is empty (0 bytes of JSON)' };
  try {
    return { ok: true, value: JSON.parse(text) as unknown, bytes: Buffer.byteLength(text) };
  } catch (err) {
    return { ok: false, missing: false, problem: `is not valid JSON, probably truncated (${(err as Error).message})` };
  }
}

export async function readJson(file: string): Promise<unknown> {
  const read = await readJsonFile(file);
  return read.ok ? read.value : undefined;
}

/** summary.json as written, without judging whether a `running` run still runs (see readRunStatus). */
export async function readSummaryFile(runDir: string): Promise<RunSummary | undefined> {
  const value = await readJson(path.join(runDir, RUN_FILES.summary));
  return isRunSummary(value) ? value : undefined;
}

export async function readOwner(runDir: string): Promise<RunOwner | undefined> {
  const value = await readJson(path.join(runDir, RUN_FILES.owner));
  return isRunOwner(value) ? value : undefined;
}

/**
 * metrics.jsonl, one epoch per line. JSON has no NaN, so a diverged loss is written as null; it
 * comes back as NaN so the charts show the divergence instead of dropping the epoch.
 */
export function parseMetrics(text: string): EpochMetrics[] {
  const epochs: EpochMetrics[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      continue; // a line still being written
    }
    if (typeof value === 'object' && value !== null && (value as { loss?: unknown }).loss === null) {
      value = { ...value, loss: Number.NaN };
    }
    if (isEpochMetrics(value)) epochs.push(value);
  }
  return epochs;
}

export async function readMetrics(runDir: string): Promise<EpochMetrics[]> {
  try {
    return parseMetrics(await fs.readFile(path.join(runDir, RUN_FILES.metrics), 'utf8'));
  } catch {
    return [];
  }
}

export async function readReconstructions(runDir: string): Promise<ReconstructionsFile | null> {
  const value = await readJson(path.join(runDir, RUN_FILES.reconstructions));
  return isReconstructionsFile(value) ? value : null;
}

export async function readLatents(runDir: string): Promise<LatentsFile | null> {
  const value = await readJson(path.join(runDir, RUN_FILES.latents));
  return isLatentsFile(value) ? value : null;
}

/** The epoch the saved model's weights are from (model.json metadata), or undefined. */
export async function readSavedModelEpoch(runDir: string): Promise<number | undefined> {
  const value = await readJson(path.join(runDir, RUN_FILES.model, 'model.json'));
  const epoch = (value as { userDefinedMetadata?: { tsaeEpoch?: unknown } } | undefined)?.userDefinedMetadata?.tsaeEpoch;
  return typeof epoch === 'number' && Number.isSafeInteger(epoch) && epoch >= 0 ? epoch : undefined;
}
