// Which key a failed run is blamed on, and how sure the finding says it is: the detectors' causes
// (train longer sized from the epochs that ran, every unbounded cell in one fix), the ranking
// (a generic "train longer" never outranks a cause in the config; a rule's sure fix outranks its
// suggestion), severities by certainty, and the order and budget of the trials, with a scripted
// trial runner so that every case is deterministic and takes milliseconds.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { lintText } from '../../src/core/lint';
import { rankCandidates } from '../../src/core/diagnosis/candidates';
import { gatherEvidence } from '../../src/core/diagnosis/evidence';
import { applyDiagnosis } from '../../src/core/diagnosis/applyDiagnosis';
import { diagnose, longerTrialFactor, type TrialRunner } from '../../src/core/diagnosis/diagnose';
import type { Diagnosis, DiagnosisCandidate, TrialOutcome, TrialPlan } from '../../src/core/diagnosis/types';
import { blameHeavyDropout, blameTooFewEpochs, blameUnboundedCell, longerEpochs } from '../../src/core/detectors/blames';
import { makeFinding } from '../../src/core/detectors/finding';
import { meanCollapse } from '../../src/core/detectors/tsae201-mean-collapse';
import { vetFix } from '../../src/core/fixes/vetFix';
import { offeredTogether } from '../../src/core/diagnosis/offeredTogether';
import { compareVerified, takesVerifiedBlame } from '../../src/core/diagnosis/verdict';
import { applyConfigChanges } from '../../src/core/fixes/configChanges';
import type { ResolvedConfig } from '../../src/core/config/types';
import type { ConfigSourceFile, EpochMetrics, RunFinding, RunSummary } from '../../src/core/run/types';
import { repoRoot } from '../helpers/textEdits';

const fileName = join(repoRoot(), 'examples', 'blame-test.tsae.yaml');

function config(lines: { model?: string[]; training?: string[]; windowing?: string[] } = {}): string {
  return [
    'name: blame-test',
    'data:',
    '  path: data/nab_sensors.csv',
    '  timestamp: timestamp',
    '  columns: [temp_a, temp_b, temp_c]',
    '  maxRows: 1500',
    'windowing:',
    ...(lines.windowing ?? ['  length: 24', '  stride: 4']),
    'model:',
    ...(lines.model ?? ['  encoder:', '    - units: 16', '  latent:', '    size: 6', '  decoder:', '    - units: 16']),
    'training:',
    ...(lines.training ?? ['  epochs: 20']),
    '',
  ].join('\n');
}

function resolved(text: string): ResolvedConfig {
  const lint = lintText(text, { fileName });
  assert.ok(lint.resolved, 'the test config resolves');
  return lint.resolved;
}

const history = (losses: number[]): EpochMetrics[] => losses.map((loss, i) => ({ epoch: i + 1, loss, valLoss: null, lr: 1e-3, seconds: 1 }));
const falling = (n: number) => history(Array.from({ length: n }, (_, i) => 0.9 ** i));
const flat = (n: number) => history(Array.from({ length: n }, () => 0.5));

const eluCells = ['  encoder:', '    - units: 16', '      activation: elu', '  latent:', '    size: 6', '  decoder:', '    - units: 16', '      activation: elu'];

describe('the causes a detector lists', () => {
  test('"train longer" is sized from the epochs that ran, not from training.epochs', () => {
    // training.epochs says 20, but the run (a CLI --epochs) trained 6 while the loss still fell.
    const blame = blameTooFewEpochs(resolved(config()), falling(6), 'the shape');
    assert.equal(blame?.fix?.changes[0].value, longerEpochs(6));
    assert.equal(longerEpochs(6), 16);
    assert.match(blame?.fix?.title ?? '', /Train for 16 epochs \(this run trained 6\)/);
  });

  test('"train longer" needs a falling loss, except after 1-2 epochs, where there is no slope to read', () => {
    assert.equal(blameTooFewEpochs(resolved(config()), flat(8), 'the shape'), undefined);
    const short = blameTooFewEpochs(resolved(config()), falling(2), 'the shape');
    assert.equal(short?.configPath, 'training.epochs');
    assert.match(short?.reason ?? '', /Only 2 epochs ran/);
    assert.equal(short?.fix?.changes[0].value, 12);
  });

  test('every unbounded cell activation is set to tanh in one fix, and a collapse lists it', () => {
    const cfg = resolved(config({ model: eluCells }));
    const blame = blameUnboundedCell(cfg);
    assert.deepEqual(blame?.fix?.changes, [
      { path: 'model.encoder.0.activation', value: 'tanh' },
      { path: 'model.decoder.0.activation', value: 'tanh' },
    ]);
    const causes = meanCollapse.blame({ config: cfg, history: flat(8), final: true }, { measurement: 'collapsed', data: {} });
    assert.ok(
      causes.some((c) => c.configPath === 'model.encoder.0.activation'),
      JSON.stringify(causes.map((c) => c.configPath)),
    );
  });

  test('heavy layer dropout is lowered to what TSAE110 proposes, so both fixes are the same candidate', () => {
    const text = config({ model: ['  encoder:', '    - units: 16', '      dropout: 0.9', '  latent:', '    size: 6', '  decoder:', '    - units: 16'] });
    const blame = blameHeavyDropout(resolved(text));
    const lint = lintText(text, { fileName });
    const tsae110 = lint.findings.find((f) => f.code === 'TSAE110');
    assert.deepEqual(blame?.fix?.changes, tsae110?.fix?.changes);
    assert.deepEqual(blame?.fix?.changes, [{ path: 'model.encoder.0.dropout', value: 0.2 }]);
  });
});

function symptom(code: string, causes: RunFinding['causes'] = []): RunFinding {
  return { code, severity: 'warning', message: `${code} measured`, measurement: `${code} measured`, configPath: causes[0]?.configPath ?? '', causes, certainty: 'hypothesis' };
}

function rank(text: string, symptoms: RunFinding[], losses = [1, 0.8, 0.64, 0.51, 0.41]): DiagnosisCandidate[] {
  const lint = lintText(text, { fileName });
  assert.ok(lint.resolved);
  return rankCandidates(symptoms, lint.findings, lint.resolved, gatherEvidence(history(losses), symptoms, lint.probe));
}

describe('ranking', () => {
  test('"train longer" ranks after a cause in the config, even with a still-falling loss as evidence', () => {
    const text = config({ model: eluCells });
    const cfg = resolved(text);
    const causes = meanCollapse.blame({ config: cfg, history: falling(6), final: true }, { measurement: 'collapsed', data: {} });
    assert.ok(causes.some((c) => c.configPath === 'training.epochs'));
    const ranked = rank(
      text,
      [symptom('TSAE201', causes)],
      falling(6).map((e) => e.loss as number),
    );
    assert.notEqual(ranked[0].configPath, 'training.epochs');
    assert.equal(ranked[ranked.length - 1].configPath, 'training.epochs');
    // The elu in both cells: fixed together, ranked first.
    assert.deepEqual(
      ranked[0].changes.map((c) => c.path),
      ['model.encoder.0.activation', 'model.decoder.0.activation'],
    );
  });

  test('hazards of different kinds that explain one symptom are also proposed together, first, blamed on the best-ranked of them', () => {
    const text = config({ model: eluCells, training: ['  epochs: 20', '  learningRate: 0.5'] });
    const ranked = rank(text, [symptom('TSAE201')]);
    const [together, ...singles] = ranked;
    assert.match(together.source, /^TSAE\d{3}\+TSAE\d{3}$/);
    assert.deepEqual(together.changes.map((c) => c.path).sort(), ['model.decoder.0.activation', 'model.encoder.0.activation', 'training.learningRate']);
    // Each single fix still follows it, so a trial can show that one alone is enough.
    const singlePaths = singles.filter((c) => c.fromRule).map((c) => c.configPath);
    assert.ok(singlePaths.includes('model.encoder.0.activation') && singlePaths.includes('training.learningRate'), JSON.stringify(singlePaths));
    assert.equal(together.configPath, singles[0].configPath);
    assert.equal(together.fromRule, true);
    // One hazard kind only (the elu in both cells): nothing to put together.
    assert.equal(rank(config({ model: eluCells }), [symptom('TSAE201')]).filter((c) => c.source.includes('+')).length, 0);
    // When a single fix is verified, it is blamed before the larger fix that contains it, whatever their reductions.
    const single = { changes: [{ path: 'training.learningRate', value: 0.001 }], errorChange: -0.4 };
    const both = { changes: [...together.changes], errorChange: -0.9 };
    assert.ok(compareVerified(single, both) < 0 && compareVerified(both, single) > 0);
  });

  test("for a stateful run, TSAE108's shuffle fix outranks its batch-size suggestion", () => {
    const text = config({
      windowing: ['  length: 24', '  stride: 24'],
      model: ['  encoder:', '    - units: 16', '  latent:', '    size: 6', '  decoder:', '    - units: 16', '  stateful: true'],
      training: ['  epochs: 20', '  batchSize: 7', '  shuffle: true'],
    });
    const lint = lintText(text, { fileName });
    assert.ok(
      lint.findings.some((f) => f.code === 'TSAE108' && f.configPath === 'training.batchSize'),
      'the case has both TSAE108 findings',
    );
    const ranked = rank(text, [symptom('TSAE201')]);
    assert.equal(ranked[0].configPath, 'training.shuffle');
  });
});

describe('the learning-rate fix', () => {
  const withGradients = (n: number, norm: number): EpochMetrics[] =>
    flat(n).map((e) => ({
      ...e,
      gradStats: {
        encoder_0: { mean: norm * 0.6, max: norm, min: 0, zeroFraction: 0, nonFinite: 0, batches: 10 },
        decoder_0: { mean: norm * 0.8, max: norm, min: 0, zeroFraction: 0, nonFinite: 0, batches: 10 },
      },
    }));
  const rankWith = (optimizer: string, rate: string, epochs: EpochMetrics[]) => {
    const text = config({ training: ['  epochs: 8', `  optimizer: ${optimizer}`, `  learningRate: ${rate}`] });
    const lint = lintText(text, { fileName });
    assert.ok(lint.resolved);
    const causes = meanCollapse.blame({ config: lint.resolved, history: epochs, final: true }, { measurement: 'collapsed', data: {} });
    const symptoms = [symptom('TSAE201', causes)];
    return rankCandidates(symptoms, lint.findings, lint.resolved, gatherEvidence(epochs, symptoms, lint.probe)).find((c) => c.configPath === 'training.learningRate');
  };

  test("a too-low SGD rate is raised to the rate at which its step is as long as Adam's default step, from the run's gradients", () => {
    // Total norm sqrt(0.6^2 + 0.8^2) * g = g.
    const small = rankWith('sgd', '0.00001', withGradients(8, 0.05));
    const large = rankWith('sgd', '0.00001', withGradients(8, 0.5));
    const rate = (c: DiagnosisCandidate | undefined) => Number(c?.changes.find((ch) => ch.path === 'training.learningRate')?.value);
    // Ten times smaller gradients need a ten times larger rate (to one significant digit).
    assert.ok(rate(small) > 5 * rate(large), `${rate(small)} vs ${rate(large)}`);
    assert.ok(rate(small) <= 1 && rate(large) >= 1e-4, 'within TSAE104 range for sgd');
    assert.match(small?.title ?? '', /Raise the learning rate to [\d.]+ \(sized from this run's gradients for sgd\)/);
    assert.match(small?.reason ?? '', /Raise it to [\d.]+: at that rate an SGD step is as long as Adam's default step/);
    assert.doesNotMatch(small?.reason ?? '', /default 0\.01/);
    assert.ok(small?.evidence.some((e) => /typical gradient norm of 0\.05 over [\d,]+ parameters/.test(e)));
    // The sized fix passes the linter: no TSAE104 on the fixed config.
    const fixed = applyConfigChanges(config({ training: ['  epochs: 8', '  optimizer: sgd', '  learningRate: 0.00001'] }), fileName, small!.changes);
    assert.ok(!lintText(fixed, { fileName }).findings.some((f) => f.code === 'TSAE104'));
  });

  test("adaptive optimizers keep their default, and without gradients SGD's default stands", () => {
    assert.equal(rankWith('adam', '0.0000001', withGradients(8, 0.05))?.changes[0].value, 1e-3);
    assert.equal(rankWith('rmsprop', '0.0000001', withGradients(8, 0.05))?.changes[0].value, 1e-3);
    assert.equal(rankWith('sgd', '0.00001', flat(8))?.changes[0].value, 1e-2);
  });
});

describe('corroboration', () => {
  test('a static hazard the detector also names for its symptom outranks one it does not (pitfall 05: sigmoid output before stateful misuse)', () => {
    const text = config({
      windowing: ['  length: 10', '  stride: 1'],
      model: ['  stateful: true', '  encoder:', '    - units: 16', '  latent:', '    size: 8', '  decoder:', '    - units: 16', '  outputActivation: sigmoid'],
      training: ['  epochs: 10', '  batchSize: 32', '  shuffle: true'],
    }).replace('windowing:', 'preprocessing:\n  scaling: minmax\n  range: [-1, 1]\nwindowing:');
    const lint = lintText(text, { fileName });
    assert.ok(lint.findings.some((f) => f.code === 'TSAE108') && lint.findings.some((f) => f.code === 'TSAE109'), JSON.stringify(lint.findings.map((f) => f.code)));
    const unreachable = {
      configPath: 'model.outputActivation',
      reason: 'half of the targets lie below 0',
      fix: { title: 'Use a linear output activation', safety: 'unsafe' as const, changes: [{ path: 'model.outputActivation', value: 'linear' }] },
    };
    const ranked = rank(text, [symptom('TSAE203', [unreachable])]);
    assert.equal(ranked[0].configPath, 'model.outputActivation');
    assert.ok(ranked[0].evidence.some((e) => /both the linter and the runtime detector/.test(e)));
  });
});

describe('severity by certainty', () => {
  const generic = {
    configPath: 'training.epochs',
    reason: 'still falling',
    fix: { title: 'Train for 16 epochs', safety: 'unsafe' as const, changes: [{ path: 'training.epochs', value: 16 }] },
  };
  const specific = { configPath: 'model.latent.size', reason: 'squeezed', fix: { title: 'Widen', safety: 'unsafe' as const, changes: [{ path: 'model.latent.size', value: 12 }] } };
  const input = { config: resolved(config()), history: falling(6), final: true };

  test('a symptom whose only suspect is "train longer" is information before any diagnosis', () => {
    assert.equal(makeFinding(meanCollapse, input, { measurement: 'collapsed', data: {} }, [generic]).severity, 'info');
    assert.equal(makeFinding(meanCollapse, input, { measurement: 'collapsed', data: {} }, [specific, generic]).severity, 'warning');
    // One or two epochs have no loss slope: nothing says the run is healthy, so the symptom stays a warning.
    assert.equal(makeFinding(meanCollapse, { ...input, history: falling(2) }, { measurement: 'collapsed', data: {} }, [generic]).severity, 'warning');
  });

  const candidate = (over: Partial<DiagnosisCandidate>): DiagnosisCandidate => ({
    source: 'TSAE201',
    configPath: 'training.epochs',
    title: 'Train for 16 epochs',
    reason: 'still falling.',
    changes: [{ path: 'training.epochs', value: 16 }],
    explains: ['TSAE201'],
    evidence: [],
    score: 2,
    verdict: 'inconclusive',
    ...over,
  });
  const diagnosis = (candidates: DiagnosisCandidate[], staticHazards?: string[]): Diagnosis => ({
    status: 'hypothesis',
    symptoms: ['TSAE201'],
    candidates,
    margin: 0.2,
    budgetSeconds: 20,
    seconds: 12,
    notes: [],
    ...(staticHazards ? { staticHazards } : {}),
  });
  const finding = symptom('TSAE201', [generic]);

  test('a verified config fix is blamed before a verified "train longer" with a larger reduction (its trial trained longer)', () => {
    // Pitfall 01 in CI: 'train longer' (twice the control's epochs) verified at -64 % took the blame from model.bridge.
    const bridge = candidate({
      configPath: 'model.bridge',
      title: 'Set model.bridge to repeat',
      changes: [{ path: 'model.bridge', value: 'repeat' }],
      verdict: 'verified',
      errorChange: -0.6,
    });
    const longer = candidate({ verdict: 'verified', errorChange: -0.64 });
    for (const order of [
      [bridge, longer],
      [longer, bridge],
    ]) {
      const [blamed] = applyDiagnosis([finding], diagnosis(order, ['TSAE105@model.bridge']));
      assert.equal(blamed.configPath, 'model.bridge');
      assert.equal(blamed.certainty, 'verified');
    }
    assert.equal(applyDiagnosis([finding], diagnosis([longer], []))[0].configPath, 'training.epochs');
  });

  test('after a diagnosis: unverified "train longer" on a clean config is information; with a static hazard, a warning', () => {
    assert.equal(applyDiagnosis([finding], diagnosis([candidate({})], []))[0].severity, 'info');
    assert.equal(applyDiagnosis([finding], diagnosis([candidate({ verdict: 'refuted' })], []))[0].severity, 'info');
    assert.equal(applyDiagnosis([finding], diagnosis([candidate({})], ['TSAE106@model.encoder.0.activation']))[0].severity, 'warning');
    // A diagnosis written before staticHazards existed: unknown, so not softened.
    assert.equal(applyDiagnosis([finding], diagnosis([candidate({})]))[0].severity, 'warning');
    // A 2-epoch run: too short to call healthy.
    assert.equal(applyDiagnosis([finding], diagnosis([candidate({})], []), 2)[0].severity, 'warning');
    assert.equal(applyDiagnosis([finding], diagnosis([candidate({})], []), 8)[0].severity, 'info');
  });

  test('without a verified cause, a cause in the config is blamed before "train longer", whatever their scores', () => {
    const latent = candidate({ configPath: 'model.latent.size', title: 'Widen', changes: [{ path: 'model.latent.size', value: 16 }], score: 1 });
    const [f] = applyDiagnosis([finding], diagnosis([candidate({ score: 3 }), latent], ['TSAE103@model.latent.size']));
    assert.equal(f.configPath, 'model.latent.size');
    assert.equal(f.severity, 'warning');
  });

  test('a verified "train longer" does not take the blame from an open static hazard that explains the symptom', () => {
    const longer = candidate({ verdict: 'verified', errorChange: -0.45, trial: { nmse: 0.31, symptoms: [], epochs: 12, trainWindows: 80, seconds: 6.2 } });
    const hazard = (verdict: DiagnosisCandidate['verdict'], over: Partial<DiagnosisCandidate> = {}) =>
      candidate({
        source: 'TSAE103',
        configPath: 'model.latent.size',
        title: 'Widen the latent to 12',
        reason: 'the latent is far too small.',
        changes: [{ path: 'model.latent.size', value: 12 }],
        fromRule: true,
        verdict,
        ...(verdict === 'inconclusive' ? { why: 'error -12 % against the control, short of the 20 % margin' } : {}),
        ...over,
      });
    for (const verdict of ['untested', 'inconclusive'] as const) {
      for (const order of [
        [longer, hazard(verdict)],
        [hazard(verdict), longer],
      ]) {
        const [f] = applyDiagnosis([finding], diagnosis(order, ['TSAE103@model.latent.size']));
        assert.equal(f.configPath, 'model.latent.size', verdict);
        assert.equal(f.certainty, 'hypothesis');
        assert.equal(f.severity, 'warning');
        assert.equal(f.verification, undefined);
        assert.deepEqual(f.fix?.changes, [{ path: 'model.latent.size', value: 12 }]);
        assert.match(f.message, /Likely cause \(unverified hypothesis\): the latent is far too small/);
        // "Train longer" is named as what also helps, with its trial's figures.
        assert.match(f.message, /Training longer also helps \(training\.epochs = 16: error -45 % against the control, 12-epoch trial on 80 windows, 6\.2 s\)/);
        // Nothing takes a verified blame, so the diagnosis as a whole is not "verified" either.
        assert.equal(
          order.some((c) => takesVerifiedBlame(c, order)),
          false,
          verdict,
        );
      }
    }
    assert.equal(takesVerifiedBlame(longer, [longer, hazard('refuted')]), true);
    assert.equal(takesVerifiedBlame(longer, [longer]), true);
    // A hazard a trial refuted is not open: the verified "train longer" keeps the blame.
    const refuted = applyDiagnosis([finding], diagnosis([longer, hazard('refuted')], ['TSAE103@model.latent.size']))[0];
    assert.equal(refuted.configPath, 'training.epochs');
    assert.equal(refuted.certainty, 'verified');
    // A detector's own cause (not a linter hazard) does not hold the blame against a verified trial.
    const detectorOnly = applyDiagnosis([finding], diagnosis([longer, hazard('untested', { fromRule: undefined, source: 'TSAE201' })], []))[0];
    assert.equal(detectorOnly.configPath, 'training.epochs');
    // A verified config fix still wins over both.
    const fixVerified = applyDiagnosis([finding], diagnosis([longer, hazard('verified', { errorChange: -0.3 })], ['TSAE103@model.latent.size']))[0];
    assert.equal(fixVerified.configPath, 'model.latent.size');
    assert.equal(fixVerified.certainty, 'verified');
  });

  test('verified "train longer" keeps the detector severity: the run was cut short and a trial proved it', () => {
    const verified = candidate({ verdict: 'verified', errorChange: -0.5, trial: { nmse: 0.3, symptoms: [], epochs: 8, trainWindows: 100, seconds: 4 } });
    const [f] = applyDiagnosis([finding], diagnosis([verified], []));
    assert.equal(f.severity, 'error');
    assert.equal(f.certainty, 'verified');
  });
});

/** A runner that answers from a script keyed by what the config text contains, and records the order of its calls. */
class ScriptedRunner implements TrialRunner {
  readonly calls: string[] = [];
  constructor(
    readonly parallelism: number,
    private readonly answer: (text: string, plan: TrialPlan) => TrialOutcome & { label: string },
  ) {}
  async run(config: ConfigSourceFile, plan: TrialPlan): Promise<TrialOutcome> {
    const { label, ...outcome } = this.answer(config.text, plan);
    this.calls.push(label);
    return outcome;
  }
}

describe('trials', () => {
  const text = config({ model: eluCells, training: ['  epochs: 20', '  learningRate: 0.5'] });
  const source: ConfigSourceFile = { fileName, text };
  const cfg = resolved(text);
  const causes = meanCollapse.blame({ config: cfg, history: flat(6), final: true }, { measurement: 'collapsed', data: {} });
  const summary = {
    status: 'completed',
    seconds: 10,
    epochs: 6,
    windows: { train: 300, validation: 60, heldOut: 0 },
    findings: [symptom('TSAE201', causes)],
    inputSpaceError: { set: 'validation', windows: 60, scaledMse: 0.8, originalMse: 0.8, nmse: 0.8 },
  } as unknown as RunSummary;
  const input = { summary, history: flat(6), source };
  const outcome = (label: string, nmse: number | null, symptoms: string[], seconds: number, extra: Partial<TrialOutcome> = {}) => ({
    label,
    nmse,
    symptoms,
    epochs: 6,
    trainWindows: 300,
    seconds,
    ...extra,
  });
  const isControl = (t: string) => t === text;

  test('the control runs first; the cause whose trial clears the symptom is verified, with why the others are not', async () => {
    const runner = new ScriptedRunner(1, (t) =>
      isControl(t)
        ? outcome('control', 0.9, ['TSAE201'], 1)
        : /activation: tanh/.test(t)
          ? outcome('tanh', 0.3, [], 1)
          : outcome(t.match(/learningRate: ([\d.e-]+)/)?.[1] === '0.5' ? 'other' : 'lr', 0.85, ['TSAE201'], 1),
    );
    const d = await diagnose(input, { runner, budgetSeconds: 60 });
    assert.equal(runner.calls[0], 'control');
    assert.equal(d.status, 'verified');
    assert.deepEqual(
      d.candidates[0].changes.map((c) => c.path),
      ['model.encoder.0.activation', 'model.decoder.0.activation'],
    );
    assert.ok(d.staticHazards && d.staticHazards.some((h) => h.startsWith('TSAE106@')));
    const refuted = d.candidates.find((c) => c.verdict === 'refuted');
    assert.match(refuted?.why ?? '', /error -6 % against the control, short of the 20 % margin; the trial still shows TSAE201/);
  });

  test('a control that does not finish stops the trials, and every untried candidate says why', async () => {
    const runner = new ScriptedRunner(1, (t) => (isControl(t) ? outcome('control', null, [], 0, { failure: 'timed out' }) : outcome('trial', 0.1, [], 1)));
    const d = await diagnose(input, { runner, budgetSeconds: 60 });
    assert.deepEqual(runner.calls, ['control']);
    assert.equal(d.status, 'hypothesis');
    for (const c of d.candidates.slice(0, 3)) assert.match(c.why ?? '', /not tried: the control did not finish \(timed out\)/);
  });

  test('rounds after the first are sized from the measured control: what would overrun the budget is not started', async () => {
    // With two workers the control and the top candidate share the first round; each takes 15 s of
    // a 20 s budget, so a second round (about 15 s more) does not fit.
    let clock = 0;
    const realNow = Date.now;
    Date.now = () => realNow() + clock * 1000;
    try {
      const runner = new ScriptedRunner(2, (t) => {
        clock = 15;
        return isControl(t) ? outcome('control', 0.9, ['TSAE201'], 15) : outcome('trial', 0.85, ['TSAE201'], 15);
      });
      const d = await diagnose(input, { runner, budgetSeconds: 20 });
      assert.equal(runner.calls.length, 2);
      const untried = d.candidates.filter((c) => c.verdict === 'untested');
      assert.ok(untried.length >= 1);
      assert.match(untried[0].why ?? '', /not tried: another round of trials \(about 15 s, measured on the control\) would overrun the 20 s budget/);
      assert.ok(d.notes.some((n) => /would overrun the 20 s budget/.test(n)));
    } finally {
      Date.now = realNow;
    }
  });
});

describe('the "train longer" trial', () => {
  test("gets as many times the control's epochs as the fix asks of the run, 2 to 4 times", () => {
    assert.equal(longerTrialFactor(12, 2), 4);
    assert.equal(longerTrialFactor(16, 6), 16 / 6);
    assert.equal(longerTrialFactor(40, 20), 2);
    assert.equal(longerTrialFactor(undefined, 6), 2);
  });
});

describe('fixes offered together', () => {
  test('the unbounded-cell fix passes the linter and leaves no TSAE106', () => {
    const text = config({ model: eluCells });
    const fix = blameUnboundedCell(resolved(text))!.fix!;
    const vetted = vetFix(text, fileName, fix);
    assert.ok(vetted.ok, JSON.stringify(vetted));
    const after = lintText(applyConfigChanges(text, fileName, fix.changes), { fileName });
    assert.deepEqual(
      after.findings.filter((f) => f.code === 'TSAE106'),
      [],
    );
  });

  test('two findings offering different values for one key offer the stronger one; the union is vetted by the linter', () => {
    const text = config();
    const withFix = (code: string, value: number, certainty: 'verified' | 'hypothesis'): RunFinding => ({
      ...symptom(code),
      configPath: 'model.latent.size',
      certainty,
      fix: { title: `Widen to ${value}`, safety: 'unsafe', changes: [{ path: 'model.latent.size', value }] },
    });
    const { findings, notes } = offeredTogether([withFix('TSAE201', 12, 'hypothesis'), withFix('TSAE208', 50, 'verified')], { fileName, text });
    assert.deepEqual(
      findings.map((f) => f.fix?.changes[0].value),
      [50, 50],
    );
    assert.ok(
      notes.some((n) => /TSAE201 offered model\.latent\.size = 12 but TSAE208 offers model\.latent\.size = 50/.test(n)),
      notes.join(' | '),
    );
    const scaling = { ...symptom('TSAE206'), fix: { title: 'Clip', safety: 'unsafe' as const, changes: [{ path: 'training.clipNorm', value: 1 }] } };
    const both = offeredTogether([withFix('TSAE208', 50, 'verified'), scaling], { fileName, text });
    // Latent 50 behind 16-unit layers trips TSAE103 together as alone: the union needs the layers widened too, and says so.
    assert.ok(
      both.notes.some((n) => /also need model\.encoder\.0\.units = 50/.test(n)),
      both.notes.join(' | '),
    );
  });
});
