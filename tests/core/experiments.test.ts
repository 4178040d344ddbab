// Runs as experiments: notes in the run folder (sanitised, merged, written atomically), the
// config flattened to dotted keys, the keys that differ between runs, and the short diff a run
// shows against the previous run of its config.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describeChanges, diffConfigs, differingKeys, flattenConfig, parseTags, readRunConfig, readRunNotes, sanitiseNotes, updateRunNotes } from '../../src/core/run/experiments';
import { RUN_FILES } from '../../src/core/run/types';

function runFolder(config: unknown = { model: { latent: { size: 8 } } }): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tsae-exp-'));
  fs.writeFileSync(path.join(dir, RUN_FILES.summary), '{}');
  fs.writeFileSync(path.join(dir, RUN_FILES.config), JSON.stringify(config));
  return dir;
}

describe('run notes', () => {
  test('rename, tag and note are merged into notes.json and read back', async () => {
    const dir = runFolder();
    assert.deepEqual(await readRunNotes(dir), { tags: [] });
    await updateRunNotes(dir, { label: '  bigger latent ' });
    await updateRunNotes(dir, { tags: parseTags('sweep, latent, sweep,, ') });
    const written = await updateRunNotes(dir, { note: 'best so far' });
    assert.deepEqual(written, { label: 'bigger latent', tags: ['sweep', 'latent'], note: 'best so far' });
    assert.deepEqual(await readRunNotes(dir), written);
    // Clearing a field removes it.
    assert.deepEqual(await updateRunNotes(dir, { label: undefined }), { tags: ['sweep', 'latent'], note: 'best so far' });
    assert.deepEqual(
      fs.readdirSync(dir).filter((f) => f.includes('.tmp')),
      [],
      'no temp file left behind',
    );
  });

  test('a damaged or hostile notes.json reads as bounded, well-typed notes', async () => {
    const dir = runFolder();
    fs.writeFileSync(path.join(dir, RUN_FILES.notes), '{not json');
    assert.deepEqual(await readRunNotes(dir), { tags: [] });
    const notes = sanitiseNotes({ label: 'x'.repeat(500), tags: [1, 'a', { b: 2 }, 'a'], note: 42 });
    assert.equal(notes.label?.length, 80);
    assert.deepEqual(notes.tags, ['a']);
    assert.equal(notes.note, undefined);
  });

  test('notes are written only into run folders', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tsae-exp-'));
    await assert.rejects(updateRunNotes(dir, { label: 'x' }), /not a run folder/);
    assert.equal(fs.existsSync(path.join(dir, RUN_FILES.notes)), false);
  });
});

describe('config differences', () => {
  const a = {
    name: 'a',
    configFile: '/x/a.tsae.yaml',
    data: { columns: ['v', 'w'] },
    model: { encoder: [{ units: 32 }], latent: { size: 8, activation: 'linear' } },
    training: { learningRate: 0.002 },
  };
  const b = {
    name: 'b',
    configFile: '/y/b.tsae.yaml',
    data: { columns: ['v', 'w'] },
    model: { encoder: [{ units: 64 }], latent: { size: 16, activation: 'linear' } },
    training: { learningRate: 0.002 },
  };

  test('flattens to dotted keys; scalar lists stay one value; names and paths are left out', () => {
    assert.deepEqual(flattenConfig(a), {
      'data.columns': '[v, w]',
      'model.encoder.0.units': 32,
      'model.latent.size': 8,
      'model.latent.activation': 'linear',
      'training.learningRate': 0.002,
    });
  });

  test('differing keys across three configs, and a short diff with "+N more"', () => {
    const c = { ...b, training: { learningRate: 0.01 } };
    assert.deepEqual(differingKeys([flattenConfig(a), flattenConfig(b), flattenConfig(c)]), ['model.encoder.0.units', 'model.latent.size', 'training.learningRate']);
    const changes = diffConfigs(flattenConfig(a), flattenConfig(c));
    assert.deepEqual(describeChanges(changes, 2), ['model.encoder.0.units 32 → 64', 'model.latent.size 8 → 16', '+1 more']);
    assert.deepEqual(describeChanges(diffConfigs(flattenConfig(a), { ...flattenConfig(a), 'split.seed': 7 })), ['split.seed (unset) → 7']);
  });

  test("a run folder's resolved config is read flattened; a missing one is undefined", async () => {
    assert.deepEqual(await readRunConfig(runFolder({ windowing: { length: 64 } })), { 'windowing.length': 64 });
    assert.equal(await readRunConfig(fs.mkdtempSync(path.join(os.tmpdir(), 'tsae-exp-'))), undefined);
  });
});
