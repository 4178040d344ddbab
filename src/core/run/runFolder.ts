// Creates a run folder `.tsae/runs/<YYYYMMDD-HHMMSS>-<name>/` and writes its files, each one
// atomically. metrics.jsonl is rewritten whole on every epoch (it is small) so that it, too, is
// never seen half-written.
//
// A run folder never exists without its owner record and first summary: both are written into a
// hidden staging folder (`.staging-<pid>-<hex>`) that is then renamed to the run's name, so a
// process killed at any moment leaves either nothing under a run's name or a folder a reader can
// judge (readRunStatus). A staging folder whose process is gone is removed by the reader.

export { runFolderName } from './folderNames';

import * as fs from 'node:fs';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';
import type * as tf from '@tensorflow/tfjs';
import { writeFileAtomic, writeJsonAtomic } from './atomicWrite';
import { saveModel } from './modelIO';
import { STAGING_PREFIX, runFolderName } from './folderNames';
import { currentOwner } from './owner';
import { RUN_FILES } from './types';
import type { ConfigSourceFile, EpochMetrics, ErrorQuantiles, LatentsFile, ReconstructionsFile, RunSummary, ScalerFile } from './types';

/** A rename that found its target taken (POSIX: non-empty folder; Windows: any existing folder). */
function targetTaken(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException).code;
  return code === 'EEXIST' || code === 'ENOTEMPTY' || code === 'EPERM' || code === 'EACCES';
}

export class RunFolder {
  private metricsText = '';

  private constructor(readonly dir: string) {}

  /**
   * Creates a fresh folder holding owner.json and the first summary; a second run started in the
   * same second gets a `-2`, `-3`, ... suffix.
   */
  static async create(runsDir: string, name: string, startedAt: Date, firstSummary: RunSummary): Promise<RunFolder> {
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
          return new RunFolder(dir);
        } catch (err) {
          if (!targetTaken(err) || i > 1000) throw err;
        }
      }
    } catch (err) {
      await fs.promises.rm(staging, { recursive: true, force: true }).catch(() => undefined);
      throw err;
    }
  }

  /** Takes over an existing run folder to continue it (resume): this process becomes its owner. */
  static async reopen(dir: string, keptMetrics: EpochMetrics[]): Promise<RunFolder> {
    const folder = new RunFolder(dir);
    await writeJsonAtomic(folder.file(RUN_FILES.owner), currentOwner());
    folder.metricsText = keptMetrics.map((m) => JSON.stringify(m) + '\n').join('');
    await writeFileAtomic(folder.file(RUN_FILES.metrics), folder.metricsText);
    return folder;
  }

  file(name: string): string {
    return path.join(this.dir, name);
  }

  writeConfig(resolved: unknown): Promise<void> {
    return writeJsonAtomic(this.file(RUN_FILES.config), resolved);
  }

  /** The config text the run used, for a later diagnosis (`tsae diagnose RUN`). */
  writeConfigSource(source: ConfigSourceFile): Promise<void> {
    return writeJsonAtomic(this.file(RUN_FILES.configSource), source);
  }

  writeSummary(summary: RunSummary): Promise<void> {
    return writeJsonAtomic(this.file(RUN_FILES.summary), summary);
  }

  appendMetrics(metrics: EpochMetrics): Promise<void> {
    this.metricsText += JSON.stringify(metrics) + '\n';
    return writeFileAtomic(this.file(RUN_FILES.metrics), this.metricsText);
  }

  writeScaler(scaler: ScalerFile): Promise<void> {
    return writeJsonAtomic(this.file(RUN_FILES.scaler), scaler);
  }

  /** The target columns' scaler of a seq2seq run. */
  writeTargetScaler(scaler: ScalerFile): Promise<void> {
    return writeJsonAtomic(this.file(RUN_FILES.targetScaler), scaler);
  }

  writeReconstructions(file: ReconstructionsFile): Promise<void> {
    return writeJsonAtomic(this.file(RUN_FILES.reconstructions), file);
  }

  writeLatents(file: LatentsFile): Promise<void> {
    return writeJsonAtomic(this.file(RUN_FILES.latents), file);
  }

  writeThresholds(thresholds: ErrorQuantiles): Promise<void> {
    return writeJsonAtomic(this.file(RUN_FILES.thresholds), thresholds);
  }

  /** Saves the model; `epoch` (the epoch its weights are from) is what a resume continues after. */
  saveModel(model: tf.LayersModel, epoch?: number): Promise<void> {
    return saveModel(model, this.file(RUN_FILES.model), epoch === undefined ? {} : { tsaeEpoch: epoch });
  }
}
