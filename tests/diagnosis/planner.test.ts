// Ranking candidate causes, vetting their fixes, and re-blaming findings: the parts of a diagnosis
// that need no training, on real config texts linted against the bundled data.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { lintText } from '../../src/core/lint';
import { rankCandidates } from '../../src/core/diagnosis/candidates';
import { gatherEvidence } from '../../src/core/diagnosis/evidence';
import { applyDiagnosis } from '../../src/core/diagnosis/applyDiagnosis';
import type { Diagnosis, DiagnosisCandidate } from '../../src/core/diagnosis/types';
import { vetFix } from '../../src/core/fixes/vetFix';
import { applyConfigChanges } from '../../src/core/fixes/configChanges';
import type { EpochMetrics, RunFinding } from '../../src/core/run/types';
import { repoRoot } from '../helpers/textEdits';

const fileName = join(repoRoot(), 'examples', 'planner-test.tsae.yaml');

function config(lines: { model?: string[]; training?: string[]; preprocessing?: string[]; windowing?: string[] } = {}): string {
  return [
    'name: planner-test',
    'data:',
    '  path: data/nab_sensors.csv',
    '  timestamp: timestamp',
    '  columns: [temp_a, temp_b, temp_c]',
    '  maxRows: 1500',
    'windowing:',
    ...(lines.windowing ?? ['  length: 24', '  stride: 4']),
    ...(lines.preprocessing ? ['preprocessing:', ...lines.preprocessing] : []),
    'model:',
    ...(lines.model ?? ['  encoder:', '    - units: 16', '  latent:', '    size: 6', '  decoder:', '    - units: 16']),
    'training:',
    ...(lines.training ?? ['  epochs: 10']),
    '',
  ].join('\n');
}

const history = (losses: number[], extra: Partial<EpochMetrics> = {}): EpochMetrics[] =>
  losses.map((loss, i) => ({ epoch: i + 1, loss, valLoss: null, lr: 1e-3, seconds: 1, ...extra }));

function symptom(code: string, causes: RunFinding['causes'] = []): RunFinding {
  return { code, severity: 'warning', message: `${code} measured`, measurement: `${code} measured`, configPath: causes[0]?.configPath ?? '', causes, certainty: 'hypothesis' };
}

function rank(text: string, symptoms: RunFinding[], losses = [1, 0.9, 0.85, 0.84, 0.84]): DiagnosisCandidate[] {
  const lint = lintText(text, { fileName });
  assert.ok(lint.resolved, 'the test config resolves');
  return rankCandidates(symptoms, lint.findings, lint.resolved, gatherEvidence(history(losses), symptoms, lint.probe));
}

describe('ranking candidate causes', () => {
  test("a static hazard that explains the symptom ranks above the detector's own blames, with its evidence", () => {
    const text = config({ model: ['  encoder:', '    - units: 16', '  latent:', '    size: 6', '  decoder:', '    - units: 16', '  outputActivation: sigmoid'] });
    const detectorBlame = {
      configPath: 'model.latent.size',
      reason: 'squeezed',
      fix: { title: 'Widen', safety: 'unsafe' as const, changes: [{ path: 'model.latent.size', value: 12 }] },
    };
    const [first, second] = rank(text, [symptom('TSAE203', [detectorBlame])]);
    assert.equal(first.source, 'TSAE109');
    assert.deepEqual(first.changes, [{ path: 'model.outputActivation', value: 'linear' }]);
    assert.deepEqual(first.explains, ['TSAE203']);
    assert.equal(second.configPath, 'model.latent.size');
    assert.ok(first.score > second.score);
  });

  test('a static hazard that explains none of the symptoms is not a candidate', () => {
    // TSAE109 (sigmoid output) cannot cause dead latent units.
    const text = config({ model: ['  encoder:', '    - units: 16', '  latent:', '    size: 6', '  decoder:', '    - units: 16', '  outputActivation: sigmoid'] });
    assert.deepEqual(
      rank(text, [symptom('TSAE202')]).map((c) => c.source),
      [],
    );
  });

  test('the same fix proposed by a rule and a detector is one candidate explaining both symptoms', () => {
    const text = config({ model: ['  encoder:', '    - units: 16', '  latent:', '    size: 6', '    activation: relu', '  decoder:', '    - units: 16'] });
    const relu = {
      configPath: 'model.latent.activation',
      reason: 'dead relu',
      fix: { title: 'Use a linear latent activation', safety: 'unsafe' as const, changes: [{ path: 'model.latent.activation', value: 'linear' }] },
    };
    const candidates = rank(text, [symptom('TSAE202', [relu]), symptom('TSAE208', [])]);
    const linear = candidates.filter((c) => c.configPath === 'model.latent.activation');
    assert.equal(linear.length, 1);
    assert.deepEqual(linear[0].explains.sort(), ['TSAE202', 'TSAE208']);
    assert.ok(linear[0].evidence.some((e) => /for: latent units were measured dead/.test(e)));
  });

  test('unscaled input in the hundreds is evidence for scaling; a loss that barely moved is evidence for a higher rate', () => {
    const text = config({ preprocessing: ['  scaling: none'], training: ['  epochs: 10', '  learningRate: 0.000001'] });
    const candidates = rank(text, [symptom('TSAE201')], [1, 0.999, 0.998, 0.998, 0.997]);
    const scaling = candidates.find((c) => c.configPath === 'preprocessing.scaling');
    const rate = candidates.find((c) => c.configPath === 'training.learningRate');
    assert.ok(
      scaling?.evidence.some((e) => /input values reach \d+ unscaled/.test(e)),
      JSON.stringify(scaling?.evidence),
    );
    assert.ok(
      rate?.evidence.some((e) => /the loss moved 0 % over the whole run/.test(e)),
      JSON.stringify(rate?.evidence),
    );
  });
});

describe('vetting fixes', () => {
  test('a wider latent behind narrower layers is repaired by widening them too', () => {
    const text = config();
    const result = vetFix(text, fileName, { title: 'Widen the latent vector to 50 units', safety: 'unsafe', changes: [{ path: 'model.latent.size', value: 50 }] });
    assert.ok(result.ok, JSON.stringify(result));
    assert.deepEqual(result.fix.changes, [
      { path: 'model.latent.size', value: 50 },
      { path: 'model.encoder.0.units', value: 50 },
      { path: 'model.decoder.0.units', value: 50 },
    ]);
    assert.match(result.fix.title, /and set model\.encoder\.0\.units to 50, set model\.decoder\.0\.units to 50/);
    assert.deepEqual(
      lintText(result.text, { fileName }).findings.filter((f) => f.code === 'TSAE103'),
      [],
    );
  });

  test('a fix that changes the number of training windows says so', () => {
    const result = vetFix(config(), fileName, { title: 'Do not overlap windows', safety: 'unsafe', changes: [{ path: 'windowing.stride', value: 24 }] });
    assert.ok(result.ok);
    assert.match(result.fix.title, /cuts the training windows from \d+ to \d+/);
    assert.ok(result.trainingWindows && result.trainingWindows.after < result.trainingWindows.before / 4);
  });

  test('a fix that introduces a finding it cannot repair is not offered', () => {
    const result = vetFix(config(), fileName, { title: 'Relu latent', safety: 'unsafe', changes: [{ path: 'model.latent.activation', value: 'relu' }] });
    assert.equal(result.ok, false);
    assert.match((result as { reason: string }).reason, /TSAE101/);
  });

  test('applying several changes keeps the text valid and sets each one', () => {
    const text = applyConfigChanges(config(), fileName, [
      { path: 'training.clipNorm', value: 1 },
      { path: 'model.latent.dropout', value: 0.1 },
    ]);
    const lint = lintText(text, { fileName });
    assert.equal(lint.resolved?.training.clipNorm, 1);
    assert.equal(lint.resolved?.model.latent.dropout, 0.1);
  });
});

describe('re-blaming findings after a diagnosis', () => {
  const candidate = (over: Partial<DiagnosisCandidate>): DiagnosisCandidate => ({
    source: 'TSAE109',
    configPath: 'model.outputActivation',
    title: 'Set model.outputActivation to linear',
    reason: 'sigmoid cannot reach the targets.',
    changes: [{ path: 'model.outputActivation', value: 'linear' }],
    explains: ['TSAE208'],
    evidence: [],
    score: 3,
    verdict: 'untested',
    ...over,
  });
  const diagnosis = (candidates: DiagnosisCandidate[]): Diagnosis => ({
    status: 'verified',
    symptoms: ['TSAE208'],
    candidates,
    margin: 0.2,
    budgetSeconds: 20,
    seconds: 12,
    notes: [],
    control: { nmse: 1, symptoms: ['TSAE208'], epochs: 4, trainWindows: 200, seconds: 5 },
  });
  const finding = symptom('TSAE208', [{ configPath: 'training.epochs', reason: 'train longer' }]);

  test("a verified cause becomes the blame, at the detector's severity, with the trial figures", () => {
    const verified = candidate({ verdict: 'verified', errorChange: -0.73, trial: { nmse: 0.27, symptoms: [], epochs: 4, trainWindows: 200, seconds: 9.04 } });
    const [f] = applyDiagnosis([finding], diagnosis([verified]));
    assert.equal(f.configPath, 'model.outputActivation');
    assert.equal(f.severity, 'error');
    assert.equal(f.certainty, 'verified');
    assert.match(
      f.message,
      /^TSAE208 measured\. Verified by a trial: sigmoid cannot reach the targets\. \(model\.outputActivation = linear: error -73 % against the control, 4-epoch trial on 200 windows, 9 s\)$/,
    );
    assert.deepEqual(f.fix?.changes, [{ path: 'model.outputActivation', value: 'linear' }]);
  });

  test('without a verified cause: the best unrefuted candidate, as a warning and a hypothesis', () => {
    const [f] = applyDiagnosis([finding], diagnosis([candidate({ verdict: 'inconclusive' })]));
    assert.equal(f.severity, 'warning');
    assert.equal(f.certainty, 'hypothesis');
    assert.match(f.message, /Likely cause \(unverified hypothesis\)/);
  });

  test('when every trial refuted its candidate, no key is blamed and the message says what was ruled out', () => {
    const [f] = applyDiagnosis([finding], diagnosis([candidate({ verdict: 'refuted', errorChange: 0.1 })]));
    assert.equal(f.configPath, '');
    assert.equal(f.fix, undefined);
    assert.match(f.message, /No cause could be confirmed: trials refuted Set model\.outputActivation to linear/);
  });
});
