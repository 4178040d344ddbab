// Creating a run folder and, for a run that stopped before it trained anything, removing it again.
// No tfjs here: the host (CLI, extension) creates the folder of a new run itself, right after the
// config passed its checks and before the worker loads data and builds the model, so a process
// killed at any moment of a training leaves a folder that reads as interrupted (ADR in
// DEVELOPERS.md, "Run lifecycle").
//
// A run folder never exists without its owner record and first summary: both are written into a
// hidden staging folder (`.staging-<pid>-<hex>`) that is then renamed to the run's name, so a
// process killed at any moment leaves either nothing under a run's name or a folder a reader can
// judge (readRunStatus). A staging folder whose process is gone is removed by the reader.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';
import { writeJsonAtomic } from './atomicWrite';
import { STAGING_PREFIX, runFolderName } from './folderNames';
import { currentOwner } from './owner';
import { RUN_FILES, STARTING_REASON, untrainedSummary, type RunSummary } from './types';

/** A rename that found its target taken (POSIX: non-empty folder; Windows: any existing folder). */
function targetTaken(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException).code;
  return code === 'EEXIST' || code === 'ENOTEMPTY' || code === 'EPERM' || code === 'EACCES';
}

/**
 * Creates `<runsDir>/<YYYYMMDD-HHMMSS>-<name>/` holding owner.json (this process) and the first
 * summary; a second run started in the same second gets a `-2`, `-3`, ... suffix. Returns its path.
 */
export async function createRunFolder(runsDir: string, name: string, startedAt: Date, firstSummary: RunSummary): Promise<string> {
  await fs.promises.mkdir(runsDir, { recursive: true });
  const staging = path.join(runsDir, `${STAGING_PREFIX}${process.pid}-${randomBytes(4).toString('hex')}`);
  await fs.promises.mkdir(staging);
  try {
    await writeJsonAtomic(path.join(staging, RUN_FILES.owner), currentOwner());
    await writeJsonAtomic(path.join(staging, RUN_FILES.summary), firstSummary);
    const base = path.join(runsDir, runFolderName(startedAt, name));
    for (let i = 1; ; i++) {
      const dir = i === 1 ? base : `${base}-${i}`;
      // An empty folder of that name (nothing in it to lose) is replaced; a run's is not.
      try {
        await fs.promises.rename(staging, dir);
        return dir;
      } catch (err) {
        if (!targetTaken(err) || i > 1000) throw err;
      }
    }
  } catch (err) {
    await fs.promises.rm(staging, { recursive: true, force: true }).catch(() => undefined);
    throw err;
  }
}

/**
 * The first summary of a new run, written before its data is loaded: the backend, windows and
 * parameters are not known yet (placeholders, said so in `backendReason`). The worker replaces it
 * once the model is built.
 */
export function startingSummary(fields: { name: string; configFile: string; startedAt: Date; epochsPlanned: number; configHash: string }): RunSummary {
  return {
    ...untrainedSummary({
      status: 'running',
      name: fields.name,
      configFile: fields.configFile,
      startedAt: fields.startedAt.toISOString(),
      // The backend is chosen when the worker starts.
      backendReason: STARTING_REASON,
    }),
    configHash: fields.configHash,
    epochsPlanned: fields.epochsPlanned,
  };
}

export { STARTING_REASON } from './types';

/** Files a run has before its worker trained anything (and the temp files of their writes). */
const STARTING_FILES = new Set<string>([RUN_FILES.owner, RUN_FILES.summary]);

/**
 * Removes a run folder this process created when the run stopped before training for a reason it
 * reported (bad data, memory limit, cancelled while loading): nothing was trained, the error
 * message is the record. Only a folder still holding nothing but its starting files is removed;
 * returns whether it was.
 */
export async function discardUnstartedRunFolder(runDir: string): Promise<boolean> {
  let names: string[];
  try {
    names = await fs.promises.readdir(runDir);
  } catch {
    return false;
  }
  const startingOnly = names.every((n) => STARTING_FILES.has(n) || STARTING_FILES.has(n.replace(/\.tmp-\d+-[0-9a-f]+$/, '')));
  if (!startingOnly) return false;
  await fs.promises.rm(runDir, { recursive: true, force: true, maxRetries: 3 });
  return true;
}
