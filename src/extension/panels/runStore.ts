// Reads run folders (`.tsae/runs/<timestamp>-<name>/`) into what the panels show, through the
// core readers (src/core/run/read.ts, status.ts) that `tsae runs` and `tsae eval` use too. No
// `vscode` here, so the node tests read fixture runs through exactly this code.

import * as path from 'node:path';
import { isStartingSummary, type RunSummary } from '../../core/run/types';
import type { RunData, RunListItem } from '../../core/protocol/webview';
import { readLatents, readMetrics, readReconstructions } from '../../core/run/read';
import { describeChanges, diffConfigs, readRunConfig, readRunNotes } from '../../core/run/experiments';
import { listRunStatuses, readRunStatus } from '../../core/run/status';

export { parseMetrics, readLatents, readMetrics, readReconstructions } from '../../core/run/read';

/** The run's summary with its status judged by the core reader (a run whose process is gone reads as interrupted). */
export async function readSummary(runDir: string): Promise<RunSummary | undefined> {
  return (await readRunStatus(runDir))?.summary;
}

/** The dashboard's 'init' payload for a run folder, or undefined when it has no valid summary.json. */
export async function readRunData(runDir: string): Promise<RunData | undefined> {
  const [summary, metrics, reconstructions, latents] = await Promise.all([readSummary(runDir), readMetrics(runDir), readReconstructions(runDir), readLatents(runDir)]);
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
    configFile: summary.configFile,
    ...(summary.reason !== undefined ? { reason: summary.reason } : {}),
    ...(summary.heldOutAuc !== undefined ? { heldOutAuc: summary.heldOutAuc } : {}),
    ...(isStartingSummary(summary) ? { starting: true } : {}),
  };
}

/**
 * Adds what a user wrote about each run (notes.json) and a short config diff to the previous run
 * of the same config file. `items` must be newest first (as listRuns returns them).
 */
export async function withNotesAndDiffs(items: RunListItem[]): Promise<RunListItem[]> {
  const configs = await Promise.all(items.map((r) => readRunConfig(r.runDir)));
  const notes = await Promise.all(items.map((r) => readRunNotes(r.runDir)));
  return items.map((item, i) => {
    const previous = items.findIndex((other, j) => j > i && other.configFile !== undefined && other.configFile === item.configFile && configs[j] !== undefined);
    const mine = configs[i];
    const diff = previous >= 0 && mine ? describeChanges(diffConfigs(configs[previous]!, mine)) : undefined;
    const { label, tags, note } = notes[i];
    return {
      ...item,
      ...(label !== undefined ? { label } : {}),
      ...(tags.length > 0 ? { tags } : {}),
      ...(note !== undefined ? { note } : {}),
      ...(diff !== undefined ? { configDiff: diff.length > 0 ? diff : ['same config'] } : {}),
    };
  });
}

/** Newest first: by start time, then by folder name (which starts with a timestamp). */
export function compareNewestFirst(a: RunListItem, b: RunListItem): number {
  const byTime = Date.parse(b.startedAt) - Date.parse(a.startedAt);
  if (Number.isFinite(byTime) && byTime !== 0) return byTime;
  return path.basename(b.runDir).localeCompare(path.basename(a.runDir));
}

/** Every run under `runsDir` (core reader: interrupted runs included), newest first; a missing folder has none. */
export async function listRuns(runsDir: string): Promise<RunListItem[]> {
  return (await listRunStatuses(runsDir)).map((r) => toListItem(r.runDir, r.summary)).sort(compareNewestFirst);
}
