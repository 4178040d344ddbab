// How long a user waits for diagnostics after an edit: the time from sending `didChange` to
// receiving `publishDiagnostics`, over stdio against the real bundled server (dist/server.js).
// The server's debounce is set to 0 so the figure is the lint and transport alone; in the editor
// the configured debounce (100 ms by default) comes on top. Target: median under 20 ms.
//
// Run alone: `node esbuild.mjs && npx tsc -p tsconfig.test.json --outDir out && node out/bench/lint-latency.js`
// (bench/bench.ts calls benchLintLatency for `npm run bench`).

import { readFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { LspStdioClient, repoRoot } from './lspStdioClient';

export const LINT_LATENCY_TARGET_MS = 20;

export interface LintLatencyResult {
  config: string;
  edits: number;
  warmupEdits: number;
  medianMs: number;
  p95Ms: number;
  minMs: number;
  maxMs: number;
  targetMs: number;
  meetsTarget: boolean;
  /** Diagnostics published for the last edit (shows the lint did real work). */
  diagnostics: number;
  /** One-minute load average and core count while measuring: on a busy machine the tail is the scheduler's. */
  loadAverage: number;
  cores: number;
}

export interface LintLatencyOptions {
  /** Config to edit, relative to the repository root. */
  config?: string;
  edits?: number;
  warmupEdits?: number;
  /** A document to lint instead of a config file (e.g. generated Python), with its language and target. */
  document?: { label: string; uri: string; text: string; languageId: string; targetMs: number };
}

/** The pitfall of setup 2: small, realistic, and it reads a real data file on every lint. */
const DEFAULT_CONFIG = 'examples/pitfalls/02-relu-bottleneck.tsae.yaml';

export async function benchLintLatency(options: LintLatencyOptions = {}): Promise<LintLatencyResult> {
  const config = options.document?.label ?? options.config ?? DEFAULT_CONFIG;
  const edits = options.edits ?? 40;
  const warmupEdits = options.warmupEdits ?? 10;
  const file = join(repoRoot(), config);
  const original = options.document?.text ?? readFileSync(file, 'utf8');
  const uri = options.document?.uri ?? pathToFileURL(file).toString();
  const targetMs = options.document?.targetMs ?? LINT_LATENCY_TARGET_MS;

  const client = await LspStdioClient.start({ server: { debounceMs: 0 } });
  try {
    await client.open(uri, options.document?.languageId ?? (file.endsWith('.json') ? 'tsae-json' : 'tsae-yaml'), original);
    // The first lint reads and probes the data file; later ones hit the server's cache.
    await client.diagnostics(uri, { timeoutMs: 30_000 });
    const samples: number[] = [];
    let diagnostics = 0;
    for (let i = 0; i < warmupEdits + edits; i++) {
      // A realistic edit: typing into the name, which changes the text but not the data to read.
      const text = editedText(original, i);
      const started = process.hrtime.bigint();
      const version = await client.change(uri, text);
      const published = await client.diagnostics(uri, { version });
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      if (i >= warmupEdits) samples.push(ms);
      diagnostics = published.diagnostics.length;
    }
    samples.sort((a, b) => a - b);
    const medianMs = quantile(samples, 0.5);
    return {
      config,
      edits,
      warmupEdits,
      medianMs,
      p95Ms: quantile(samples, 0.95),
      minMs: samples[0],
      maxMs: samples[samples.length - 1],
      targetMs,
      meetsTarget: medianMs <= targetMs,
      diagnostics,
      loadAverage: loadavg()[0],
      cores: availableParallelism(),
    };
  } finally {
    await client.dispose();
  }
}

/** The config with a comment line that differs per edit appended, so every version is new text. */
function editedText(original: string, i: number): string {
  const eol = original.endsWith('\n') ? '' : '\n';
  return `${original}${eol}# edit ${i}\n`;
}

/** Linear interpolation between order statistics of sorted `values`. */
function quantile(sorted: number[], q: number): number {
  const at = (sorted.length - 1) * q;
  const low = Math.floor(at);
  const high = Math.ceil(at);
  return sorted[low] + (sorted[high] - sorted[low]) * (at - low);
}

export function formatLintLatency(r: LintLatencyResult): string {
  return (
    `lint latency (didChange -> publishDiagnostics, debounce 0, ${r.edits} edits of ${r.config} after ${r.warmupEdits} warm-up): ` +
    `median ${r.medianMs.toFixed(1)} ms, p95 ${r.p95Ms.toFixed(1)} ms, min ${r.minMs.toFixed(1)} ms, max ${r.maxMs.toFixed(1)} ms; ` +
    `target ${r.targetMs} ms median: ${r.meetsTarget ? 'met' : 'MISSED'} (load ${r.loadAverage.toFixed(1)} on ${r.cores} cores)`
  );
}

// Keyed on the script name, not `require.main === module`: inside the dist/bench.js bundle that
// test is true too, and this benchmark would run on import.
if (/(^|[\\/])lint-latency\.js$/.test(process.argv[1] ?? '')) {
  benchLintLatency().then(
    (result) => console.log(formatLintLatency(result)),
    (error) => {
      console.error(error instanceof Error ? error.message : error);
      process.exitCode = 1;
    },
  );
}
