// Inputs for the fuzzers: seeded mutations of the bundled example configs and of data files, and
// the special inputs issue 11 found (files without line breaks, a 2 GB sparse file, a FIFO,
// CR-only line ends, BOMs, 60,000 YAML keys, duplicate keys, brackets in comments, bad cells).

import { execFileSync } from 'node:child_process';
import { closeSync, ftruncateSync, mkdirSync, openSync, readdirSync, readFileSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { createRng } from '../../src/core/data/random';
import { repoRoot } from '../../bench/lspStdioClient';

export type Rng = () => number;

export const EXAMPLES_DIR = join(repoRoot(), 'examples');

export interface ConfigSeed {
  name: string;
  /** Absolute path of the example, so relative data paths resolve as in the editor. */
  file: string;
  text: string;
  languageId: 'tsae-yaml' | 'tsae-json';
}

/** Every bundled example config (top level and pitfalls). */
export function exampleConfigs(): ConfigSeed[] {
  const seeds: ConfigSeed[] = [];
  for (const dir of [EXAMPLES_DIR, join(EXAMPLES_DIR, 'pitfalls')]) {
    for (const name of readdirSync(dir).sort()) {
      if (!/\.tsae\.(ya?ml|json)$/.test(name)) continue;
      const file = join(dir, name);
      seeds.push({ name, file, text: readFileSync(file, 'utf8'), languageId: name.endsWith('.json') ? 'tsae-json' : 'tsae-yaml' });
    }
  }
  return seeds;
}

export const pick = <T>(rng: Rng, items: readonly T[]): T => items[Math.floor(rng() * items.length)];
const int = (rng: Rng, below: number): number => Math.floor(rng() * below);

const SNIPPETS = [
  '[',
  ']',
  '{',
  '}',
  ':',
  ',',
  '"',
  "'",
  '#',
  '- ',
  '\n',
  '\r',
  '\r\n',
  '\t',
  '\0',
  '\uFEFF',
  '|',
  '>',
  '&a',
  '*a',
  '!!str ',
  '\\',
  '1e308',
  '-1',
  '0',
  '1e400',
  'NaN',
  '.inf',
  'null',
  '~',
  'true',
  '0x1F',
  '99999999',
  'é',
  '🙂',
  '\u2028',
  '__proto__',
  'constructor',
];

/** Special data files, made once per fuzz run in `dir`; values are absolute paths. */
export function specialDataFiles(dir: string): Record<string, string> {
  mkdirSync(dir, { recursive: true });
  const files: Record<string, string> = {};
  const put = (name: string, content: string | Buffer): void => {
    files[name] = join(dir, name);
    writeFileSync(files[name], content);
  };
  const series = (n: number, f: (i: number) => string): string => Array.from({ length: n }, (_, i) => f(i)).join('\n');
  put('cr-only.csv', `timestamp,value\r${series(300, (i) => `${i},${Math.sin(i / 5)}`).replace(/\n/g, '\r')}\r`);
  put('bom-crlf.csv', `\uFEFFtimestamp,value\r\n${series(300, (i) => `${i},${Math.sin(i / 5)}`).replace(/\n/g, '\r\n')}\r\n`);
  put('bad-cells.csv', `timestamp,value,other\n${series(300, (i) => `${i},${['N/A', '"1,234.5"', '0x1F', '0b1', String(i)][i % 5]},${i}`)}\n`);
  put('constant.csv', `timestamp,value\n${series(300, (i) => `${i},5`)}\n`);
  put('huge.csv', `timestamp,value\n${series(300, (i) => `${i},${i % 2 ? '1e308' : '-1e308'}`)}\n`);
  put('clock-reset.csv', `timestamp,value\n${series(300, (i) => `${i < 150 ? i : i - 20},${Math.cos(i)}`)}\n`);
  put('no-newline.csv', '7'.repeat(6 * 1024 * 1024));
  put('nul.csv', Buffer.alloc(100_000));
  put('unclosed-quote.csv', `timestamp,value\n1,"2\n${series(3000, (i) => `${i},${i}`)}\n`);
  // A 2 GB sparse file costs no disk.
  files['sparse.csv'] = join(dir, 'sparse.csv');
  const fd = openSync(files['sparse.csv'], 'w');
  ftruncateSync(fd, 2 * 1024 ** 3);
  closeSync(fd);
  // A 32 MB line.
  files['long-line.csv'] = join(dir, 'long-line.csv');
  const long = openSync(files['long-line.csv'], 'w');
  writeSync(long, 'timestamp,value\n1,');
  const block = Buffer.from('9'.repeat(1024 * 1024));
  for (let i = 0; i < 32; i++) writeSync(long, block);
  writeSync(long, '\n');
  closeSync(long);
  if (process.platform !== 'win32') {
    files['fifo.csv'] = join(dir, 'fifo.csv');
    execFileSync('mkfifo', [files['fifo.csv']]);
  }
  files['directory'] = dir;
  return files;
}

/** Special config texts, each a reproducer from issue 11. */
export function specialConfigs(dataFiles: Record<string, string>): Array<{ label: string; text: string; languageId: 'tsae-yaml' | 'tsae-json' }> {
  const yaml = (dataPath: string, extra = ''): string =>
    `data:\n  path: ${JSON.stringify(dataPath)}\n${extra}windowing:\n  length: 16\nmodel:\n  encoder: [{units: 8}]\n  latent: {size: 4}\n  decoder: [{units: 8}]\n`;
  const out: Array<{ label: string; text: string; languageId: 'tsae-yaml' | 'tsae-json' }> = [];
  for (const [name, file] of Object.entries(dataFiles)) out.push({ label: `data ${name}`, text: yaml(file), languageId: 'tsae-yaml' });
  const keys = Array.from({ length: 60_000 }, (_, i) => `  k${i}: ${i}`).join('\n');
  out.push({ label: '60,000 YAML keys', text: `${yaml('data/nab_sensors.csv')}extra:\n${keys}\n`, languageId: 'tsae-yaml' });
  out.push({ label: 'duplicate keys (JSON)', text: '{"data": {"path": "data/nab_sensors.csv", "path": "x"}, "windowing": {"length": 8}}', languageId: 'tsae-json' });
  out.push({ label: 'JSON with a BOM', text: `\uFEFF{"data": {"path": "data/nab_sensors.csv"}, "windowing": {"length": 8}}`, languageId: 'tsae-json' });
  out.push({ label: 'brackets in comments', text: `# ${'['.repeat(500)}\n${yaml('data/nab_sensors.csv')}note: |\n  ${'{'.repeat(500)}\n`, languageId: 'tsae-yaml' });
  out.push({ label: 'deep nesting', text: `a: ${'['.repeat(50_000)}`, languageId: 'tsae-yaml' });
  out.push({ label: 'CR-only config', text: yaml('data/nab_sensors.csv').replace(/\n/g, '\r'), languageId: 'tsae-yaml' });
  out.push({ label: 'units 100000', text: yaml('data/nab_sensors.csv').replace('units: 8', 'units: 100000'), languageId: 'tsae-yaml' });
  return out;
}

/** One random edit of `text`; `label` says what was done (for the slowest-inputs list). */
export function mutate(rng: Rng, text: string, dataFiles: Record<string, string>): { text: string; label: string } {
  const at = int(rng, text.length + 1);
  switch (int(rng, 9)) {
    case 0: {
      const length = 1 + int(rng, 40);
      return { text: text.slice(0, at) + text.slice(at + length), label: `delete ${length} at ${at}` };
    }
    case 1: {
      const snippet = pick(rng, SNIPPETS);
      return { text: text.slice(0, at) + snippet + text.slice(at), label: `insert ${JSON.stringify(snippet)} at ${at}` };
    }
    case 2: {
      const length = 1 + int(rng, 200);
      const span = text.slice(at, at + length);
      return { text: text.slice(0, at) + span + span + text.slice(at + length), label: `duplicate ${length} at ${at}` };
    }
    case 3:
      return { text: text.slice(0, at), label: `truncate at ${at}` };
    case 4: {
      const lines = text.split('\n');
      const a = int(rng, lines.length);
      const b = int(rng, lines.length);
      [lines[a], lines[b]] = [lines[b], lines[a]];
      return { text: lines.join('\n'), label: `swap lines ${a} ${b}` };
    }
    case 5: {
      const numbers = [...text.matchAll(/-?\d+(\.\d+)?(e-?\d+)?/g)];
      if (numbers.length === 0) return { text, label: 'no number' };
      const match = pick(rng, numbers);
      const value = pick(rng, ['0', '-1', '1e308', '1e-320', '100000', '3.5', '2147483648', 'NaN', '1e400']);
      return { text: text.slice(0, match.index) + value + text.slice(match.index! + match[0].length), label: `number -> ${value}` };
    }
    case 6: {
      const name = pick(rng, Object.keys(dataFiles));
      const replaced = text.replace(/("?path"?\s*:\s*)("[^"\n]*"|[^\s,}\n]+)/, (_, key: string) => `${key}${JSON.stringify(dataFiles[name])}`);
      return { text: replaced, label: `data path -> ${name}` };
    }
    case 7: {
      const ends = pick(rng, ['\r\n', '\r']);
      return { text: text.replace(/\n/g, ends), label: `line ends ${JSON.stringify(ends)}` };
    }
    default: {
      const count = 2 + int(rng, 5);
      let out = text;
      for (let i = 0; i < count; i++) out = mutate(rng, out, dataFiles).text;
      return { text: out, label: `${count} mutations` };
    }
  }
}

export function seededRng(seed: number): Rng {
  return createRng(seed);
}

/** Percentile (0..100) of `values` (nearest rank). */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}
