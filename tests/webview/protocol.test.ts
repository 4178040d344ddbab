import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  isDashboardState,
  isHostToTimeline,
  isHostToWebview,
  isWebviewToHost,
  isRuleCode,
  type HostToWebview,
  type RunData,
  type WebviewToHost,
} from '../../src/core/protocol/webview';
import type { ScoresFile } from '../../src/core/scoring/types';
import { buildRun } from './fixtureRun';

function runData(): RunData {
  const r = buildRun();
  return { runDir: '/w/.tsae/runs/a', summary: r.summary, metrics: r.metrics, reconstructions: r.reconstructions, latents: r.latents };
}

const clone = <T>(v: T): T => structuredClone(v);

function validHostMessages(): HostToWebview[] {
  const run = runData();
  const w = run.reconstructions!.windows[0];
  return [
    { type: 'init', run },
    { type: 'init', run, baseline: runData() },
    { type: 'epoch', metrics: run.metrics[0] },
    { type: 'epoch', metrics: { epoch: 3, loss: Number.NaN, valLoss: null, lr: 1e-3, seconds: 2, gradNorms: { encoder: 0.5 } } },
    { type: 'reconstructions', epoch: 2, features: ['value'], windows: [w] },
    {
      type: 'latents',
      epoch: 2,
      vectors: [
        [1, 0],
        [2, 0],
      ],
    },
    { type: 'latents', epoch: 2, vectors: [[1, 0]], indices: [4], labels: ['anomaly'] },
    { type: 'finding', finding: run.summary.findings[0] },
    { type: 'status', summary: run.summary },
    { type: 'status', summary: { ...run.summary, status: 'failed' }, message: 'config.tsae.yaml:3: data.path: file not found' },
    { type: 'notice', level: 'error', text: 'no fix' },
    { type: 'runs', runs: [] },
    {
      type: 'runs',
      runs: [
        {
          runDir: '/r',
          name: 'n',
          status: 'running',
          backend: 'wasm',
          startedAt: 'x',
          epochs: 1,
          trainLoss: null,
          valLoss: null,
          reconstructionError: null,
          findings: 0,
          seconds: 0,
        },
      ],
    },
    { type: 'preview', runDir: '/r', features: ['a'], window: null },
    { type: 'preview', runDir: '/r', features: ['a'], window: w },
    {
      type: 'reconstructions',
      epoch: 2,
      features: ['a'],
      windows: [w],
      ranking: [
        { index: 0, start: 0, error: 0.1 },
        { index: 3, start: 9, timestamp: 't', heldOut: true, error: 0.4 },
      ],
    },
    { type: 'window', features: ['a'], window: w },
  ];
}

describe('isHostToWebview', () => {
  test('accepts every valid message kind', () => {
    for (const m of validHostMessages()) assert.equal(isHostToWebview(m), true, JSON.stringify(m).slice(0, 120));
  });

  test('rejects non-objects and unknown types', () => {
    for (const m of [null, undefined, 3, 'init', [], {}, { type: 'nope' }, { type: 'ready' }]) assert.equal(isHostToWebview(m), false);
  });

  // Each case breaks exactly one field of a valid message.
  const malformed: Array<[string, (m: Record<string, any>) => void, number]> = [
    ['init without run', (m) => delete m.run, 0],
    ['init with summary status unknown', (m) => (m.run.summary.status = 'done'), 0],
    ['init with backend unknown', (m) => (m.run.summary.backend = 'gpu'), 0],
    ['init with epochs as string', (m) => (m.run.summary.epochs = '6'), 0],
    ['init with windows missing heldOut', (m) => delete m.run.summary.windows.heldOut, 0],
    ['init with a finding of bad severity', (m) => (m.run.summary.findings[0].severity = 'fatal'), 0],
    ['init with a fix change without value', (m) => delete m.run.summary.findings[0].fix.changes[0].value, 0],
    ['init with finding data holding an object', (m) => (m.run.summary.findings[0].data = { x: {} }), 0],
    ['init with metrics not an array', (m) => (m.run.metrics = {}), 0],
    ['init with an epoch lacking lr', (m) => delete m.run.metrics[0].lr, 0],
    ['init with reconstructions in scaled units', (m) => (m.run.reconstructions.units = 'scaled'), 0],
    ['init with a window input of strings', (m) => (m.run.reconstructions.windows[0].input = [['1']]), 0],
    ['init with a window lacking stepError', (m) => delete m.run.reconstructions.windows[0].stepError, 0],
    ['init with latents vectors flat', (m) => (m.run.latents.vectors = [1, 2]), 0],
    ['init with latents sets unknown', (m) => (m.run.latents.sets[0] = 'train'), 0],
    ['init with reconstructions undefined (must be null)', (m) => delete m.run.reconstructions, 0],
    ['init with a bad baseline', (m) => (m.baseline = { runDir: 1 }), 1],
    ['epoch with valLoss string', (m) => (m.metrics.valLoss = '0.1'), 2],
    ['epoch with gradNorms of strings', (m) => (m.metrics.gradNorms = { a: 'x' }), 3],
    ['reconstructions without epoch', (m) => delete m.epoch, 4],
    ['reconstructions with numeric features', (m) => (m.features = [1]), 4],
    ['latents with label object', (m) => (m.labels = [{}]), 6],
    ['latents with indices of strings', (m) => (m.indices = ['4']), 6],
    ['finding without configPath', (m) => delete m.finding.configPath, 7],
    ['status with numeric message', (m) => (m.message = 3), 9],
    ['notice with level warn', (m) => (m.level = 'warn'), 10],
    ['runs not an array', (m) => (m.runs = 'x'), 11],
    ['runs item with findings as array', (m) => (m.runs[0].findings = []), 12],
    ['preview with undefined window', (m) => delete m.window, 13],
    ['ranking entry with a fractional index', (m) => (m.ranking[0].index = 0.5), 15],
    ['ranking entry without error', (m) => delete m.ranking[1].error, 15],
    ['ranking not an array', (m) => (m.ranking = {}), 15],
    ['window without values', (m) => delete m.window.input, 16],
  ];
  for (const [name, breakIt, base] of malformed) {
    test(`rejects ${name}`, () => {
      const m = clone(validHostMessages()[base]) as unknown as Record<string, any>;
      assert.equal(isHostToWebview(m), true, 'the unbroken message must be valid');
      breakIt(m);
      assert.equal(isHostToWebview(m), false);
    });
  }
});

describe('isWebviewToHost', () => {
  const valid: WebviewToHost[] = [
    { type: 'ready' },
    { type: 'goToConfig', code: 'TSAE202', configPath: 'model.latent.activation' },
    { type: 'applyFix', code: 'TSAE202', configPath: 'model.latent.activation' },
    { type: 'selectRun', runDir: '/r' },
    { type: 'openRun', runDir: '/r' },
    { type: 'compareRuns', runDirA: '/a', runDirB: '/b' },
    { type: 'requestWindow', index: 12, heldOut: false },
    { type: 'requestWindow', index: 0, heldOut: true },
  ];
  test('accepts every valid message kind', () => {
    for (const m of valid) assert.equal(isWebviewToHost(m), true, m.type);
  });
  test('rejects malformed messages', () => {
    const bad: unknown[] = [
      null,
      'ready',
      { type: 'init' },
      { type: 'goToConfig', code: 'TSAE202' },
      { type: 'applyFix', code: 202, configPath: 'x' },
      { type: 'selectRun' },
      { type: 'openRun', runDir: ['/r'] },
      { type: 'compareRuns', runDirA: '/a' },
      { type: 'compareRuns', runDirA: '/a', runDirB: null },
      { type: 'requestWindow', index: -1, heldOut: false },
      { type: 'requestWindow', index: 2 },
      { type: 'requestWindow', index: '2', heldOut: false },
    ];
    for (const m of bad) assert.equal(isWebviewToHost(m), false, JSON.stringify(m));
  });
});

describe('dashboard state and docs links', () => {
  test('isDashboardState checks every field', () => {
    assert.equal(isDashboardState({ runDir: '/r', selectedWindow: 3, feature: 0, sort: 'error-desc' }), true);
    assert.equal(isDashboardState({ runDir: '/r', baselineDir: '/b' }), true);
    assert.equal(isDashboardState({}), false);
    assert.equal(isDashboardState({ runDir: '/r', sort: 'random' }), false);
    assert.equal(isDashboardState({ runDir: '/r', selectedWindow: '3' }), false);
  });
  test('rule pages open only for TSAE codes', () => {
    assert.equal(isRuleCode('TSAE202'), true);
    assert.equal(isRuleCode('javascript:alert(1)'), false);
    assert.equal(isRuleCode('TSAE2021'), false);
    assert.equal(isWebviewToHost({ type: 'openRuleDocs', code: 'TSAE202' }), true);
    assert.equal(isWebviewToHost({ type: 'openRuleDocs', code: '../../etc/passwd' }), false);
    assert.equal(isWebviewToHost({ type: 'openRuleDocs' }), false);
    assert.equal(isWebviewToHost({ type: 'editRun', runDir: '/r', field: 'label' }), true);
    assert.equal(isWebviewToHost({ type: 'editRun', runDir: '/r', field: 'summary' }), false);
    assert.equal(isWebviewToHost({ type: 'deleteRun', runDir: 3 }), false);
    assert.equal(isWebviewToHost({ type: 'compareMany', runDirs: ['/a', '/b', '/c'] }), true);
    assert.equal(isWebviewToHost({ type: 'compareMany', runDirs: ['/a'] }), false);
    assert.equal(isWebviewToHost({ type: 'compareMany', runDirs: ['/a', 2] }), false);
  });
});

describe('timeline messages: scores.json as the page draws it', () => {
  /** 40 rows, windows of 10 every 5 (7 windows), scores relative to a history. */
  function scores(): ScoresFile {
    const firstRow = [0, 5, 10, 15, 20, 25, 30];
    return {
      version: 1,
      runDir: '/w/.tsae/runs/a',
      dataFile: '/w/data.csv',
      createdAt: '2026-12-07T00:00:00Z',
      layout: 'series',
      features: ['value'],
      windowLength: 10,
      stride: 5,
      scoreKind: 'relative',
      smoothing: { lengths: 1, windows: 3 },
      history: { lengths: 2, windows: 4 },
      threshold: { rule: { kind: 'fixed', value: 5 }, value: 5 },
      windows: { firstRow, lastRow: firstRow.map((r) => r + 9), score: [0, 0.5, -1, 6, 7, 0.2, 0], error: [0.1, 0.1, 0.1, 0.9, 1, 0.2, 0.1] },
      rows: { line: Array.from({ length: 40 }, (_, r) => r + 2) },
      events: [],
    };
  }
  const init = (s: unknown) => isHostToTimeline({ type: 'timelineInit', runName: 'a', scores: s });

  test('scores of both kinds are accepted', () => {
    assert.ok(init(scores()));
    const plain: Partial<ScoresFile> = { ...scores(), scoreKind: 'mse' };
    delete plain.history;
    assert.ok(init(plain));
  });

  test('an unknown score kind, a history of no windows or arrays of other lengths are refused', () => {
    assert.equal(init({ ...scores(), scoreKind: 'likelihood' }), false);
    assert.equal(init({ ...scores(), scoreKind: undefined }), false);
    assert.equal(init({ ...scores(), history: { lengths: 2, windows: 0 } }), false);
    assert.equal(init({ ...scores(), history: 4 }), false);
    const short = scores();
    short.windows.error = [0.1];
    assert.equal(init(short), false);
    const rows = scores();
    rows.windows.lastRow[6] = 40;
    assert.equal(init(rows), false, 'a window past the last row');
  });
});
