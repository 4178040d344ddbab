// A diagnosis of a run folder: reads what the run left (summary, loss curve, the config text it
// used), diagnoses, and writes diagnosis.json and the summary with its findings re-blamed.
// `tsae diagnose RUN`, `tsae train --diagnose` and the editor all come through here.

import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { writeJsonAtomic } from '../run/atomicWrite';
import { RUN_FILES, type ConfigSourceFile, type EpochMetrics, type RunSummary } from '../run/types';
import { applyDiagnosis } from './applyDiagnosis';
import { diagnose, type DiagnoseOptions } from './diagnose';
import { offeredTogether } from './offeredTogether';
import type { Diagnosis } from './types';

export interface DiagnosedRun {
  diagnosis: Diagnosis;
  summary: RunSummary;
}

export class DiagnosisError extends Error {}

export async function diagnoseRunFolder(runDir: string, options: DiagnoseOptions): Promise<DiagnosedRun> {
  const summary = readJson<RunSummary>(runDir, RUN_FILES.summary);
  if (summary.status === 'running') throw new DiagnosisError(`${path.join(runDir, RUN_FILES.summary)}: the run has not finished (status running)`);
  const history = readMetrics(runDir);
  const source = readConfigSource(runDir, summary);
  const diagnosed = await diagnose({ summary, history, source }, options);
  // The fixes the findings now offer must also make sense applied together.
  const together = offeredTogether(applyDiagnosis(summary.findings, diagnosed, summary.epochs), source);
  const diagnosis = together.notes.length > 0 ? { ...diagnosed, notes: [...diagnosed.notes, ...together.notes] } : diagnosed;
  const updated: RunSummary = { ...summary, findings: together.findings, diagnosis };
  await writeJsonAtomic(path.join(runDir, RUN_FILES.diagnosis), diagnosis);
  await writeJsonAtomic(path.join(runDir, RUN_FILES.summary), updated);
  return { diagnosis, summary: updated };
}

function readJson<T>(runDir: string, name: string): T {
  const file = path.join(runDir, name);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new DiagnosisError(`${file}: cannot read (${(error as Error).message})`);
  }
  try {
    return JSON.parse(text) as T;
  } catch (error) {
    throw new DiagnosisError(`${file}: not valid JSON (${(error as Error).message})`);
  }
}

function readMetrics(runDir: string): EpochMetrics[] {
  const file = path.join(runDir, RUN_FILES.metrics);
  if (!fs.existsSync(file)) return [];
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line, i) => {
      try {
        return JSON.parse(line) as EpochMetrics;
      } catch {
        throw new DiagnosisError(`${file}:${i + 1}: not valid JSON`);
      }
    });
}

/** The config text of the run; runs from before config.source.json fall back to the file on disk if it is unchanged. */
function readConfigSource(runDir: string, summary: RunSummary): ConfigSourceFile {
  if (fs.existsSync(path.join(runDir, RUN_FILES.configSource))) return readJson<ConfigSourceFile>(runDir, RUN_FILES.configSource);
  let text: string;
  try {
    text = fs.readFileSync(summary.configFile, 'utf8');
  } catch {
    throw new DiagnosisError(`${runDir}: the run has no ${RUN_FILES.configSource} and its config ${summary.configFile} cannot be read`);
  }
  if (summary.configHash && createHash('sha256').update(text).digest('hex') !== summary.configHash) {
    throw new DiagnosisError(`${runDir}: the run has no ${RUN_FILES.configSource} and ${summary.configFile} has changed since the run`);
  }
  return { fileName: summary.configFile, text };
}
