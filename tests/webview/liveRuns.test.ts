import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { isHostToWebview, isRunData } from '../../src/core/protocol/webview';
import type { WorkerEvent } from '../../src/core/protocol/worker';
import { LiveRuns, MAX_FINISHED_KEPT, type LiveUpdate } from '../../src/extension/panels/liveRuns';
import { buildRun, RELU_FINDING } from './fixtureRun';

const configFile = '/w/examples/pitfalls/02-relu-bottleneck.tsae.yaml';
const runDir = '/w/.tsae/runs/20260102-100000-relu';
const full = buildRun({ windows: 10, steps: 8 });
// Live windows are a sample, so their indices are not 0..n-1.
const fixture = { ...full, reconstructions: { ...full.reconstructions, windows: full.reconstructions.windows.filter((w) => w.index % 3 === 0) } };
fixture.latents = { ...full.latents, vectors: fixture.reconstructions.windows.map((w) => full.latents.vectors[w.index]) };

function started(): WorkerEvent {
  return {
    type: 'started',
    runDir,
    backend: 'wasm',
    backendReason: 'auto: tfjs-node missing',
    parameters: 99,
    compressionRatio: 8,
    windows: { train: 10, validation: 4, heldOut: 0 },
    epochs: 3,
    batchesPerEpoch: 2,
  };
}

describe('live runs from worker events', () => {
  test('folds a whole run into dashboard data and valid webview messages', () => {
    const live = new LiveRuns();
    const updates: LiveUpdate[] = [];
    live.onUpdate((u) => updates.push(u));
    live.handle({ configFile, event: started() });
    const run = live.get(runDir);
    assert.ok(run);
    assert.equal(run.summary.status, 'running');
    assert.equal(run.summary.backend, 'wasm');

    // Later events may omit the run folder: they belong to the config's current run.
    const events: WorkerEvent[] = [
      { type: 'batch', epoch: 1, batch: 1, batches: 2, loss: 0.9 },
      { type: 'epoch', ...fixture.metrics[0] },
      { type: 'epoch', ...fixture.metrics[1] },
      { type: 'reconstructions', epoch: 2, features: ['value'], windows: fixture.reconstructions.windows },
      { type: 'latents', epoch: 2, vectors: fixture.latents.vectors },
      { type: 'finding', finding: RELU_FINDING },
      { type: 'log', level: 'info', message: 'hello' },
    ];
    for (const event of events) live.handle({ configFile, event });
    assert.equal(run.metrics.length, 2);
    assert.equal(run.summary.trainLoss, fixture.metrics[1].loss);
    assert.equal(run.reconstructions?.windows.length, 4);
    assert.deepEqual(
      run.latents?.indices,
      fixture.reconstructions.windows.map((w) => w.index),
      'latent rows are named by the live windows',
    );
    assert.equal(run.summary.findings.length, 1);
    assert.ok(isRunData(run), 'live data must pass the same guard as data read from disk');
    for (const u of updates) if (u.message) assert.ok(isHostToWebview(u.message), u.message.type);
    assert.equal(updates.filter((u) => u.message === undefined).length, 3, 'started, batch and log change no panel');

    const summary = { ...fixture.summary, name: 'relu' };
    live.handle({ configFile, runDir, event: { type: 'finished', runDir, summary } });
    assert.equal(live.get(runDir)?.summary, summary);
    assert.deepEqual(updates[updates.length - 1].message, { type: 'status', summary });

    // Finished: forgotten once the files on disk say everything; events for it are ignored.
    live.forget(runDir);
    assert.equal(live.get(runDir), undefined);
    assert.equal(live.handle({ configFile, event: { type: 'epoch', ...fixture.metrics[2] } }), undefined);
  });

  test("the ranking of every window and the latents' own indices pass through", () => {
    const live = new LiveRuns();
    live.handle({ configFile, event: started() });
    const ranking = full.reconstructions.windows.map(({ index, start, error }) => ({ index, start, error }));
    // The values of a few windows (worst and sample), and latents of other windows named by their indices.
    const u1 = live.handle({ configFile, event: { type: 'reconstructions', epoch: 1, features: ['value'], windows: fixture.reconstructions.windows, ranking } });
    const u2 = live.handle({ configFile, event: { type: 'latents', epoch: 1, vectors: full.latents.vectors.slice(0, 2), indices: [5, 7] } });
    const run = live.get(runDir)!;
    assert.equal(run.reconstructions?.ranking?.length, full.reconstructions.windows.length);
    assert.equal(u1?.message?.type === 'reconstructions' && u1.message.ranking?.length, ranking.length);
    assert.deepEqual(run.latents?.indices, [5, 7]);
    assert.ok(u2?.message && isHostToWebview(u2.message));
    assert.ok(isRunData(run));
  });

  test('a failure keeps the reason and marks the run failed', () => {
    const live = new LiveRuns();
    live.handle({ configFile, event: started() });
    const update = live.handle({
      configFile,
      event: { type: 'failed', message: 'loss became NaN at epoch 2', location: { file: configFile, line: 12, field: 'training.learningRate' } },
    });
    assert.equal(update?.message?.type, 'status');
    assert.equal(live.get(runDir)?.summary.status, 'failed');
    assert.equal(live.get(runDir)?.summary.reason, 'loss became NaN at epoch 2');
    live.forget(runDir);
    assert.equal(live.get(runDir), undefined);
  });

  test('a running run is not forgotten', () => {
    const live = new LiveRuns();
    live.handle({ configFile, event: started() });
    live.forget(runDir);
    assert.ok(live.get(runDir));
    assert.equal(live.all().length, 1);
  });

  test('only the newest finished runs stay in memory', () => {
    const live = new LiveRuns();
    const total = MAX_FINISHED_KEPT + 3;
    for (let i = 0; i < total; i++) {
      const dir = `/w/.tsae/runs/${i}`;
      live.handle({ configFile, event: { ...(started() as Extract<WorkerEvent, { type: 'started' }>), runDir: dir } });
      live.handle({ configFile, event: { type: 'finished', runDir: dir, summary: { ...fixture.summary, name: String(i) } } });
    }
    assert.equal(live.all().length, MAX_FINISHED_KEPT);
    assert.equal(live.get('/w/.tsae/runs/0'), undefined);
    assert.ok(live.get(`/w/.tsae/runs/${total - 1}`));
  });

  test("a resumed run's earlier epochs come from its folder, before the live ones, and dashboards get the whole run", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tsae-live-resume-'));
    try {
      const [first, second, third] = fixture.metrics;
      fs.writeFileSync(path.join(dir, 'metrics.jsonl'), [first, second].map((m) => JSON.stringify(m) + '\n').join(''));
      const live = new LiveRuns();
      const updates: LiveUpdate[] = [];
      live.onUpdate((u) => updates.push(u));
      const start = { ...(started() as Extract<WorkerEvent, { type: 'started' }>), runDir: dir };
      live.handle({ configFile, event: start });
      // The live epoch may arrive before the folder is read; it stays after the saved ones.
      live.handle({ configFile, event: { type: 'epoch', ...third } });
      // handle() reads the folder in the background; its 'init' update says it is done.
      for (let i = 0; i < 200 && !updates.some((u) => u.message?.type === 'init'); i++) await new Promise((r) => setTimeout(r, 10));
      assert.equal(await live.seedHistory(dir, configFile, start), false, 'the saved epochs are added once');
      assert.deepEqual(
        live.get(dir)?.metrics.map((m) => m.epoch),
        [first.epoch, second.epoch, third.epoch],
      );
      const init = updates.find((u) => u.message?.type === 'init');
      assert.ok(init && isHostToWebview(init.message));
      // A new run's folder has no epochs yet: nothing to add.
      const fresh = fs.mkdtempSync(path.join(os.tmpdir(), 'tsae-live-new-'));
      live.handle({ configFile, event: { ...start, runDir: fresh } });
      assert.equal(await live.seedHistory(fresh, configFile, start), false);
      fs.rmSync(fresh, { recursive: true, force: true });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
