// A run folder `.tsae/runs/<YYYYMMDD-HHMMSS>-<name>/` and its files, each written atomically.
// metrics.jsonl is rewritten whole on every epoch (it is small) so that it, too, is never seen
// half-written. The folder itself is created by ./createFolder.ts (owner record and first summary
// in a staging folder renamed to the run's name), usually by the host before the worker starts.

export { runFolderName } from './folderNames';

import * as path from 'node:path';
import type * as tf from '@tensorflow/tfjs';
import { writeFileAtomic, writeJsonAtomic } from './atomicWrite';
import { createRunFolder } from './createFolder';
import { saveModel } from './modelIO';
import { currentOwner } from './owner';
import { RUN_FILES } from './types';
import type { ConfigSourceFile, EpochMetrics, ErrorQuantiles, LatentsFile, ReconstructionsFile, RunSummary, ScalerFile } from './types';

export class RunFolder {
  private metricsText = '';

  private constructor(readonly dir: string) {}

  /**
   * Creates a fresh folder holding owner.json and the first summary; a second run started in the
   * same second gets a `-2`, `-3`, ... suffix.
   */
  static async create(runsDir: string, name: string, startedAt: Date, firstSummary: RunSummary): Promise<RunFolder> {
    return new RunFolder(await createRunFolder(runsDir, name, startedAt, firstSummary));
  }

  /** A folder this process created for the run before training (createRunFolder): it already owns it. */
  static adopt(dir: string): RunFolder {
    return new RunFolder(dir);
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
