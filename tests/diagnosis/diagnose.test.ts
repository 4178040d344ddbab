// A diagnosis end to end on real training: a run with a known single cause (a sigmoid output that
// cannot reach half of every target's range) trains in-process, then its folder is diagnosed with
// trials in-process. The cause must be verified by its trial against the control, the finding
// re-blamed on it as a verified error, and diagnosis.json written next to the summary.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { runTrainingRequest } from '../../src/core/train/runRequest';
import { diagnoseRunFolder } from '../../src/core/diagnosis/diagnoseRunFolder';
import { InProcessTrialRunner } from '../../src/core/diagnosis/inProcessTrialRunner';
import { RUN_FILES, type RunSummary } from '../../src/core/run/types';
import type { Diagnosis } from '../../src/core/diagnosis/types';
import { DATA_DIR, readJson, tempDir, writeConfig } from '../train/helpers';

/** A daily pattern standardised (mean 0) under a sigmoid output: nothing below 0 can be reconstructed. */
const unreachable = {
  name: 'sigmoid-output',
  data: { path: path.join(DATA_DIR, 'art_daily_small_noise.csv'), timestamp: 'timestamp', maxRows: 2500 },
  windowing: { length: 48, stride: 8 },
  preprocessing: { scaling: 'standard' },
  model: { encoder: [{ units: 16 }], latent: { size: 8 }, decoder: [{ units: 16 }], outputActivation: 'sigmoid' },
  training: { epochs: 6, batchSize: 16, learningRate: 0.005, seed: 5 },
};

describe('diagnosis of a real run', () => {
  test('a sigmoid output under [-1, 1] targets is verified as the cause by its trial', { timeout: 600_000 }, async () => {
    const runsDir = tempDir('tsae-diagnose-');
    const configFile = writeConfig(unreachable);
    const summary = await runTrainingRequest({ type: 'start', configFile, runsDir }, () => undefined);
    assert.ok(summary && summary.status === 'completed', JSON.stringify(summary));
    assert.ok(summary.findings.length > 0, 'the run shows a symptom');
    const runDir = path.join(runsDir, fs.readdirSync(runsDir)[0]);

    const progress: string[] = [];
    const { diagnosis, summary: updated } = await diagnoseRunFolder(runDir, {
      runner: new InProcessTrialRunner(),
      budgetSeconds: 60,
      onProgress: (p) => progress.push(`${p.done}/${p.total} ${p.label}`),
    });
    assert.equal(diagnosis.status, 'verified', JSON.stringify(diagnosis, null, 1));
    const top = diagnosis.candidates[0];
    assert.equal(top.configPath, 'model.outputActivation');
    assert.equal(top.verdict, 'verified');
    assert.ok((top.errorChange ?? 0) <= -0.2, `error change ${top.errorChange}`);
    // The control first; further rounds only while the measured trials leave budget, and any candidate left out says why.
    assert.match(progress[0], /^1\/\d control$/);
    assert.ok(progress.length >= 2, progress.join(', '));
    for (const c of diagnosis.candidates.filter((c) => c.verdict === 'untested')) assert.match(c.why ?? '', /^not tried: /);

    for (const finding of updated.findings) {
      if (finding.configPath !== 'model.outputActivation') continue;
      assert.equal(finding.certainty, 'verified');
      assert.match(finding.message, /Verified by a trial: .*model\.outputActivation = linear: error -\d+ % against the control/);
    }
    assert.ok(updated.findings.some((f) => f.certainty === 'verified'));
    assert.deepEqual(readJson<Diagnosis>(path.join(runDir, RUN_FILES.diagnosis)), diagnosis);
    assert.deepEqual(readJson<RunSummary>(path.join(runDir, RUN_FILES.summary)).diagnosis, diagnosis);
  });

  test('a cancelled run is not diagnosed and keeps no model-quality finding', { timeout: 300_000 }, async () => {
    const runsDir = tempDir('tsae-diagnose-cancel-');
    const configFile = writeConfig({ ...unreachable, name: 'cancelled', training: { ...unreachable.training, epochs: 40 } });
    const abort = new AbortController();
    const summary = await runTrainingRequest(
      { type: 'start', configFile, runsDir },
      (e) => {
        if (e.type === 'epoch' && e.epoch === 2) abort.abort();
      },
      abort.signal,
    );
    assert.equal(summary?.status, 'cancelled');
    assert.deepEqual(
      summary?.findings.filter((f) => ['TSAE201', 'TSAE202', 'TSAE203', 'TSAE204', 'TSAE207', 'TSAE208'].includes(f.code)),
      [],
    );
    const runDir = path.join(runsDir, fs.readdirSync(runsDir)[0]);
    const { diagnosis } = await diagnoseRunFolder(runDir, { runner: new InProcessTrialRunner(), budgetSeconds: 30 });
    assert.equal(diagnosis.status, 'cancelled');
    assert.deepEqual(diagnosis.candidates, []);
  });
});
