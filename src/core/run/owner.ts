// Who trains a run: the owning process (pid, host, start time) recorded in `owner.json`, and
// whether that process is still there. A reader uses this to tell a run that is still going
// from one whose process was killed, crashed or whose machine restarted.
//
// Evidence, strongest first: on the same host, a pid that no longer exists (or now belongs to a
// process that started later, i.e. a reused pid) is certain; a heartbeat that stopped long ago
// while the pid lives is a strong hint (the worker may have died inside a live host), stated as
// such; a run owned by another host cannot be checked except by its heartbeat.

import * as fs from 'node:fs';
import * as os from 'node:os';
import type { RunOwner } from './types';

/** The host refreshes the heartbeat this often while a run trains. */
export const HEARTBEAT_INTERVAL_MS = 15_000;
/** A heartbeat older than this means nothing refreshes it any more. */
export const HEARTBEAT_STALE_MS = 5 * 60_000;

let selfOwner: Omit<RunOwner, 'heartbeatAt'> | undefined;

/** This process as a run owner. */
export function currentOwner(): RunOwner {
  selfOwner ??= {
    pid: process.pid,
    hostname: os.hostname(),
    processStartedAt: new Date(Date.now() - process.uptime() * 1000).toISOString(),
    ...optionalTicks(processStartTicks(process.pid)),
  };
  return { ...selfOwner };
}

function optionalTicks(ticks: string | undefined): { processStartTicks?: string } {
  return ticks === undefined ? {} : { processStartTicks: ticks };
}

/**
 * Linux: field 22 of /proc/PID/stat, the process's start time in clock ticks since boot. Two
 * processes with the same pid never share it, so it tells a reused pid apart. Undefined elsewhere.
 */
export function processStartTicks(pid: number): string | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Field 2 (the command) is in parentheses and may hold spaces or ')': split after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = fields[19]; // fields[0] is field 3
    return ticks !== undefined && /^\d+$/.test(ticks) ? ticks : undefined;
  } catch {
    return undefined;
  }
}

/** Whether a process with this pid exists on this host (EPERM: it exists, owned by someone else). */
export function pidExists(pid: number): boolean {
  if (!Number.isSafeInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export type OwnerState =
  /** The owner is alive as far as can be told. */
  | { state: 'alive' }
  /** Certain: the owning process is gone. */
  | { state: 'gone'; reason: string }
  /** The process may live, but nothing refreshed the heartbeat for a long time: probably gone. */
  | { state: 'stale'; reason: string }
  /** Cannot be checked (another host, no heartbeat). */
  | { state: 'unknown'; reason: string };

export function ownerState(owner: RunOwner, now = Date.now()): OwnerState {
  const heartbeatAge = owner.heartbeatAt === undefined ? undefined : now - Date.parse(owner.heartbeatAt);
  const staleHeartbeat = heartbeatAge !== undefined && heartbeatAge > HEARTBEAT_STALE_MS;
  const minutes = (ms: number) => `${Math.round(ms / 60_000)} min`;
  if (owner.hostname !== os.hostname()) {
    if (staleHeartbeat)
      return { state: 'stale', reason: `owned by process ${owner.pid} on ${owner.hostname}, which has not refreshed its heartbeat for ${minutes(heartbeatAge!)}` };
    return { state: 'unknown', reason: `owned by process ${owner.pid} on another host (${owner.hostname}); cannot check it from here` };
  }
  if (!pidExists(owner.pid)) return { state: 'gone', reason: `the training process (pid ${owner.pid}) is gone` };
  if (owner.processStartTicks !== undefined) {
    const ticks = processStartTicks(owner.pid);
    if (ticks !== undefined && ticks !== owner.processStartTicks) {
      return { state: 'gone', reason: `the training process (pid ${owner.pid}) is gone; the pid now belongs to another process` };
    }
  }
  if (staleHeartbeat) {
    return { state: 'stale', reason: `process ${owner.pid} is alive but stopped refreshing the run ${minutes(heartbeatAge!)} ago (its training worker probably died)` };
  }
  return { state: 'alive' };
}

/** Whether the process that wrote a temp file (pid from its name) is certainly gone. */
export function writerGone(pid: number, owner: RunOwner | undefined): boolean {
  // Temp names carry no host: only clean up when the folder is known to be this host's (or unowned).
  if (owner !== undefined && owner.hostname !== os.hostname()) return false;
  if (owner !== undefined && owner.pid === pid) return ownerState(owner).state === 'gone';
  return !pidExists(pid);
}

export function isRunOwner(v: unknown): v is RunOwner {
  if (typeof v !== 'object' || v === null) return false;
  const o = v as Record<string, unknown>;
  return (
    Number.isSafeInteger(o.pid) &&
    typeof o.hostname === 'string' &&
    typeof o.processStartedAt === 'string' &&
    (o.processStartTicks === undefined || typeof o.processStartTicks === 'string') &&
    (o.heartbeatAt === undefined || typeof o.heartbeatAt === 'string')
  );
}
