// The worker protocol's guards check every field of every message (issue 11 item 10: the event
// guard used to check only `type`). A property test mutates valid events and requests at random
// (seeded) in ways that each make the message malformed: a required field removed, a value of
// the wrong kind, an enum outside its values, a count that is not a whole number, arrays whose
// lengths disagree. None of 20,000 may pass; every valid message (and harmless variants: a NaN
// loss, an unknown extra field) must.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createRng } from '../../src/core/data/random';
import { isWorkerEvent, isWorkerRequest, type WorkerEvent, type WorkerRequest } from '../../src/core/protocol/worker';
import { RELU_FINDING, buildRun } from '../webview/fixtureRun';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function validEvents(): WorkerEvent[] {
  const run = buildRun({ windows: 6, steps: 5, findings: [RELU_FINDING] });
  const trial = { nmse: 0.4, symptoms: ['TSAE202'], epochs: 3, trainWindows: 40, seconds: 2.5, failure: 'diverged' };
  const summary = {
    ...run.summary,
    thresholds: { windows: 6, quantiles: { '0': 0.01, '0.99': 0.2, '1': 0.3 } },
    epochsPlanned: 6,
    resumes: [{ at: '2026-01-01T00:00:00Z', fromEpoch: 3 }],
    inputSpaceError: { set: 'validation' as const, windows: 6, scaledMse: 0.1, originalMse: 2.5, nmse: 0.2 },
    diagnosis: {
      status: 'verified' as const,
      symptoms: ['TSAE202'],
      candidates: [
        {
          source: 'TSAE101',
          configPath: 'model.latent.activation',
          title: 'linear latent',
          reason: 'relu kills units',
          changes: [{ path: 'model.latent.activation', value: 'linear' }],
          explains: ['TSAE202'],
          evidence: ['2 dead units'],
          score: 3,
          verdict: 'verified' as const,
          trial,
          errorChange: -0.7,
        },
      ],
      control: { ...trial, failure: undefined },
      margin: 0.2,
      budgetSeconds: 60,
      seconds: 20,
      plan: { epochs: 3, maxTrainWindows: 200, timeoutSeconds: 30 },
      notes: ['one note'],
    },
  };
  const windows = run.reconstructions.windows.slice(0, 2);
  return [
    {
      type: 'started',
      runDir: '/w/.tsae/runs/x',
      backend: 'fused',
      backendReason: 'auto',
      parameters: 1234,
      compressionRatio: 40,
      windows: { train: 10, validation: 2, heldOut: 0 },
      epochs: 6,
      batchesPerEpoch: 3,
    },
    { type: 'epoch', ...run.metrics[0], gradNorms: { encoder: 0.3, decoder: 0.1 } },
    { type: 'batch', epoch: 2, batch: 1, batches: 3, loss: 0.5 },
    { type: 'reconstructions', epoch: 2, features: run.reconstructions.features, windows },
    { type: 'latents', epoch: 2, vectors: run.latents.vectors.slice(0, 3), labels: [1, 'a', 2] },
    { type: 'finding', finding: RELU_FINDING },
    { type: 'log', level: 'warn', message: 'careful' },
    { type: 'finished', runDir: '/w/.tsae/runs/x', summary },
    {
      type: 'failed',
      runDir: '/w/.tsae/runs/x',
      message: 'bad cell',
      location: { file: '/w/data.csv', line: 3, column: 2, field: 'value' },
      summary: { ...summary, status: 'failed', reason: 'bad cell' },
    },
    { type: 'trialResult', outcome: trial },
    { type: 'scoreProgress', done: 2048, total: 5000 },
    { type: 'scored', runDir: '/w/.tsae/runs/x', scoresFile: '/w/.tsae/runs/x/scores.json', windows: 5000, events: 3, threshold: 0.2, seconds: 4.5 },
    { type: 'windowReconstruction', features: run.reconstructions.features, window: windows[0] },
    {
      type: 'reconstructions',
      epoch: 3,
      features: run.reconstructions.features,
      windows,
      ranking: [
        { index: 0, start: 0, timestamp: '2014-04-01 00:00:00', label: 1, error: 0.2 },
        { index: 4, start: 20, heldOut: true, error: 0.9 },
      ],
    },
    { type: 'latents', epoch: 3, vectors: run.latents.vectors.slice(0, 2), indices: [0, 7] },
  ];
}

function validRequests(): WorkerRequest[] {
  return [
    { type: 'start', configFile: '/w/a.tsae.yaml', runsDir: '/w/.tsae/runs' },
    { type: 'start', configFile: '/w/a.tsae.yaml', runsDir: '/w/.tsae/runs', configText: 'name: a', epochs: 3, backend: 'cpu', resumeRunDir: '/w/.tsae/runs/x', maxMemoryMB: 512 },
    { type: 'trial', configFile: '/w/a.tsae.yaml', configText: 'name: a', plan: { epochs: 2, maxTrainWindows: 100, timeoutSeconds: 20 }, backend: 'fused' },
    { type: 'score', runDir: '/w/.tsae/runs/x' },
    { type: 'score', runDir: '/w/.tsae/runs/x', dataFile: '/w/d.csv', labels: 'column', threshold: { kind: 'meanStd', k: 3 }, backend: 'cpu' },
    { type: 'reconstruct', runDir: '/w/.tsae/runs/x', dataFile: '/w/d.csv', window: 12, backend: 'wasm' },
    { type: 'reconstruct', runDir: '/w/.tsae/runs/x', window: 0, set: 'heldOut' },
    { type: 'cancel' },
  ];
}

type Rng = () => number;

// Paths are keys joined by '.', array indices as numbers. What the test knows about the format:
/** Values of any shape are valid here (a fix's new config value). */
const FREE = [/(^|\.)changes\.\d+\.value$/];
/** Keys that may be left out, by message type. */
const OPTIONAL_EVERYWHERE = [
  /^(finding|summary\.findings\.\d+)\.(epoch|data|fix)$/,
  /^windows\.\d+\.(label|heldOut)$/,
  /^window\.(label|heldOut)$/,
  /^location\.(line|column|field)$/,
  // Entries of string-keyed records.
  /(^|\.)(data|gradNorms)\.[^.]+$/,
  /\.quantiles\..+$/,
  /^summary\.(reconstructionError|reason|heldOutAuc|configHash|thresholds|restoredEpoch|epochsPlanned|resumes|inputSpaceError|diagnosis)$/,
  /(^|\.)(finding|findings\.\d+)\.(certainty|verification)$/,
  /^summary\.diagnosis\.(control|plan)$/,
  /^summary\.diagnosis\.candidates\.\d+\.(trial|errorChange)$/,
  /(^|\.)(trial|control|outcome)\.failure$/,
];
const OPTIONAL_BY_TYPE: Record<string, RegExp[]> = {
  epoch: [/^gradNorms$/],
  latents: [/^(labels|indices)$/],
  reconstructions: [/^ranking$/, /^ranking\.\d+\.(timestamp|label|heldOut)$/],
  failed: [/^(runDir|location|summary)$/],
  start: [/^(configText|epochs|backend|resumeRunDir|maxMemoryMB)$/],
  trial: [/^backend$/],
  score: [/^(dataFile|labels|threshold|backend)$/],
  reconstruct: [/^(dataFile|backend|set)$/],
};
/** Strings limited to a set of values. */
const ENUMS = [
  /^type$/,
  /^threshold\.kind$/,
  /^level$/,
  /(^|\.)status$/,
  /(^|\.)backend$/,
  /(^|\.)severity$/,
  /(^|\.)safety$/,
  /(^|\.)verdict$/,
  /^summary\.inputSpaceError\.set$/,
  /^set$/,
];
/** Whole numbers (>= 0 or >= 1). */
const COUNTS = [
  /^(epoch|batch|batches|epochs|parameters|batchesPerEpoch)$/,
  /^windows\.(train|validation|heldOut)$/,
  /^location\.(line|column)$/,
  /(^|\.)(trial|control|outcome)\.(epochs|trainWindows)$/,
  /(^|\.)plan\.(epochs|maxTrainWindows)$/,
  /^summary\.inputSpaceError\.windows$/,
  /^(done|total|events|window)$/,
  /^ranking\.\d+\.index$/,
  /^indices\.\d+$/,
];
/** Strings that may also be numbers, and record values that may be any primitive. */
const LABEL_LIKE = [/(^|\.)labels?(\.\d+)?$/, /(^|\.)data\.[^.]+$/];

const matches = (path: string, patterns: RegExp[]) => patterns.some((p) => p.test(path));

interface Leaf {
  keys: string[];
  /** The keys joined by '.', for matching the patterns above. */
  path: string;
  value: Json;
}

function leafPaths(value: Json, keys: string[] = []): Leaf[] {
  const path = keys.join('.');
  if (keys.length > 0 && matches(path, FREE)) return [];
  const here = keys.length === 0 ? [] : [{ keys, path, value }];
  if (Array.isArray(value)) return [...here, ...value.flatMap((v, i) => leafPaths(v, [...keys, String(i)]))];
  if (value !== null && typeof value === 'object') return [...here, ...Object.entries(value).flatMap(([k, v]) => leafPaths(v, [...keys, k]))];
  return here;
}

function setAt(root: Json, keys: string[], replace: (parent: Record<string, Json>, key: string) => void): Json {
  const copy = structuredClone(root);
  let node = copy as Record<string, Json>;
  for (const k of keys.slice(0, -1)) node = node[k] as Record<string, Json>;
  replace(node, keys[keys.length - 1]);
  return copy;
}

/** A value of a different kind than `value`, invalid wherever `value`'s kind is expected at `path`. */
function wrongKind(value: Json, path: string, rng: Rng): Json {
  const pick = <T>(options: T[]): T => options[Math.floor(rng() * options.length)];
  if (Array.isArray(value)) return pick<Json>([{}, 7, 'x', null, true]);
  if (value !== null && typeof value === 'object') return pick<Json>([[], 7, 'x', null, false]);
  // A leaf: containers are never valid leaves; kind swaps only where the field does not take both.
  const containers: Json[] = [{}, [], [1], { a: 1 }];
  if (matches(path, LABEL_LIKE)) return pick(containers);
  if (typeof value === 'number') return pick<Json>([...containers, 'x', '1', true]);
  if (typeof value === 'string') return pick<Json>([...containers, 42, true, null]);
  if (typeof value === 'boolean') return pick<Json>([...containers, 'yes', 1]);
  return pick(containers); // null (a nullable number): 'x' would be wrong too, but containers suffice
}

type Mutation = { description: string; value: unknown } | undefined;

function mutate(base: Json, rng: Rng): Mutation {
  const type = String((base as Record<string, Json>).type);
  const leaves = leafPaths(base);
  const pick = <T>(options: T[]): T => options[Math.floor(rng() * options.length)];
  const target = pick(leaves);
  const kind = Math.floor(rng() * 5);
  if (kind === 0) {
    const optional = matches(target.path, OPTIONAL_EVERYWHERE) || matches(target.path, OPTIONAL_BY_TYPE[type] ?? []);
    // Removing an array element changes lengths, not kinds: handled by the other mutations.
    if (optional || /\.\d+$|^\d+$/.test(target.path)) return undefined;
    return { description: `${target.path} removed`, value: setAt(base, target.keys, (p, k) => delete p[k]) };
  }
  if (kind === 1 && matches(target.path, ENUMS) && typeof target.value === 'string') {
    return { description: `${target.path} = 'bogus'`, value: setAt(base, target.keys, (p, k) => (p[k] = 'bogus')) };
  }
  if (kind === 2 && matches(target.path, COUNTS) && typeof target.value === 'number') {
    const bad = pick([-1, 0.5, Number.NaN, Number.POSITIVE_INFINITY, -0.001, 2 ** 60]);
    // 0 is a valid count for sizes; -1 etc. are not. (epoch 0 is covered by >= 1 counts only.)
    return { description: `${target.path} = ${bad}`, value: setAt(base, target.keys, (p, k) => (p[k] = bad)) };
  }
  if (kind === 3) return shapeMutation(base, rng);
  const replacement = wrongKind(target.value, target.path, rng);
  return { description: `${target.path} = ${JSON.stringify(replacement)}`, value: setAt(base, target.keys, (p, k) => (p[k] = replacement)) };
}

/** Lengths that must agree: a window's rows, features per row, labels per vector, batch <= batches. */
function shapeMutation(base: Json, rng: Rng): Mutation {
  const e = structuredClone(base) as Record<string, Json>;
  switch (e.type) {
    case 'reconstructions': {
      const w = (e.windows as Array<Record<string, Json>>)[Math.floor(rng() * (e.windows as Json[]).length)];
      const field = ['input', 'output', 'stepError'][Math.floor(rng() * 3)];
      if (rng() < 0.5 || field === 'stepError') (w[field] as Json[]).pop();
      else ((w[field] as Json[][])[0] as Json[]).push(1);
      return { description: `reconstructions: ${field} length changed`, value: e };
    }
    case 'latents':
      if (e.indices) (e.indices as Json[]).pop();
      else if (rng() < 0.5) (e.labels as Json[]).pop();
      else ((e.vectors as Json[][])[1] as Json[]).push(0.5);
      return { description: 'latents: ragged', value: e };
    case 'batch':
      e.batch = (e.batches as number) + 1;
      return { description: 'batch > batches', value: e };
    default:
      return undefined;
  }
}

const NON_OBJECTS: unknown[] = [null, undefined, 0, 'started', [], [{ type: 'log', level: 'info', message: 'x' }], true, () => undefined];

describe('worker protocol guards', () => {
  test('accept every valid event and request, and harmless variants', () => {
    for (const e of validEvents()) assert.ok(isWorkerEvent(e), `rejected valid ${e.type}: ${JSON.stringify(e).slice(0, 300)}`);
    for (const r of validRequests()) assert.ok(isWorkerRequest(r), `rejected valid ${JSON.stringify(r)}`);
    assert.ok(isWorkerEvent({ type: 'epoch', epoch: 3, loss: Number.NaN, valLoss: null, lr: 0.01, seconds: 1 }), 'a diverged loss is data');
    assert.ok(isWorkerEvent({ type: 'log', level: 'info', message: 'x', extra: 1 }), 'unknown extra fields are ignored');
    assert.ok(isWorkerEvent({ type: 'failed', message: 'no config' }), 'a failure before any folder has no runDir');
  });

  test('reject every one of 20,000 malformed events (seeded mutations)', () => {
    const rng = createRng(20260411);
    const bases = validEvents() as unknown as Json[];
    const accepted: string[] = [];
    const kinds = new Map<string, number>();
    let tried = 0;
    for (const value of NON_OBJECTS) {
      tried++;
      if (isWorkerEvent(value)) accepted.push(`non-object ${String(value)}`);
    }
    while (tried < 20_000) {
      const base = bases[Math.floor(rng() * bases.length)] as Record<string, Json>;
      const m = mutate(base, rng);
      if (m === undefined) continue;
      tried++;
      kinds.set(String(base.type), (kinds.get(String(base.type)) ?? 0) + 1);
      if (isWorkerEvent(m.value)) accepted.push(`${String(base.type)}: ${m.description}`);
    }
    assert.deepEqual(accepted.slice(0, 20), [], `${accepted.length} of ${tried} malformed events accepted`);
    // Every event type was mutated many times.
    for (const e of validEvents()) assert.ok((kinds.get(e.type) ?? 0) > 1000, `${e.type}: only ${kinds.get(e.type)} mutations`);
  });

  test('reject every one of 5,000 malformed requests (seeded mutations)', () => {
    const rng = createRng(7);
    const bases = validRequests().filter((r) => r.type !== 'cancel') as unknown as Json[];
    const accepted: string[] = [];
    let tried = 0;
    for (const value of NON_OBJECTS) {
      tried++;
      if (isWorkerRequest(value)) accepted.push(`non-object ${String(value)}`);
    }
    for (const bad of [
      { type: 'start' },
      { type: 'start', configFile: '', runsDir: '/r' },
      { type: 'start', configFile: '/c', runsDir: '/r', maxMemoryMB: -1 },
      { type: 'stop' },
    ]) {
      tried++;
      if (isWorkerRequest(bad)) accepted.push(JSON.stringify(bad));
    }
    while (tried < 5_000) {
      const base = bases[Math.floor(rng() * bases.length)];
      const m = mutate(base, rng);
      if (m === undefined) continue;
      tried++;
      if (isWorkerRequest(m.value)) accepted.push(m.description);
    }
    assert.deepEqual(accepted.slice(0, 20), [], `${accepted.length} of ${tried} malformed requests accepted`);
  });
});
