#!/usr/bin/env node
// Builds examples/data/nab_sensors.csv, a 7-sensor table for the multi-sensor pitfall configs.
// NAB has no multi-sensor file, so the columns are real single-sensor series laid side by side:
//   timestamp    art_daily_small_noise.csv timestamps (4032 rows, 5-minute cadence)
//   small_noise  art_daily_small_noise.csv value
//   jumpsup      art_daily_jumpsup.csv value
//   temp_a..e    machine_temperature_system_failure.csv value, rows 0-4031, 4032-8063, ... (five
//                consecutive 4032-row slices; the last one ends at row 20159 of 22695)
// Values are copied as the original text, never re-printed, so the output is byte-for-byte
// deterministic. `--check` regenerates in memory and exits 1 if the file on disk differs.
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const dataDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'examples', 'data');
const outFile = join(dataDir, 'nab_sensors.csv');
const ROWS = 4032;
const TEMP_COLUMNS = ['temp_a', 'temp_b', 'temp_c', 'temp_d', 'temp_e'];

/** Reads a NAB `timestamp,value` file into parallel arrays of the raw field texts. */
function readNab(name) {
  const lines = readFileSync(join(dataDir, name), 'utf8')
    .split('\n')
    .filter((l) => l.length > 0);
  if (lines[0] !== 'timestamp,value') throw new Error(`${name}:1: expected header "timestamp,value", got "${lines[0]}"`);
  const timestamps = [];
  const values = [];
  lines.slice(1).forEach((line, i) => {
    const fields = line.split(',');
    if (fields.length !== 2 || !Number.isFinite(Number(fields[1]))) {
      throw new Error(`${name}:${i + 2}: expected "timestamp,number", got "${line}"`);
    }
    timestamps.push(fields[0]);
    values.push(fields[1]);
  });
  return { timestamps, values };
}

function buildCsv() {
  const smallNoise = readNab('art_daily_small_noise.csv');
  const jumpsUp = readNab('art_daily_jumpsup.csv');
  const temperature = readNab('machine_temperature_system_failure.csv');
  if (smallNoise.values.length !== ROWS || jumpsUp.values.length !== ROWS) {
    throw new Error(`art_daily files must have ${ROWS} rows (got ${smallNoise.values.length}, ${jumpsUp.values.length})`);
  }
  if (temperature.values.length < ROWS * TEMP_COLUMNS.length) {
    throw new Error(`machine_temperature_system_failure.csv has ${temperature.values.length} rows, need ${ROWS * TEMP_COLUMNS.length}`);
  }
  const out = [['timestamp', 'small_noise', 'jumpsup', ...TEMP_COLUMNS].join(',')];
  for (let row = 0; row < ROWS; row++) {
    const temps = TEMP_COLUMNS.map((_, slice) => temperature.values[slice * ROWS + row]);
    out.push([smallNoise.timestamps[row], smallNoise.values[row], jumpsUp.values[row], ...temps].join(','));
  }
  return out.join('\n') + '\n';
}

const csv = buildCsv();
if (process.argv.includes('--check')) {
  let onDisk = '';
  try {
    onDisk = readFileSync(outFile, 'utf8');
  } catch {
    console.error(`${outFile} is missing; run node scripts/make-nab-sensors.mjs`);
    process.exit(1);
  }
  if (onDisk !== csv) {
    console.error(`${outFile} differs from what scripts/make-nab-sensors.mjs generates; rerun it`);
    process.exit(1);
  }
  console.log(`${outFile} is up to date`);
} else {
  writeFileSync(outFile, csv);
  console.log(`wrote ${outFile} (${ROWS} rows x ${2 + TEMP_COLUMNS.length} sensors)`);
}
