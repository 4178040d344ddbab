// How a diagnosis runs and judges its trials, with a scripted runner (deterministic, milliseconds):
// a trial's remaining symptoms are judged under the severity policy a full run of its config gets
// (an information-level symptom on a config the fix left clean is not the failure), progress
// counts only the trials that run, and later rounds are sized without the start-up a warm worker
// no longer pays. In-process trials on tiny data check that a real trial reports which of its
// symptoms are information only, and that a model whose stacked decoder starts from the latent
// state trains in a trial.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { diagnose, type DiagnosisProgress, type TrialRunner } from '../../src/core/diagnosis/diagnose';
import { runTrial, trialWindows } from '../../src/core/diagnosis/trial';
import type { TrialOutcome, TrialPlan } from '../../src/core/diagnosis/types';
import { lintText } from '../../src/core/lint';
import type { ConfigSourceFile, EpochMetrics, RunFinding, RunSummary } from '../../src/core/run/types';
import { repoRoot } from '../helpers/textEdits';
import { resolve, sensorsConfig } from '../train/helpers';

const fileName = join(repoRoot(), 'examples', 'trials-test.tsae.yaml');

/** A sigmoid output on standard-scaled data (TSAE109): its fix, a linear output, leaves the config clean. */
function config(output: string, training: string[] = []): string {
  return [
    'name: trials-test',
    'data:',
    '  path: data/nab_sensors.csv',
    '  timestamp: timestamp',
    '  columns: [temp_a, temp_b, temp_c]',
    '  maxRows: 1500',
    'windowing:',
    '  length: 24',
    '  stride: 4',
    'preprocessing:',
    '  scaling: standard',
    'model:',
    '  encoder:',
    '    - units: 16',
    '  latent:',
    '    size: 6',
    '  decoder:',
    '    - units: 16',
    `  outputActivation: ${output}`,
    'training:',
    '  epochs: 20',
    ...training,
    '',
  ].join('\n');
}

const history = (n: number): EpochMetrics[] => Array.from({ length: n }, (_, i) => ({ epoch: i + 1, loss: 0.5, valLoss: null, lr: 1e-3, seconds: 1 }));

function runOf(text: string, code = 'TSAE203'): { summary: RunSummary; history: EpochMetrics[]; source: ConfigSourceFile } {
  const finding: RunFinding = { code, severity: 'warning', message: 'peaks lost', measurement: 'peaks lost', configPath: '', certainty: 'hypothesis', causes: [] };
  const summary = {
    status: 'completed',
    seconds: 10,
    epochs: 6,
    windows: { train: 300, validation: 60, heldOut: 0 },
    findings: [finding],
    inputSpaceError: { set: 'validation', windows: 60, scaledMse: 0.8, originalMse: 0.8, nmse: 0.8 },
  } as unknown as RunSummary;
  return { summary, history: history(6), source: { fileName, text } };
}

const outcome = (nmse: number | null, symptoms: string[], seconds: number, extra: Partial<TrialOutcome> = {}): TrialOutcome => ({
  nmse,
  symptoms,
  epochs: 6,
  trainWindows: 300,
  seconds,
  ...extra,
});

class ScriptedRunner implements TrialRunner {
  readonly calls: string[] = [];
  constructor(
    readonly parallelism: number,
    private readonly answer: (text: string, plan: TrialPlan) => TrialOutcome,
  ) {}
  async run(config: ConfigSourceFile, plan: TrialPlan): Promise<TrialOutcome> {
    this.calls.push(config.text);
    return this.answer(config.text, plan);
  }
}

describe("a trial's remaining symptoms", () => {
  const sigmoid = config('sigmoid');
  assert.ok(
    lintText(sigmoid, { fileName }).findings.some((f) => f.code === 'TSAE109'),
    'the test config has the hazard',
  );
  assert.deepEqual(lintText(config('linear'), { fileName }).findings, [], 'its fix leaves the config clean');

  test('an information-level symptom on the clean fixed config is set aside: the fix is verified', async () => {
    const runner = new ScriptedRunner(1, (t) =>
      t === sigmoid ? outcome(0.9, ['TSAE203'], 1) : /outputActivation: linear/.test(t) ? outcome(0.3, ['TSAE203'], 1, { generic: ['TSAE203'] }) : outcome(0.9, ['TSAE203'], 1),
    );
    const d = await diagnose(runOf(sigmoid), { runner, budgetSeconds: 60 });
    const linear = d.candidates.find((c) => c.configPath === 'model.outputActivation');
    assert.equal(linear?.verdict, 'verified', JSON.stringify(d, null, 1));
    assert.deepEqual(linear?.trial?.symptoms, []);
    assert.deepEqual(linear?.trial?.generic, ['TSAE203']);
  });

  test('a symptom whose detector still names a config cause keeps the fix unverified, and says so', async () => {
    const runner = new ScriptedRunner(1, (t) => (t === sigmoid ? outcome(0.9, ['TSAE203'], 1) : outcome(0.3, ['TSAE203'], 1)));
    const d = await diagnose(runOf(sigmoid), { runner, budgetSeconds: 60 });
    const linear = d.candidates.find((c) => c.configPath === 'model.outputActivation');
    assert.equal(linear?.verdict, 'inconclusive');
    assert.match(linear?.why ?? '', /the trial still shows TSAE203/);
  });

  test('the control is judged as the run was: its information-level symptoms still reproduce the failure', async () => {
    const runner = new ScriptedRunner(1, (t) => (t === sigmoid ? outcome(0.9, ['TSAE203'], 1, { generic: ['TSAE203'] }) : outcome(0.3, [], 1)));
    const d = await diagnose(runOf(sigmoid), { runner, budgetSeconds: 60 });
    assert.equal(d.candidates.find((c) => c.configPath === 'model.outputActivation')?.verdict, 'verified');
  });
});

describe('progress and sizing of the trials', () => {
  const sigmoid = config('sigmoid');

  test('progress counts only the trials that run: a control that did not finish leaves a total of 1', async () => {
    const progress: DiagnosisProgress[] = [];
    const runner = new ScriptedRunner(1, (t) => (t === sigmoid ? outcome(null, [], 0, { failure: 'timed out' }) : outcome(0.3, [], 1)));
    const d = await diagnose(runOf(sigmoid), { runner, budgetSeconds: 60, onProgress: (p) => progress.push(p) });
    const tried = d.candidates.filter((c) => c.why?.startsWith('not tried: the control did not finish')).length;
    assert.ok(tried >= 1, JSON.stringify(d.candidates));
    assert.deepEqual(progress[0], { done: 1, total: 1 + tried, label: 'control' });
    assert.deepEqual(progress.at(-1), { done: 1, total: 1, label: `${tried} candidate${tried === 1 ? '' : 's'} not tried` });
  });

  test("later rounds are estimated without the control's start-up (backend, data), which a warm worker does not pay again", async () => {
    // The control took 15 s of a 20 s budget, 12 s of which were starting the backend and reading
    // the data: a further round is about 3 s and fits; counted whole, it would not.
    let clock = 0;
    const realNow = Date.now;
    Date.now = () => realNow() + clock * 1000;
    try {
      const answer = (overheadSeconds: number) => (t: string) => {
        clock += t === sigmoid ? 15 : 3;
        return t === sigmoid ? outcome(0.9, ['TSAE203'], 15, { overheadSeconds }) : outcome(0.85, ['TSAE203'], 3, { overheadSeconds: 0 });
      };
      const warm = new ScriptedRunner(1, answer(12));
      const withWarm = await diagnose(runOf(sigmoid, 'TSAE201'), { runner: warm, budgetSeconds: 20, maxTrials: 1 });
      assert.equal(warm.calls.length, 2, JSON.stringify(withWarm.candidates.map((c) => c.why)));
      clock = 0;
      const cold = new ScriptedRunner(1, answer(0));
      const withCold = await diagnose(runOf(sigmoid, 'TSAE201'), { runner: cold, budgetSeconds: 20, maxTrials: 1 });
      assert.equal(cold.calls.length, 1);
      assert.match(withCold.candidates[0].why ?? '', /not tried: another round of trials \(about 15 s, measured on the control\)/);
    } finally {
      Date.now = realNow;
    }
  });
});

describe("a trial's windows", () => {
  test('evenly spread over the series; for a stateful model a contiguous block, as the run trained them', () => {
    const plain = resolve(sensorsConfig({ name: 'plain' }));
    const stateful = resolve(sensorsConfig({ name: 'stateful', model: { stateful: true } }));
    assert.deepEqual(trialWindows(plain)(10, 4), [0, 2, 5, 7]);
    assert.deepEqual(trialWindows(stateful)(10, 4), [0, 1, 2, 3]);
    assert.deepEqual(trialWindows(stateful)(3, 4), [0, 1, 2]);
  });
});

describe('a real trial (in-process, tiny data)', () => {
  test('reports which of its symptoms are information only, and what a warm worker would not pay again', { timeout: 60_000 }, async () => {
    // Three epochs at a small learning rate: still learning at the end, so any symptom's only suspect is "train longer".
    const cfg = resolve(sensorsConfig({ name: 'short', training: { epochs: 3, learningRate: 0.001 } }));
    const trial = await runTrial(cfg, { epochs: 3, maxTrainWindows: 64, backend: 'fused' });
    assert.equal(trial.failure, undefined, JSON.stringify(trial));
    assert.ok(trial.overheadSeconds !== undefined && trial.overheadSeconds >= 0 && trial.overheadSeconds <= trial.seconds);
    for (const code of trial.generic ?? []) assert.ok(trial.symptoms.includes(code), `${code} is one of the symptoms`);
    assert.ok((trial.generic ?? []).length > 0, `expected an information-level symptom, got ${JSON.stringify(trial)}`);
  });

  test('a model whose 2-layer decoder starts from the latent state trains and is judged like any other', { timeout: 60_000 }, async () => {
    const cfg = resolve(sensorsConfig({ name: 'state-fed', model: { bridge: 'initialState', decoder: [{ units: 6 }, { units: 6 }] }, training: { epochs: 2 } }));
    const trial = await runTrial(cfg, { epochs: 2, maxTrainWindows: 64, backend: 'fused' });
    assert.equal(trial.failure, undefined, JSON.stringify(trial));
    assert.equal(trial.epochs, 2);
    assert.ok(trial.nmse !== null && Number.isFinite(trial.nmse), `nmse ${trial.nmse}`);
  });
});
