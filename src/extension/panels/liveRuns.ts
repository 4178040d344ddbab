// Runs that are training right now, kept in memory from the worker's events. A dashboard that is
// hidden loses its page (no retainContextWhenHidden), so when it is shown again it asks for
// everything anew; this is where "everything so far" lives while files on disk may lag behind.
// No `vscode` import: the tests drive it with plain events.

import * as path from 'node:path';
import type { WorkerEvent } from '../../core/protocol/worker';
import type { HostToWebview, RunData } from '../../core/protocol/webview';
import { readMetrics } from '../../core/run/read';
import type { RunSummary } from '../../core/run/types';

/** The part of ctx's RunEvent this module needs (kept structural so tests need no `vscode`). */
export interface LiveRunEvent {
  configFile: string;
  runDir?: string;
  event: WorkerEvent;
}

/** What a panel is told about a live run: which run, and the message to forward to its webview. */
export interface LiveUpdate {
  runDir: string;
  configFile: string;
  /** Undefined for events that change no panel (batches, logs) but still mark the run as alive. */
  message?: HostToWebview;
  event: WorkerEvent;
}

/** Finished runs kept in memory for panels that may still ask (a Map keeps insertion order: oldest first). */
export const MAX_FINISHED_KEPT = 8;

export class LiveRuns {
  private readonly runs = new Map<string, RunData>();
  /** The run a config is training right now; later events may omit their run folder. */
  private readonly currentRunOfConfig = new Map<string, string>();
  private readonly listeners = new Set<(u: LiveUpdate) => void>();

  get(runDir: string): RunData | undefined {
    return this.runs.get(runDir);
  }

  all(): RunData[] {
    return [...this.runs.values()];
  }

  onUpdate(listener: (u: LiveUpdate) => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  /** Applies one worker event and tells listeners; returns the update, or undefined when the event belongs to no known run. */
  handle(e: LiveRunEvent): LiveUpdate | undefined {
    const { event } = e;
    if (event.type === 'started') {
      this.runs.set(event.runDir, startedRun(e.configFile, event));
      this.currentRunOfConfig.set(e.configFile, event.runDir);
      void this.seedHistory(event.runDir, e.configFile, event);
      return this.emit({ runDir: event.runDir, configFile: e.configFile, event });
    }
    const runDir = ('runDir' in event && event.runDir) || e.runDir || this.currentRunOfConfig.get(e.configFile);
    const run = runDir ? this.runs.get(runDir) : undefined;
    if (!runDir || !run) return undefined;
    const message = applyEvent(run, event);
    if (event.type === 'finished' || event.type === 'failed') {
      this.currentRunOfConfig.delete(e.configFile);
      this.pruneFinished();
    }
    return this.emit({ runDir, configFile: e.configFile, message, event });
  }

  /**
   * The epochs a resumed run trained before this session are on disk, not in its events: once
   * read, they go before the live ones and open dashboards get the whole run again. Resolves
   * with whether any were added (none for a new run).
   */
  async seedHistory(runDir: string, configFile: string, event: WorkerEvent): Promise<boolean> {
    const saved = await readMetrics(runDir).catch(() => []);
    const run = this.runs.get(runDir);
    if (!run || saved.length === 0) return false;
    const firstLive = run.metrics[0]?.epoch ?? Infinity;
    const earlier = saved.filter((m) => m.epoch < firstLive);
    if (earlier.length === 0) return false;
    run.metrics = [...earlier, ...run.metrics];
    this.emit({ runDir, configFile, message: { type: 'init', run }, event });
    return true;
  }

  /** Forgets a finished run once its files on disk say everything (keeps memory bounded). */
  forget(runDir: string): void {
    const run = this.runs.get(runDir);
    if (run && run.summary.status !== 'running') this.runs.delete(runDir);
  }

  /**
   * Finished runs whose dashboard was never opened (or closed while training) are never forgotten
   * by a panel; keep only the newest few, their files on disk hold everything anyway.
   */
  private pruneFinished(): void {
    const finished = [...this.runs.values()].filter((r) => r.summary.status !== 'running');
    for (const run of finished.slice(0, Math.max(finished.length - MAX_FINISHED_KEPT, 0))) this.runs.delete(run.runDir);
  }

  private emit(update: LiveUpdate): LiveUpdate {
    for (const l of this.listeners) l(update);
    return update;
  }
}

function startedRun(configFile: string, event: Extract<WorkerEvent, { type: 'started' }>): RunData {
  const summary: RunSummary = {
    status: 'running',
    name: path.basename(event.runDir),
    configFile,
    startedAt: new Date().toISOString(),
    backend: event.backend,
    backendReason: event.backendReason,
    epochs: event.epochs,
    trainLoss: null,
    valLoss: null,
    seconds: 0,
    windows: event.windows,
    parameters: event.parameters,
    compressionRatio: event.compressionRatio,
    findings: [],
  };
  return { runDir: event.runDir, summary, metrics: [], reconstructions: null, latents: null };
}

/** Folds an event into the run and returns what the dashboard needs to hear about it. */
export function applyEvent(run: RunData, event: WorkerEvent): HostToWebview | undefined {
  switch (event.type) {
    case 'epoch': {
      const { type: _type, ...metrics } = event;
      run.metrics.push(metrics);
      run.summary.trainLoss = metrics.loss;
      run.summary.valLoss = metrics.valLoss;
      return { type: 'epoch', metrics };
    }
    case 'reconstructions': {
      const ranking = event.ranking ? { ranking: event.ranking } : {};
      run.reconstructions = { features: event.features, units: 'original', windows: event.windows, ...ranking };
      return { type: 'reconstructions', epoch: event.epoch, features: event.features, windows: event.windows, ...ranking };
    }
    case 'latents': {
      // Workers before the event carried indices sampled the same windows for both events and
      // posted reconstructions first, so a same-sized reconstruction set names them.
      const windows = run.reconstructions?.windows;
      const indices = event.indices ?? (windows && windows.length === event.vectors.length ? windows.map((w) => w.index) : event.vectors.map((_, i) => i));
      run.latents = { size: event.vectors[0]?.length ?? 0, vectors: event.vectors, indices, labels: event.labels };
      return { type: 'latents', epoch: event.epoch, vectors: event.vectors, indices, labels: event.labels };
    }
    case 'finding':
      run.summary.findings.push(event.finding);
      return { type: 'finding', finding: event.finding };
    case 'finished':
      run.summary = event.summary;
      return { type: 'status', summary: event.summary };
    case 'failed':
      run.summary = event.summary ?? { ...run.summary, status: 'failed', reason: event.message };
      return { type: 'status', summary: run.summary, message: event.message };
    case 'started':
    case 'batch':
    case 'log':
      return undefined;
  }
}
