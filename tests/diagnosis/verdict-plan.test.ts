// The two pure decisions of a diagnosis: how long each trial trains (sized from the run so the
// trials fit the budget), and when a trial proves, refutes or leaves open its candidate.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { defaultBudgetSeconds, planTrials } from '../../src/core/diagnosis/plan';
import { countedSymptoms, judgeLongerTraining, judgeStaticHazard, judgeTrial, setAsideSymptoms } from '../../src/core/diagnosis/verdict';
import type { TrialOutcome } from '../../src/core/diagnosis/types';
import type { RunSummary } from '../../src/core/run/types';

const outcome = (nmse: number | null, symptoms: string[] = [], failure?: string): TrialOutcome => ({
  nmse,
  symptoms,
  epochs: 4,
  trainWindows: 100,
  seconds: 3,
  ...(failure ? { failure } : {}),
});
const explainsCollapse = { explains: ['TSAE201'] };

describe('judgeTrial', () => {
  test('verified: the symptom the control showed is gone and the error is 20 % lower or more', () => {
    const j = judgeTrial(explainsCollapse, outcome(0.3, []), outcome(1, ['TSAE201']));
    assert.equal(j.verdict, 'verified');
    assert.ok(Math.abs((j.errorChange ?? 0) + 0.7) < 1e-12);
  });

  test('a lower error with the symptom still there is not a verification', () => {
    assert.equal(judgeTrial(explainsCollapse, outcome(0.5, ['TSAE201']), outcome(1, ['TSAE201'])).verdict, 'inconclusive');
  });

  test('refuted when the error is not at least half the margin lower, or higher', () => {
    assert.equal(judgeTrial(explainsCollapse, outcome(0.95, ['TSAE201']), outcome(1, ['TSAE201'])).verdict, 'refuted');
    assert.equal(judgeTrial(explainsCollapse, outcome(1.6, ['TSAE201']), outcome(1, ['TSAE201'])).verdict, 'refuted');
  });

  test('a trial that cleared a symptom the control showed is never refuted, even with little gain', () => {
    const explainsTwo = { explains: ['TSAE203', 'TSAE208'] };
    assert.equal(judgeTrial(explainsTwo, outcome(0.98, ['TSAE208']), outcome(1, ['TSAE203', 'TSAE208'])).verdict, 'inconclusive');
    assert.equal(judgeTrial(explainsTwo, outcome(0.98, ['TSAE203', 'TSAE208']), outcome(1, ['TSAE203', 'TSAE208'])).verdict, 'refuted');
    assert.equal(judgeTrial(explainsTwo, outcome(0.7, ['TSAE208']), outcome(1, ['TSAE203', 'TSAE208'])).verdict, 'inconclusive');
  });

  test('between half the margin and the margin: inconclusive', () => {
    assert.equal(judgeTrial(explainsCollapse, outcome(0.85, []), outcome(1, ['TSAE201'])).verdict, 'inconclusive');
  });

  test('a control that did not reproduce the failure cannot verify a cure, however much lower the error', () => {
    assert.equal(judgeTrial(explainsCollapse, outcome(0.5), outcome(1)).verdict, 'inconclusive');
    assert.equal(judgeTrial(explainsCollapse, outcome(0.5), outcome(1, ['TSAE204'])).verdict, 'inconclusive');
  });

  test('collapse, lost peaks and lost features are one failure: a control with any of them reproduces the others', () => {
    // The run lost its peaks (TSAE203); the shorter control collapsed to the mean (TSAE201).
    const explainsPeaks = { explains: ['TSAE203'] };
    assert.equal(judgeTrial(explainsPeaks, outcome(0.3), outcome(1, ['TSAE201'])).verdict, 'verified');
    // ...but a trial that still loses the peaks the run lost has not cured the run.
    assert.equal(judgeTrial(explainsPeaks, outcome(0.3, ['TSAE203']), outcome(1, ['TSAE201'])).verdict, 'inconclusive');
  });

  test('a diverged control against a finite trial is a fix; two diverged runs prove nothing', () => {
    assert.equal(judgeTrial({ explains: ['TSAE205'] }, outcome(0.4), { ...outcome(null, ['TSAE205'], 'loss became NaN'), diverged: true }).verdict, 'verified');
    assert.equal(
      judgeTrial(
        { explains: ['TSAE205'] },
        { ...outcome(null, ['TSAE205'], 'loss became NaN'), diverged: true },
        { ...outcome(null, ['TSAE205'], 'loss became NaN'), diverged: true },
      ).verdict,
      'inconclusive',
    );
  });

  test('a control without the symptom cannot refute: a fix that does not help is inconclusive', () => {
    assert.equal(judgeTrial(explainsCollapse, outcome(1.2), outcome(1)).verdict, 'inconclusive');
    assert.equal(judgeTrial(explainsCollapse, outcome(1.2), outcome(1, ['TSAE203'])).verdict, 'inconclusive');
  });

  test('a control that timed out or failed to train is no baseline: inconclusive, never verified', () => {
    assert.equal(judgeTrial(explainsCollapse, outcome(0.3), outcome(null, [], 'timed out')).verdict, 'inconclusive');
    assert.equal(judgeTrial(explainsCollapse, outcome(0.3), outcome(null, [], 'the worker could not be started')).verdict, 'inconclusive');
    assert.equal(judgeTrial(explainsCollapse, outcome(null, [], 'the model could not be built'), outcome(1, ['TSAE201'])).verdict, 'inconclusive');
  });

  test('timed out is inconclusive, cancelled is untested', () => {
    assert.equal(judgeTrial(explainsCollapse, outcome(null, [], 'timed out'), outcome(1)).verdict, 'inconclusive');
    assert.equal(judgeTrial(explainsCollapse, outcome(null, [], 'cancelled'), outcome(1)).verdict, 'untested');
  });
});

describe('countedSymptoms: a trial is judged under the severity policy of a full run of its config', () => {
  // The fixed config's trial still loses some amplitude, but its detector suspects only "train longer" with the loss still falling.
  const shortButCured: TrialOutcome = { ...outcome(0.3, ['TSAE203']), generic: ['TSAE203'] };
  const control = outcome(1, ['TSAE203']);
  const explainsPeaks = { explains: ['TSAE203'] };

  test('on a config without static hazards, an information-level symptom is set aside and the fix is verified', () => {
    const counted = countedSymptoms(shortButCured, { trainLonger: false, staticHazard: false });
    assert.deepEqual(counted.symptoms, []);
    assert.deepEqual(setAsideSymptoms(counted), ['TSAE203']);
    assert.equal(judgeTrial(explainsPeaks, counted, control).verdict, 'verified');
    // Without the policy the same trial "still shows" the symptom.
    assert.equal(judgeTrial(explainsPeaks, shortButCured, control).verdict, 'inconclusive');
  });

  test('kept when the trial config still has a static hazard, for "train longer" itself, and when the detector names a config cause', () => {
    assert.deepEqual(countedSymptoms(shortButCured, { trainLonger: false, staticHazard: true }).symptoms, ['TSAE203']);
    assert.deepEqual(countedSymptoms(shortButCured, { trainLonger: true, staticHazard: false }).symptoms, ['TSAE203']);
    const blamedOnConfig = outcome(0.3, ['TSAE203']);
    assert.deepEqual(countedSymptoms(blamedOnConfig, { trainLonger: false, staticHazard: false }).symptoms, ['TSAE203']);
    assert.deepEqual(setAsideSymptoms(countedSymptoms(shortButCured, { trainLonger: false, staticHazard: true })), []);
  });

  test('the error margin still applies: a set-aside symptom with too small a gain verifies nothing', () => {
    const small = countedSymptoms({ ...outcome(0.9, ['TSAE203']), generic: ['TSAE203'] }, { trainLonger: false, staticHazard: false });
    assert.equal(judgeTrial(explainsPeaks, small, control).verdict, 'inconclusive');
  });
});

describe('judgeStaticHazard', () => {
  test('a trial that trained less than the run (fewer epochs or windows) cannot refute a static hazard; one as long as the run can', () => {
    const refuted = judgeTrial(explainsCollapse, outcome(1, ['TSAE201']), outcome(1, ['TSAE201']));
    assert.equal(refuted.verdict, 'refuted');
    assert.equal(judgeStaticHazard(refuted, outcome(1, ['TSAE201']), { epochs: 20, trainWindows: 100 }).verdict, 'inconclusive');
    assert.equal(judgeStaticHazard(refuted, outcome(1, ['TSAE201']), { epochs: 4, trainWindows: 100 }).verdict, 'refuted');
    assert.equal(judgeStaticHazard(refuted, outcome(1, ['TSAE201']), { epochs: 4, trainWindows: 400 }).verdict, 'inconclusive');
    const verified = judgeTrial(explainsCollapse, outcome(0.3), outcome(1, ['TSAE201']));
    assert.equal(judgeStaticHazard(verified, outcome(0.3), { epochs: 20, trainWindows: 100 }).verdict, 'verified');
  });
});

describe('judgeLongerTraining', () => {
  test('more epochs are verified only when the trial also beats the run it would replace', () => {
    const verified = judgeTrial(explainsCollapse, outcome(0.3), outcome(1, ['TSAE201']));
    assert.equal(judgeLongerTraining(verified, outcome(0.3), 0.5).verdict, 'verified');
    assert.equal(judgeLongerTraining(verified, outcome(0.3), 0.35).verdict, 'inconclusive');
    assert.equal(judgeLongerTraining(verified, outcome(0.3), undefined).verdict, 'inconclusive');
    const refuted = judgeTrial(explainsCollapse, outcome(1, ['TSAE201']), outcome(1, ['TSAE201']));
    assert.equal(judgeLongerTraining(refuted, outcome(1, ['TSAE201']), 2).verdict, 'refuted');
  });
});

const summary = (seconds: number, epochs: number, train: number): RunSummary =>
  ({ status: 'completed', seconds, epochs, windows: { train, validation: 10, heldOut: 0 }, findings: [] }) as unknown as RunSummary;

describe('planTrials', () => {
  test('a quick run: all windows, its own epochs (at least 3, at most 10)', () => {
    const plan = planTrials(summary(4, 6, 500), 20, 2, 2);
    assert.ok('epochs' in plan);
    assert.deepEqual([plan.epochs, plan.maxTrainWindows], [6, 500]);
    const oneEpoch = planTrials(summary(1, 1, 500), 20, 2, 2);
    assert.ok('epochs' in oneEpoch);
    assert.equal(oneEpoch.epochs, 3);
  });

  test('a slow run: windows are cut before epochs, down to 64 windows and 3 epochs', () => {
    // 100 s for 10 epochs of 10,000 windows = 1 ms per window-epoch, 1.5 ms for two trials side by
    // side; 20 s over 2 rounds leaves 8 s per trial, for 10 epochs plus the cold first epoch's extra one.
    const plan = planTrials(summary(100, 10, 10_000), 20, 2, 2);
    assert.ok('epochs' in plan);
    assert.equal(plan.epochs, 10);
    assert.equal(plan.maxTrainWindows, 484);
    const tight = planTrials(summary(1000, 10, 10_000), 20, 2, 2);
    assert.ok('epochs' in tight);
    assert.deepEqual([tight.epochs, tight.maxTrainWindows], [7, 66]);
    const slowest = planTrials(summary(10_000, 10, 10_000), 20, 2, 2);
    assert.ok('epochs' in slowest);
    assert.deepEqual([slowest.epochs, slowest.maxTrainWindows], [3, 64]);
  });

  test('one round (the control beside the top candidate) gets the whole budget; a trial twice as long halves it', () => {
    const one = planTrials(summary(100, 10, 10_000), 20, 1, 2);
    assert.ok('epochs' in one);
    // 18 s per trial: 18 / (11 x 1.5 ms) = 1090 windows.
    assert.deepEqual([one.epochs, one.maxTrainWindows], [10, 1090]);
    const longer = planTrials(summary(100, 10, 10_000), 20, 1, 2, 2);
    assert.ok('epochs' in longer);
    assert.deepEqual([longer.epochs, longer.maxTrainWindows], [10, 545]);
  });

  test('no budget or no timing: trials are skipped with a reason', () => {
    assert.deepEqual(planTrials(summary(10, 5, 100), 0, 4, 2), { skip: 'trials are turned off (budget 0 s)' });
    assert.ok('skip' in planTrials(summary(0, 5, 100), 20, 4, 2));
  });

  test('the default budget is about the run time, between 20 and 60 s', () => {
    assert.deepEqual([defaultBudgetSeconds(summary(5, 1, 1)), defaultBudgetSeconds(summary(42, 1, 1)), defaultBudgetSeconds(summary(600, 1, 1))], [20, 42, 60]);
  });
});
