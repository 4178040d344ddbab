// The pitfall zoo's fast subset for CI: every case's header parses, the synthetic data sets are
// what their generators write, the linter reports exactly the expected static codes on every case
// (and nothing on the good configs), and two small cases train for real with the diagnosis
// (skipped when dist/cli.js is not built). The full zoo with its table is `npm run zoo`.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadCases, parseCase, runtimeCodes, zooRoot, ZooCaseError, type ZooCase } from '../../zoo/cases';
import { GENERATED } from '../../zoo/generate';
import { lintCase, runCase, type RunRecord } from '../../zoo/runner';
import { cured, scoreCase, scoreZoo } from '../../zoo/score';
import { FAILING_FACTOR, finalLossTrend, HEALTHY_NMSE, judgeFailure, judgeHealth, validatable } from '../../zoo/validate';

const root = zooRoot();
const cases = loadCases(root);
const byId = (id: string) => {
  const found = cases.find((c) => c.id === id);
  assert.ok(found, `no zoo case ${id}`);
  return found;
};

describe('pitfall zoo', () => {
  test('has at least 30 failing cases and 6 good configs on at least 4 data sets', () => {
    const failing = cases.filter((c) => c.kind === 'failing');
    assert.ok(failing.length >= 30, `${failing.length} failing cases`);
    assert.ok(cases.length - failing.length >= 6, `${cases.length - failing.length} good configs`);
    assert.ok(new Set(cases.map((c) => c.data)).size >= 4);
    assert.ok(new Set(cases.map((c) => /^\s*cell:\s*(\w+)/m.exec(fs.readFileSync(c.file, 'utf8'))?.[1])).size >= 2, 'LSTM and GRU cells');
  });

  test('the synthetic data sets are exactly what the seeded generators write', () => {
    for (const [name, make] of Object.entries(GENERATED)) {
      assert.equal(fs.readFileSync(path.join(root, 'data', name), 'utf8'), make(), `zoo/data/${name} differs from its generator (npm run zoo -- --generate)`);
    }
  });

  test('every case lints to exactly its expected static codes; good configs get no warning or error', () => {
    const problems: string[] = [];
    for (const zooCase of cases) {
      const score = scoreCase({ ...zooCase, expectRuntime: undefined }, { id: zooCase.id, at: '', static: lintCase(zooCase) });
      if (score.staticMissed.length) problems.push(`${zooCase.id}: missed ${score.staticMissed.join(' ')}`);
      if (score.staticExtra.length) problems.push(`${zooCase.id}: unexpected ${score.staticExtra.join(' ')}`);
    }
    assert.deepEqual(problems, []);
  });

  test('headers are read strictly', () => {
    const file = '/zoo/x.tsae.yaml';
    assert.throws(() => parseCase(file, '# zoo: x\n# expect: none\n# expcet-runtime: TSAE201\n', 'failing'), /x.tsae.yaml:3: unknown zoo header key "expcet-runtime"/);
    assert.throws(() => parseCase(file, '# zoo: x\n# expect: TSAE12\n', 'failing'), /not a TSAE code/);
    assert.throws(() => parseCase(file, '# zoo: x\n# expect: none\n# expect-runtime: TSAE201\n# expect-blame: a.b\n', 'failing'), /needs "# fix:"/);
    assert.throws(() => parseCase(file, '# zoo: x\n# expect: TSAE112\n', 'good'), ZooCaseError);
    const parsed = parseCase(
      file,
      '# zoo: x\n# expect: TSAE112\n# expect-runtime: TSAE201\n# expect-blame: a.b | c\n# fix: a.b = 0.5; c = linear; d = {"patience": 3}\n',
      'failing',
    );
    assert.deepEqual(parsed.fix, [
      { path: 'a.b', value: 0.5 },
      { path: 'c', value: 'linear' },
      { path: 'd', value: { patience: 3 } },
    ]);
    assert.deepEqual(parsed.blame, ['a.b', 'c']);
  });

  test('a fix cures only when the symptom is gone and the error is not worse', () => {
    const zooCase = { ...byId('time-mean-sines') };
    const run = (nmse: number | null, codes: string[]): RunRecord => ({
      status: 'completed',
      exitCode: 0,
      wallSeconds: 1,
      epochs: 1,
      nmse,
      findings: codes.map((code) => ({ code, severity: 'warning', configPath: '' })),
    });
    assert.equal(cured(zooCase, run(0.9, ['TSAE201']), run(0.2, [])), true);
    assert.equal(cured(zooCase, run(0.9, ['TSAE201']), run(0.2, ['TSAE201'])), false);
    assert.equal(cured(zooCase, run(0.5, ['TSAE201']), run(0.6, [])), false);
    assert.equal(cured(zooCase, run(null, ['TSAE201']), run(0.6, [])), true);
    assert.equal(cured(zooCase, run(0.5, ['TSAE201']), { ...run(0.1, []), status: 'failed' }), false);
    // Scores: the expected code fired, was blamed on the expected key, and its offered fix cured.
    const scores = scoreZoo(
      [zooCase],
      new Map([
        [
          zooCase.id,
          {
            id: zooCase.id,
            at: '',
            static: { findings: [{ code: 'TSAE102', severity: 'error', configPath: '' }] },
            run: { ...run(0.9, []), findings: [{ code: 'TSAE201', severity: 'error', certainty: 'verified', configPath: 'training.targetReduction' }] },
            offeredFix: { changes: zooCase.fix, run: run(0.1, []) },
          },
        ],
      ]),
    );
    assert.deepEqual(
      [scores.staticRecall, scores.runtimeRecall, scores.blameAccuracy, scores.blameVerified, scores.offeredFixCures],
      [
        { hit: 1, of: 1 },
        { hit: 1, of: 1 },
        { hit: 1, of: 1 },
        { hit: 1, of: 1 },
        { hit: 1, of: 1 },
      ],
    );
  });
});

describe('pitfall zoo: --validate', () => {
  const run = (nmse: number | null, findings: Array<{ code: string; severity: string }> = [], status = 'completed'): RunRecord => ({
    status,
    exitCode: 0,
    wallSeconds: 1,
    epochs: 8,
    nmse,
    findings: findings.map((f) => ({ ...f, configPath: '' })),
  });

  test('a healthy model completes under the nmse bar with no runtime warning or error', () => {
    assert.deepEqual(judgeHealth(run(0.1)), []);
    assert.deepEqual(judgeHealth(run(0.1, [{ code: 'TSAE204', severity: 'info' }])), [], 'an info note is not a symptom');
    assert.deepEqual(judgeHealth(run(HEALTHY_NMSE + 0.01)), [`nmse ${(HEALTHY_NMSE + 0.01).toPrecision(3)} > ${HEALTHY_NMSE}`]);
    assert.deepEqual(judgeHealth(run(0.1, [{ code: 'TSAE203', severity: 'warning' }])), ['findings TSAE203']);
    assert.deepEqual(judgeHealth(run(null)), ['no finite input-space error']);
    assert.equal(judgeHealth(run(0.1, [], 'cancelled')).length, 1);
  });

  test('the converse: a runtime case as written must fail measurably (above the bar, or well above its fix), unless its header says why not', () => {
    assert.deepEqual(judgeFailure(run(HEALTHY_NMSE + 0.1), run(0.1), {}), []);
    assert.deepEqual(judgeFailure(run(null, [], 'failed'), run(0.1), {}), [], 'a run that diverged fails');
    assert.deepEqual(judgeFailure(run(0.29), run(0.29 / FAILING_FACTOR), {}), [], 'clearly worse than the same config without the hazard');
    // As good as its fix (time-mean target on 32-step GRU windows: 0.164 against 0.165): not a runtime failure.
    assert.match(judgeFailure(run(0.164), run(0.165), {})[0], /the case as written is a healthy model \(nmse 0\.164 <= 0\.3, its fix 0\.165\): not a runtime failure/);
    assert.equal(judgeFailure(run(0.2), run(null), {}).length, 1);
    assert.deepEqual(judgeFailure(run(0.09), run(0.09), { healthyModel: 'the output is compared reversed' }), []);
    // Every runtime case of the zoo that says its model may be healthy says why.
    for (const c of cases) if (c.healthyModel !== undefined) assert.ok(c.healthyModel.length > 20 && runtimeCodes(c).length > 0, c.id);
  });

  test('the scores count case fixes and good configs that meet the bar', () => {
    const zooCase = byId('time-mean-sines');
    const good = byId('good-sines-reversed');
    const scores = scoreZoo(
      [zooCase, good],
      new Map([
        [
          zooCase.id,
          { id: zooCase.id, at: '', static: { findings: [] }, run: run(0.9, [{ code: 'TSAE201', severity: 'warning' }]), expectedFix: { changes: zooCase.fix, run: run(0.5) } },
        ],
        [good.id, { id: good.id, at: '', static: { findings: [] }, run: run(0.1) }],
      ]),
    );
    assert.deepEqual(scores.healthy, { hit: 1, of: 2 });
    assert.deepEqual(
      scores.cases.map((c) => c.healthy),
      [false, true],
    );
  });

  test('trains every good config and every failing case that has a fix and a runtime expectation', () => {
    const ids = new Set(validatable(cases).map((c) => c.id));
    for (const c of cases) assert.equal(ids.has(c.id), c.kind === 'good' || (c.expectRuntime !== undefined && c.fix.length > 0), c.id);
  });

  test('the loss trend is the per-epoch change over the last epochs', () => {
    assert.equal(finalLossTrend([1, 0.5, 0.25]), -0.5);
    assert.equal(finalLossTrend([1]), undefined);
    assert.equal(finalLossTrend(undefined), undefined);
    assert.ok(Math.abs(finalLossTrend([9, 1, 1, 1, 1])!) < 1e-12, 'only the last four epochs count');
  });
});

const CLI = path.join(root, '..', 'dist', 'cli.js');

describe('pitfall zoo: small cases trained with the diagnosis', { skip: fs.existsSync(CLI) ? false : 'dist/cli.js not built (run npm run build)' }, () => {
  const train = (zooCase: ZooCase) => runCase(zooCase, { cli: CLI, budgetSeconds: 8, noFix: true });

  test('lr-low-adam-art: the collapse is seen, blamed on training.learningRate, and a fix is offered', { timeout: 120_000 }, () => {
    const zooCase = byId('lr-low-adam-art');
    const result = train(zooCase);
    const score = scoreCase(zooCase, result);
    assert.deepEqual(score.runtimeMissed, [], JSON.stringify(result.run?.findings));
    assert.ok(result.run?.diagnosis, 'the summary carries the diagnosis');
    assert.equal(score.blamed?.configPath, 'training.learningRate', JSON.stringify(result.run.findings));
    const finding = result.run.findings.find((f) => f.code === score.blamed?.code);
    assert.ok(finding?.fix && finding.fix.length > 0, JSON.stringify(finding));
  });

  test('good-sines-reversed trains without a finding', { timeout: 120_000 }, () => {
    const zooCase = byId('good-sines-reversed');
    const score = scoreCase(zooCase, train(zooCase));
    assert.equal(score.clean, true, JSON.stringify(score));
  });
});
