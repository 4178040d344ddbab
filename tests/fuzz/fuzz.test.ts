// The bounded fuzzers in the normal test run (issue 11): a few hundred mutated configs through
// the real language server and a few hundred mutated data files through the loader and the
// linter. `npm run fuzz` runs the same code for 10,000+ cases and prints the figures.

import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { specialConfigs, specialDataFiles } from './inputs';
import { formatLoaderReport, runLoaderFuzz } from './loaderFuzz';
import { formatLspReport, runLspFuzz } from './lspFuzz';

const dir = mkdtempSync(join(tmpdir(), 'tsae-fuzz-'));
after(() => rmSync(dir, { recursive: true, force: true }));

describe('fuzz (bounded)', () => {
  test('language server: special inputs and 300 mutated examples, no crash, no hang, no internal error', { timeout: 240_000 }, async () => {
    const dataFiles = specialDataFiles(join(dir, 'data'));
    const cases = specialConfigs(dataFiles).length + 300;
    // Generous: the CI machine may be busy; a hang is a server that never answers.
    const report = await runLspFuzz({ cases, seed: 11, hangMs: 30_000, dataFiles });
    const summary = formatLspReport(report);
    assert.equal(report.crashes.length, 0, summary);
    assert.equal(report.hangs.length, 0, summary);
    assert.equal(report.internalErrors.length, 0, summary);
    assert.equal(report.latencies.length, cases, summary);
  });

  test('loader: 300 mutated CSV and UCR files end in a dataset or a DataError, and lint agrees on bad cells', { timeout: 240_000 }, async () => {
    const report = await runLoaderFuzz({ cases: 300, seed: 12, dir: join(dir, 'loader'), hangMs: 30_000 });
    const summary = formatLoaderReport(report);
    assert.equal(report.crashes.length, 0, summary);
    assert.equal(report.hangs.length, 0, summary);
    assert.equal(report.disagreements.length, 0, summary);
    assert.ok(report.loaded > 0 && report.dataErrors > 0, `both outcomes occur: ${summary}`);
  });
});
