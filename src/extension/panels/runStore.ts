// Reads run folders (`.tsae/runs/<timestamp>-<name>/`) into what the panels show. No `vscode`
// here, so the node tests read fixture runs through exactly this code. A run may be half-written
// (training still going, or a crash), so every file is optional except summary.json, and a file
// that does not parse or does not match its type is treated as missing rather than trusted.

import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { RUN_FILES, type EpochMetrics, type LatentsFile, type ReconstructionsFile, type RunSummary } from '../../core/run/types';
import {
  isEpochMetrics,
  isLatentsFile,
  isReconstructionsFile,
  isRunSummary,
  type RunData,
  type RunListItem,
} from '../../core/protocol/webview';

async function readJson(file: string): Promise<unknown> {
  try {
    return JSON.parse(await fs.readFile(file, 'utf8')) as unknown;
  } catch {
    return undefined;
  }
}

export async function readSummary(runDir: string): Promise<RunSummary | undefined> {
  const value = await readJson(path.join(runDir, RUN_FILES.summary));
  return isRunSummary(value) ? value : undefined;
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

/** The dashboard's 'init' payload for a run folder, or undefined when it has no valid summary.json. */
export async function readRunData(runDir: string): Promise<RunData | undefined> {
  const [summary, metrics, reconstructions, latents] = await Promise.all([
    readSummary(runDir),
    readMetrics(runDir),
    readReconstructions(runDir),
    readLatents(runDir),
  ]);
  if (!summary) return undefined;
  return { runDir, summary, metrics, reconstructions, latents };
}

export function toListItem(runDir: string, summary: RunSummary): RunListItem {
  return {
    runDir,
    name: summary.name,
    status: summary.status,
    backend: summary.backend,
    startedAt: summary.startedAt,
    epochs: summary.epochs,
    trainLoss: summary.trainLoss,
    valLoss: summary.valLoss,
    reconstructionError: summary.reconstructionError ?? null,
    findings: summary.findings.length,
    seconds: summary.seconds,
  };
}

/** Newest first: by start time, then by folder name (which starts with a timestamp). */
export function compareNewestFirst(a: RunListItem, b: RunListItem): number {
  const byTime = Date.parse(b.startedAt) - Date.parse(a.startedAt);
  if (Number.isFinite(byTime) && byTime !== 0) return byTime;
  return path.basename(b.runDir).localeCompare(path.basename(a.runDir));
}

/** Every run with a readable summary.json under `runsDir`, newest first; a missing folder has none. */
export async function listRuns(runsDir: string): Promise<RunListItem[]> {
  let entries: import('node:fs').Dirent[];
  try {
    entries = await fs.readdir(runsDir, { withFileTypes: true });
  } catch {
    return [];
  }
  const runs = await Promise.all(
    entries
      .filter((e) => e.isDirectory())
      .map(async (e) => {
        const runDir = path.join(runsDir, e.name);
        const summary = await readSummary(runDir);
        return summary ? toListItem(runDir, summary) : undefined;
      }),
  );
  return runs.filter((r): r is RunListItem => r !== undefined).sort(compareNewestFirst);
}
