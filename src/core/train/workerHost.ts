// The host side of a training worker, shared by the CLI and the extension (no `vscode` import).
//
//   const run = new TrainingRun(path.join(distDir, 'worker.js'));
//   run.onEvent((e) => ...);              // every WorkerEvent, in order, ending with 'finished' or 'failed'
//   run.start({ type: 'start', configFile, runsDir });
//   run.cancel();                         // optional: stop after the current batch, artifacts are saved
//   const summary = await run.done;       // RunSummary, or undefined when the run failed before a folder existed
//
// The worker is untrusted in the protocol's sense: malformed messages are dropped, and a worker
// that throws, exits or is killed before its final event is reported as one 'failed' event.
// Nothing here throws into the host; listeners that throw are isolated from each other.
//
// The run folder is the record users trust, so the host keeps it honest. For a new run the host
// itself checks the config (the same lint as the editor) and creates the folder before it starts
// the worker, so a process killed at any later moment, even while the worker loads the data and
// builds the model, leaves a folder that reads as interrupted; a config that fails its checks
// leaves no folder. When the worker then reports a failure before it trained anything (bad data,
// memory limit, cancelled while loading), the folder is removed again: the error message is the
// record, and there is nothing to resume. While the worker trains,
// the host's own thread refreshes the folder's heartbeat (owner.json); when the worker ends
// without finishing (killed by the host, crashed, exited), the host stops it, removes its temp
// files and writes the summary's final status (interrupted or failed) before the final event.

import { createHash } from 'node:crypto';
import { EventEmitter } from 'node:events';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { readTextFileSync } from '../data/lines';
import { isWorkerEvent, type StartRequest, type WorkerEvent, type WorkerRequest } from '../protocol/worker';
import { createRunFolder, discardUnstartedRunFolder, startingSummary } from '../run/createFolder';
import { HEARTBEAT_INTERVAL_MS } from '../run/owner';
import { markRunEnded, refreshHeartbeat } from '../run/status';
import type { RunSummary } from '../run/types';
import { resolveText } from './checkConfig';

export type FinalEvent = Extract<WorkerEvent, { type: 'finished' | 'failed' }>;

export interface TrainingRunOptions {
  /**
   * After cancel(), how long the worker gets to save the model and write its summary before it
   * is terminated and the run reported as failed. Default 30 s (saving is usually < 1 s).
   */
  cancelGraceMs?: number;
  /** How often the run folder's heartbeat is refreshed (default HEARTBEAT_INTERVAL_MS). */
  heartbeatMs?: number;
}

const DEFAULT_CANCEL_GRACE_MS = 30_000;

export class TrainingRun {
  /** Emits 'event' (WorkerEvent) for every event, the final one included. */
  readonly events = new EventEmitter();
  /** Resolves with the final event ('finished' or 'failed'); never rejects. */
  readonly final: Promise<FinalEvent>;
  /** Resolves with the run's summary (also for failed or cancelled runs that made a folder); never rejects. */
  readonly done: Promise<RunSummary | undefined>;

  private worker: Worker | undefined;
  private resolveFinal!: (event: FinalEvent) => void;
  private ended = false;
  private cancelTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly history: WorkerEvent[] = [];
  private readonly cancelGraceMs: number;
  private readonly heartbeatMs: number;
  private heartbeat: ReturnType<typeof setInterval> | undefined;
  /** Set once the worker is being stopped abnormally; its later messages are dropped. */
  private stopping = false;
  private currentRunDir: string | undefined;
  /** Between start() and the worker's creation: the host checks the config and creates the folder. */
  private preparing = false;
  private cancelRequested = false;
  /** The folder this host created for a new run; undefined for a resume or before creation. */
  private createdRunDir: string | undefined;
  /** Set once the worker reported 'started': it trains in the folder (a later failure carries it). */
  private workerStarted = false;

  constructor(
    private readonly workerPath: string,
    options: TrainingRunOptions = {},
  ) {
    this.cancelGraceMs = options.cancelGraceMs ?? DEFAULT_CANCEL_GRACE_MS;
    this.heartbeatMs = options.heartbeatMs ?? HEARTBEAT_INTERVAL_MS;
    this.final = new Promise<FinalEvent>((resolve) => (this.resolveFinal = resolve));
    this.done = this.final.then((e) => e.summary);
    // An EventEmitter throws on an unhandled 'error' event; this one never emits it, but a
    // listener registered by a caller for 'error' must not be required.
    this.events.on('error', () => undefined);
  }

  /** The run folder, once it exists (created by the host, or reported by the worker). */
  get runDir(): string | undefined {
    return this.currentRunDir;
  }

  /**
   * Calls `listener` with the run folder as soon as it exists (at once when it already does):
   * before the worker has loaded the data, so a face can name it from the start.
   */
  onRunFolder(listener: (runDir: string) => void): () => void {
    if (this.currentRunDir !== undefined) listener(this.currentRunDir);
    const wrapped = (dir: string) => listener(dir);
    this.events.on('folder', wrapped);
    return () => this.events.off('folder', wrapped);
  }

  /** True once the final event was delivered. */
  get finished(): boolean {
    return this.ended;
  }

  /**
   * Subscribes to events. Events that happened before the subscription are replayed first, so
   * a listener added after start() (or after the end) misses nothing. Returns an unsubscribe.
   */
  onEvent(listener: (event: WorkerEvent) => void): () => void {
    for (const event of this.history) safeCall(listener, event);
    const wrapped = (event: WorkerEvent) => safeCall(listener, event);
    this.events.on('event', wrapped);
    return () => this.events.off('event', wrapped);
  }

  /** Every event from the start (replayed) to the final one, for `for await` consumers. */
  async *[Symbol.asyncIterator](): AsyncGenerator<WorkerEvent> {
    const queue: WorkerEvent[] = [];
    let wake: (() => void) | undefined;
    const unsubscribe = this.onEvent((e) => {
      queue.push(e);
      wake?.();
    });
    try {
      for (;;) {
        while (queue.length > 0) {
          const event = queue.shift()!;
          yield event;
          if (event.type === 'finished' || event.type === 'failed') return;
        }
        await new Promise<void>((resolve) => (wake = resolve));
        wake = undefined;
      }
    } finally {
      unsubscribe();
    }
  }

  /**
   * Starts the run. A new run's config is checked and its folder created first (here, not in the
   * worker); a resume goes to the worker at once. A second call is reported as a 'log' warning and ignored.
   */
  start(request: StartRequest): void {
    if (this.worker !== undefined || this.ended || this.preparing) {
      this.emit({ type: 'log', level: 'warn', message: 'this training run was already started; start() ignored' });
      return;
    }
    if (request.resumeRunDir !== undefined || request.created !== undefined) {
      this.spawn(request);
      return;
    }
    this.preparing = true;
    void this.prepare(request).then(
      (ready) => {
        this.preparing = false;
        if (ready !== undefined) this.spawn(ready);
      },
      (err: unknown) => {
        this.preparing = false;
        this.end({ type: 'failed', message: `training failed before it started: ${(err as Error)?.message ?? String(err)}` });
      },
    );
  }

  /** Checks the config and creates the run's folder; undefined when the run ended instead (reported). */
  private async prepare(request: StartRequest): Promise<StartRequest | undefined> {
    const configFile = path.resolve(request.configFile);
    let text: string;
    try {
      text = request.configText ?? readTextFileSync(configFile);
    } catch (err) {
      this.end({ type: 'failed', message: `${configFile}: cannot read the config (${(err as Error).message})`, location: { file: configFile } });
      return undefined;
    }
    const checked = resolveText(text, configFile);
    if ('error' in checked) {
      this.end({ type: 'failed', message: checked.error, location: checked.location });
      return undefined;
    }
    if (this.ended) return undefined;
    if (this.cancelRequested) {
      this.end({ type: 'failed', message: 'cancelled before training started' });
      return undefined;
    }
    const startedAt = new Date();
    const first = startingSummary({
      name: checked.config.name,
      configFile: checked.config.configFile,
      startedAt,
      epochsPlanned: request.epochs ?? checked.config.training.epochs,
      configHash: createHash('sha256').update(text).digest('hex'),
    });
    let runDir: string;
    try {
      runDir = await createRunFolder(request.runsDir, checked.config.name, startedAt, first);
    } catch (err) {
      this.end({ type: 'failed', message: `cannot create the run folder in ${request.runsDir}: ${(err as Error).message}`, location: { file: request.runsDir } });
      return undefined;
    }
    // Killed or cancelled while the folder was being created: nothing trained, nothing to keep.
    if (this.ended || this.cancelRequested) {
      await discardUnstartedRunFolder(runDir).catch(() => false);
      this.end({ type: 'failed', message: 'cancelled before training started' });
      return undefined;
    }
    this.createdRunDir = runDir;
    this.currentRunDir = runDir;
    this.startHeartbeat(runDir);
    this.events.emit('folder', runDir);
    return { ...request, configFile, configText: text, created: { runDir, startedAt: startedAt.toISOString() } };
  }

  private spawn(request: StartRequest): void {
    if (this.ended) return;
    let worker: Worker;
    try {
      // stdout/stderr are captured so stray prints (tfjs warnings) reach the host as log events
      // instead of corrupting a CLI's --json output.
      worker = new Worker(this.workerPath, { stdout: true, stderr: true });
    } catch (err) {
      this.end({ type: 'failed', message: `cannot start the training worker ${this.workerPath}: ${(err as Error).message}` });
      return;
    }
    this.worker = worker;
    forwardLines(worker.stdout, (line) => this.emit({ type: 'log', level: 'info', message: line }));
    forwardLines(worker.stderr, (line) => this.emit({ type: 'log', level: 'warn', message: line }));
    worker.on('message', (message: unknown) => {
      if (isWorkerEvent(message)) this.emit(message);
      else this.emit({ type: 'log', level: 'warn', message: 'training worker posted a malformed message; ignored' });
    });
    worker.on('error', (err) => void this.stopAbnormally('failed', `training worker crashed: ${err.message}`));
    worker.on('exit', (code) => void this.stopAbnormally('failed', `training worker exited (code ${code}) before finishing the run`));
    worker.postMessage(request);
  }

  /**
   * Asks the worker to stop after the current batch; it saves what was learned and finishes
   * with status 'cancelled'. If it has not finished after the grace period it is terminated.
   */
  cancel(): void {
    if (this.preparing) this.cancelRequested = true;
    if (this.ended || this.worker === undefined || this.cancelTimer !== undefined) return;
    this.worker.postMessage({ type: 'cancel' } satisfies WorkerRequest);
    this.cancelTimer = setTimeout(() => {
      void this.stopAbnormally('interrupted', `training worker did not stop within ${this.cancelGraceMs / 1000} s of cancelling; terminated`);
    }, this.cancelGraceMs);
    this.cancelTimer.unref?.();
  }

  /**
   * Terminates the worker at once. The final event is 'failed'; the run folder's summary says
   * `interrupted` (the model of the last finished epoch is saved, so the run can be resumed).
   */
  kill(): void {
    if (this.worker === undefined) {
      // While preparing, prepare() sees the end and removes a folder it goes on to create.
      this.end({ type: 'failed', message: 'training worker was killed before it started' });
      return;
    }
    void this.stopAbnormally('interrupted', 'training worker was killed');
  }

  /**
   * Ends a worker that did not finish: stops it (so nothing writes into the folder any more),
   * then records the outcome in the run folder, then delivers the final event carrying it.
   */
  private async stopAbnormally(status: 'interrupted' | 'failed', message: string): Promise<void> {
    if (this.ended || this.stopping) return;
    this.stopping = true;
    this.stopTimers();
    await this.terminateWorker();
    let summary: RunSummary | undefined;
    if (this.currentRunDir !== undefined) {
      summary = await markRunEnded(this.currentRunDir, status, message).catch((err: unknown) => {
        this.emit({ type: 'log', level: 'warn', message: `could not record the run's end in ${this.currentRunDir}: ${(err as Error)?.message ?? String(err)}` });
        return undefined;
      });
    }
    this.end({ type: 'failed', ...this.dirField(), message, ...(summary ? { summary } : {}) });
  }

  /** Stops the worker without hearing from it again: its exit and errors no longer count. */
  private async terminateWorker(): Promise<void> {
    const worker = this.worker;
    if (worker === undefined) return;
    worker.removeAllListeners('exit');
    worker.removeAllListeners('error');
    worker.on('error', () => undefined);
    await worker.terminate().catch(() => undefined);
  }

  /**
   * The worker failed before it trained in the folder the host created (bad data, memory limit,
   * cancelled while loading): the folder goes (or, if the worker wrote into it after all, says
   * failed), then the final event is delivered.
   */
  private async endUnstarted(event: Extract<WorkerEvent, { type: 'failed' }>, runDir: string): Promise<void> {
    this.stopping = true;
    this.stopTimers();
    await this.terminateWorker();
    const discarded = await discardUnstartedRunFolder(runDir).catch(() => false);
    if (discarded) {
      this.currentRunDir = undefined;
      this.end(event);
      return;
    }
    const summary = await markRunEnded(runDir, 'failed', event.message).catch(() => undefined);
    this.end({ ...event, runDir, ...(summary ? { summary } : {}) });
  }

  private startHeartbeat(runDir: string): void {
    if (this.heartbeat !== undefined) return;
    const beat = () => void refreshHeartbeat(runDir).catch(() => undefined);
    beat();
    this.heartbeat = setInterval(beat, this.heartbeatMs);
    this.heartbeat.unref?.();
  }

  private stopTimers(): void {
    if (this.cancelTimer !== undefined) clearTimeout(this.cancelTimer);
    if (this.heartbeat !== undefined) clearInterval(this.heartbeat);
    this.heartbeat = undefined;
  }

  private dirField(): { runDir?: string } {
    return this.currentRunDir !== undefined ? { runDir: this.currentRunDir } : {};
  }

  private emit(event: WorkerEvent): void {
    if (this.ended) return;
    if (this.stopping && event.type !== 'log') return;
    if (event.type === 'started') {
      this.workerStarted = true;
      this.currentRunDir = event.runDir;
      this.startHeartbeat(event.runDir);
    }
    if (event.type === 'failed' && event.runDir === undefined && !this.workerStarted && this.createdRunDir !== undefined) {
      void this.endUnstarted(event, this.createdRunDir);
      return;
    }
    if (event.type === 'finished' || event.type === 'failed') {
      this.end(event);
      return;
    }
    this.history.push(event);
    this.events.emit('event', event);
  }

  /** Delivers the final event once and ends the worker (the wasm heap is only freed that way). */
  private end(event: FinalEvent): void {
    if (this.ended) return;
    this.ended = true;
    if (event.runDir !== undefined) this.currentRunDir = event.runDir;
    this.stopTimers();
    this.history.push(event);
    this.events.emit('event', event);
    this.resolveFinal(event);
    const worker = this.worker;
    if (worker !== undefined) {
      worker.removeAllListeners('exit');
      worker.removeAllListeners('error');
      // Late errors after the end are irrelevant but must not become uncaught exceptions.
      worker.on('error', () => undefined);
      void worker.terminate().catch(() => undefined);
    }
  }
}

function safeCall(listener: (event: WorkerEvent) => void, event: WorkerEvent): void {
  try {
    listener(event);
  } catch (err) {
    // A faulty listener must not stop the others or the run; make it visible, though.
    process.emitWarning(`TrainingRun listener threw: ${(err as Error)?.message ?? String(err)}`);
  }
}

function forwardLines(stream: NodeJS.ReadableStream | null | undefined, onLine: (line: string) => void): void {
  if (!stream) return;
  let pending = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    pending += chunk;
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) if (line.trim() !== '') onLine(line);
  });
  stream.on('end', () => {
    if (pending.trim() !== '') onLine(pending);
  });
}
