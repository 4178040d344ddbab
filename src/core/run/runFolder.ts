// Creates a run folder `.tsae/runs/<YYYYMMDD-HHMMSS>-<name>/` and writes its files, each one
// atomically. metrics.jsonl is rewritten whole on every epoch (it is small) so that it, too, is
// never seen half-written.

import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { writeFileAtomic, writeJsonAtomic } from './atomicWrite';
import { saveModel } from './modelIO';
import { RUN_FILES } from './types';
import type { ConfigSourceFile, EpochMetrics, ErrorQuantiles, LatentsFile, ReconstructionsFile, RunSummary, ScalerFile } from './types';

export function runFolderName(startedAt: Date, name: string): string {
  const p = (n: number) => String(n).padStart(2, '0');
  const stamp = `${startedAt.getFullYear()}${p(startedAt.getMonth() + 1)}${p(startedAt.getDate())}-${p(startedAt.getHours())}${p(startedAt.getMinutes())}${p(startedAt.getSeconds())}`;
  const safe = name.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 80) || 'run';
  return `${stamp}-${safe}`;
}

export class RunFolder {
  private metricsText = '';

  private constructor(readonly dir: string) {}

  /** Creates a fresh folder; a second run started in the same second gets a `-2`, `-3`, ... suffix. */
  static async create(runsDir: string, name: string, startedAt: Date): Promise<RunFolder> {
    await fs.promises.mkdir(runsDir, { recursive: true });
    const base = path.join(runsDir, runFolderName(startedAt, name));
    for (let i = 1; ; i++) {
      const dir = i === 1 ? base : `${base}-${i}`;
      try {
        await fs.promises.mkdir(dir);
        return new RunFolder(dir);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      }
    }
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

  saveModel(model: tf.LayersModel): Promise<void> {
    return saveModel(model, this.file(RUN_FILES.model));
  }
}
