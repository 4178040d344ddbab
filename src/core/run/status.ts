// The one reader of a run's status, used by every face (runs panel, dashboard, `tsae runs`,
// `tsae eval`, resume): summary.json says `running` until the run ends, so a run whose process
// was killed would read as running forever. readRunStatus compares it with the owner record
// (./owner.ts) and reports such a run as `interrupted`, with its last epoch and why.
//
// Reading also tidies what a dead writer left: temp files of atomic writes whose writer process
// is gone (they can never be renamed), a summary that exists only as such a temp file (it is
// promoted), and the summary of a run whose owner is certainly gone (rewritten as interrupted,
// so other tools see it too). Nothing is touched while its writer may still be alive.

import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { isRunSummary } from '../protocol/webview';
import { tempFileTarget, tempFileWriter, writeJsonAtomic } from './atomicWrite';
import { currentOwner, ownerState, pidExists, writerGone } from './owner';
import { readJson, readMetrics, readOwner, readSummaryFile } from './read';
import { STAGING_PREFIX, stagingFolderOwner } from './folderNames';
import { isStartingSummary, RUN_FILES, untrainedSummary, type EpochMetrics, type RunOwner, type RunStatus, type RunSummary } from './types';

export interface RunStatusReport {
  runDir: string;
  /** The status to show: the summary's, or `interrupted` when its owner is gone. */
  status: RunStatus;
  /** The summary with `status`, `epochs` and losses brought up to date from metrics.jsonl. */
  summary: RunSummary;
  /** The status summary.json records, when `status` differs from it. */
  recordedStatus?: RunStatus;
  /** Why the status was derived (owner gone), or why it could not be checked. */
  note?: string;
  /**
   * `certain`: the owning process is gone (or the summary says how the run ended);
   * `hypothesis`: the process lives but stopped refreshing the run; `unverified`: cannot check.
   */
  evidence: 'certain' | 'hypothesis' | 'unverified';
  /** The last epoch in metrics.jsonl (0: none finished). */
  lastEpoch: number;
  owner?: RunOwner;
}

export interface ReadStatusOptions {
  /** Remove temp files of dead writers and record a certain interruption on disk (default true). */
  tidy?: boolean;
  now?: number;
}

/** The status of one run folder, or undefined when the folder holds no run (no summary at all). */
export async function readRunStatus(runDir: string, options: ReadStatusOptions = {}): Promise<RunStatusReport | undefined> {
  const tidy = options.tidy ?? true;
  const [owner, metrics, entries] = await Promise.all([readOwner(runDir), readMetrics(runDir), listNames(runDir)]);
  if (entries === undefined) return undefined;

  let summary = await readSummaryFile(runDir);
  summary ??= await newestTempSummary(runDir, entries);
  const tempWriters = entries
    .filter((e) => e.startsWith(`${RUN_FILES.summary}.tmp-`))
    .map(tempFileWriter)
    .filter((pid): pid is number => pid !== undefined);
  // No summary, not even a temp one: not a run folder (or one whose summary was deleted).
  if (summary === undefined && tempWriters.length === 0) return undefined;

  const lastEpoch = metrics.length > 0 ? metrics[metrics.length - 1].epoch : 0;
  const report = judge(runDir, summary, owner, metrics, lastEpoch, tempWriters, options.now);
  if (tidy) await tidyFolder(runDir, report, owner);
  return report;
}

function judge(
  runDir: string,
  summary: RunSummary | undefined,
  owner: RunOwner | undefined,
  metrics: EpochMetrics[],
  lastEpoch: number,
  tempWriters: number[],
  now: number | undefined,
): RunStatusReport {
  if (summary === undefined) {
    // Only an unreadable temp summary: the run died while writing its first summary.
    const writer = tempWriters[0];
    const gone = tempWriters.every((pid) => writerGone(pid, owner));
    return {
      runDir,
      status: gone ? 'interrupted' : 'running',
      summary: placeholderSummary(runDir, gone ? 'interrupted' : 'running', metrics),
      note: gone ? `the training process (pid ${writer}) ended before the run's summary was written` : `process ${writer} is still writing the run's first summary`,
      evidence: gone ? 'certain' : 'unverified',
      lastEpoch,
      ...(owner ? { owner } : {}),
    };
  }
  const base = { runDir, lastEpoch, ...(owner ? { owner } : {}) };
  if (summary.status !== 'running') return { ...base, status: summary.status, summary, evidence: 'certain' };
  if (owner === undefined) {
    // Runs from before owner records (or a temp summary): the temp files' writers are the owner.
    const gone = tempWriters.length > 0 && tempWriters.every((pid) => !pidExists(pid));
    if (!gone) return { ...base, status: 'running', summary, evidence: 'unverified', note: 'the run records no owner process; it cannot be checked' };
    return interrupted(base, summary, metrics, `the training process (pid ${tempWriters[0]}) is gone`, 'certain');
  }
  const state = ownerState(owner, now);
  switch (state.state) {
    case 'alive':
      return { ...base, status: 'running', summary, evidence: 'certain' };
    case 'unknown':
      return { ...base, status: 'running', summary, evidence: 'unverified', note: state.reason };
    case 'gone':
      return interrupted(base, summary, metrics, state.reason, 'certain');
    case 'stale':
      return interrupted(base, summary, metrics, state.reason, 'hypothesis');
  }
}

function interrupted(
  base: { runDir: string; lastEpoch: number; owner?: RunOwner },
  summary: RunSummary,
  metrics: EpochMetrics[],
  why: string,
  evidence: 'certain' | 'hypothesis',
): RunStatusReport {
  const note = endedReason('interrupted', base.lastEpoch, summary, why);
  return {
    ...base,
    status: 'interrupted',
    recordedStatus: summary.status,
    summary: withProgress({ ...summary, status: 'interrupted', reason: note }, metrics),
    note,
    evidence,
  };
}

/**
 * Why a run stopped, with how far it got: `interrupted after epoch 3: ...`, or for one that trained
 * no whole epoch, whether it was still loading its data and building its model (the starting
 * summary the host writes before the worker, createFolder.ts) or in its first epoch.
 */
export function endedReason(status: 'interrupted' | 'failed', lastEpoch: number, summary: RunSummary, why: string): string {
  if (lastEpoch > 0) return `${status} after epoch ${lastEpoch}: ${why}`;
  if (isStartingSummary(summary)) return `${status} before training, while loading its data and building its model: ${why}`;
  return `${status} during the first epoch: ${why}`;
}

/** Epochs and losses from metrics.jsonl, which may be one epoch ahead of the summary. */
function withProgress(summary: RunSummary, metrics: EpochMetrics[]): RunSummary {
  const last = metrics[metrics.length - 1];
  if (last === undefined || metrics.length < summary.epochs) return summary;
  return { ...summary, epochs: metrics.length, trainLoss: Number.isFinite(last.loss) ? last.loss : null, valLoss: last.valLoss };
}

/** What a run that never wrote a readable summary is known by: its folder name, config and metrics. */
function placeholderSummary(runDir: string, status: RunStatus, metrics: EpochMetrics[]): RunSummary {
  const name = path.basename(runDir).replace(/^\d{8}-\d{6}-/, '');
  const stamp = /^(\d{4})(\d{2})(\d{2})-(\d{2})(\d{2})(\d{2})/.exec(path.basename(runDir));
  const startedAt = stamp ? new Date(+stamp[1], +stamp[2] - 1, +stamp[3], +stamp[4], +stamp[5], +stamp[6]).toISOString() : new Date(0).toISOString();
  return withProgress(
    untrainedSummary({
      status,
      name,
      configFile: '',
      startedAt,
      // The summary that names the backend was never written.
      backendReason: 'not recorded: the run ended before its summary was written',
    }),
    metrics,
  );
}

async function listNames(dir: string): Promise<string[] | undefined> {
  try {
    return await fs.readdir(dir);
  } catch {
    return undefined;
  }
}

/** The most recently modified temp summary that parses as a summary. */
async function newestTempSummary(runDir: string, entries: string[]): Promise<RunSummary | undefined> {
  const temps = entries.filter((e) => e.startsWith(`${RUN_FILES.summary}.tmp-`));
  const candidates: Array<{ summary: RunSummary; mtime: number }> = [];
  for (const name of temps) {
    const file = path.join(runDir, name);
    const value = await readJson(file);
    if (!isRunSummary(value)) continue;
    const stat = await fs.stat(file).catch(() => undefined);
    candidates.push({ summary: value, mtime: stat?.mtimeMs ?? 0 });
  }
  candidates.sort((a, b) => b.mtime - a.mtime);
  return candidates[0]?.summary;
}

async function tidyFolder(runDir: string, report: RunStatusReport, owner: RunOwner | undefined): Promise<void> {
  // Only certain evidence is written down; a hypothesis may be wrong (a suspended machine). The
  // summary goes first: if it cannot be written (read-only folder), the temp summary it came
  // from stays, and the run stays listed.
  if (report.status === 'interrupted' && report.evidence === 'certain') {
    const written = await writeJsonAtomic(path.join(runDir, RUN_FILES.summary), report.summary).then(
      () => true,
      () => false,
    );
    if (!written) return;
  }
  await removeDeadTempFiles(runDir, owner);
  await removeDeadTempFiles(path.join(runDir, RUN_FILES.model), owner);
}

/** Removes `*.tmp-<pid>-*` files in `dir` whose writer is certainly gone. */
export async function removeDeadTempFiles(dir: string, owner: RunOwner | undefined, isDead: (pid: number) => boolean = (pid) => writerGone(pid, owner)): Promise<string[]> {
  const names = (await listNames(dir)) ?? [];
  const removed: string[] = [];
  for (const name of names) {
    const pid = tempFileWriter(name);
    if (pid === undefined || tempFileTarget(name) === '' || !isDead(pid)) continue;
    await fs.rm(path.join(dir, name), { force: true }).catch(() => undefined);
    removed.push(name);
  }
  return removed;
}

/** Every run under `runsDir`, newest first; removes staging folders whose creator is gone. */
export async function listRunStatuses(runsDir: string, options: ReadStatusOptions = {}): Promise<RunStatusReport[]> {
  let entries: import('node:fs').Dirent[];
  try {
    entries = await fs.readdir(runsDir, { withFileTypes: true });
  } catch {
    return [];
  }
  const reports: RunStatusReport[] = [];
  for (const e of entries) {
    if (!e.isDirectory()) continue;
    const full = path.join(runsDir, e.name);
    if (e.name.startsWith('.')) {
      const creator = stagingFolderOwner(e.name);
      // A staging folder never held training (it is renamed before the first epoch).
      if ((options.tidy ?? true) && e.name.startsWith(STAGING_PREFIX) && creator !== undefined && !pidExists(creator)) {
        await fs.rm(full, { recursive: true, force: true }).catch(() => undefined);
      }
      continue;
    }
    const report = await readRunStatus(full, options);
    if (report) reports.push(report);
  }
  return reports.sort(compareReportsNewestFirst);
}

function compareReportsNewestFirst(a: RunStatusReport, b: RunStatusReport): number {
  const byTime = Date.parse(b.summary.startedAt) - Date.parse(a.summary.startedAt);
  if (Number.isFinite(byTime) && byTime !== 0) return byTime;
  return path.basename(b.runDir).localeCompare(path.basename(a.runDir));
}

/**
 * Called by the host that ended a run's worker abnormally (killed it, or it crashed): a summary
 * still saying `running` gets `status` and the reason, and the dead worker's temp files go. The
 * worker ran in this process, so its temp files carry this pid: the caller vouches it is gone.
 * Returns the summary written, or undefined when there was none to update.
 */
export async function markRunEnded(runDir: string, status: Extract<RunStatus, 'interrupted' | 'failed'>, reason: string): Promise<RunSummary | undefined> {
  const owner = await readOwner(runDir);
  await removeDeadTempFiles(runDir, owner, (pid) => pid === process.pid || !pidExists(pid));
  await removeDeadTempFiles(path.join(runDir, RUN_FILES.model), owner, (pid) => pid === process.pid || !pidExists(pid));
  const recorded = await readSummaryFile(runDir);
  if (recorded === undefined) return undefined;
  if (recorded.status !== 'running') return recorded;
  const metrics = await readMetrics(runDir);
  const lastEpoch = metrics.length > 0 ? metrics[metrics.length - 1].epoch : 0;
  const summary = withProgress({ ...recorded, status, reason: endedReason(status, lastEpoch, recorded, reason) }, metrics);
  await writeJsonAtomic(path.join(runDir, RUN_FILES.summary), summary);
  return summary;
}

/** The host's sign of life for a run it trains (owner.json `heartbeatAt`), if this process owns it. */
export async function refreshHeartbeat(runDir: string, now = new Date()): Promise<void> {
  const owner = await readOwner(runDir);
  const self = currentOwner();
  if (owner === undefined || owner.pid !== self.pid || owner.hostname !== self.hostname) return;
  await writeJsonAtomic(path.join(runDir, RUN_FILES.owner), { ...owner, heartbeatAt: now.toISOString() });
}
