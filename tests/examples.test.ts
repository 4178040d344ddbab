// The bundled example data is exactly what examples/data/README.md documents, and the derived
// nab_sensors.csv is what scripts/make-nab-sensors.mjs generates from the NAB files.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './helpers/textEdits';

const root = repoRoot();
const dataDir = join(root, 'examples', 'data');

/** `sha256  file` lines of the README's checksum block. */
function documentedChecksums(): Map<string, string> {
  const readme = readFileSync(join(dataDir, 'README.md'), 'utf8');
  const sums = new Map<string, string>();
  for (const match of readme.matchAll(/^([0-9a-f]{64}) {2}(\S+)$/gm)) sums.set(match[2], match[1]);
  return sums;
}

describe('examples/data', () => {
  const sums = documentedChecksums();

  test('every data file has a documented SHA-256 and every documented file exists', () => {
    const files = readdirSync(dataDir)
      .filter((name) => name !== 'README.md')
      .sort();
    assert.deepEqual([...sums.keys()].sort(), files);
  });

  for (const [file, expected] of sums) {
    test(`${file} matches its SHA-256`, () => {
      const actual = createHash('sha256')
        .update(readFileSync(join(dataDir, file)))
        .digest('hex');
      assert.equal(actual, expected);
    });
  }

  test('nab_sensors.csv is what scripts/make-nab-sensors.mjs generates', () => {
    const run = spawnSync(process.execPath, [join(root, 'scripts', 'make-nab-sensors.mjs'), '--check'], { encoding: 'utf8' });
    assert.equal(run.status, 0, run.stderr);
  });

  test('nab_sensors.csv has 7 sensors built from the documented slices', () => {
    const rows = readFileSync(join(dataDir, 'nab_sensors.csv'), 'utf8').trimEnd().split('\n');
    assert.equal(rows[0], 'timestamp,small_noise,jumpsup,temp_a,temp_b,temp_c,temp_d,temp_e');
    assert.equal(rows.length - 1, 4032);
    const temperature = readFileSync(join(dataDir, 'machine_temperature_system_failure.csv'), 'utf8').trimEnd().split('\n').slice(1);
    const lastRow = rows[4032].split(',');
    // temp_e's last value is machine temperature data row 20160 (index 20159).
    assert.equal(lastRow[7], temperature[5 * 4032 - 1].split(',')[1]);
    assert.equal(rows[1].split(',')[4], temperature[4032].split(',')[1]);
  });
});

describe('example configs', () => {
  test('DEVELOPERS.md names one existing pitfall file per setup, each with an expect line', () => {
    const developers = readFileSync(join(root, 'DEVELOPERS.md'), 'utf8');
    const named = [...developers.matchAll(/`(examples\/pitfalls\/[^`]+)`/g)].map((m) => m[1]);
    assert.equal(named.length, 5);
    for (const file of named) {
      const text = readFileSync(join(root, file), 'utf8');
      assert.match(text, /^# expect: TSAE\d{3}( TSAE\d{3})*$/m, `${file} has no "# expect:" line`);
    }
  });
});
