// The language-server fuzzer: the real server (dist/server.js) over stdio, fed the special inputs
// and then random mutations and truncations of every example config as didChange edits. Each
// edit must be answered with diagnostics for its version within `hangMs`; every 10th case also
// asks for a hover and completions. Crashes (the process exits, or logs an uncaught error or a
// failed handler), hangs and TSAE000 internal errors are collected with the input that caused
// them; latencies, the slowest inputs, the server's peak RSS and its CPU time are measured.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { LspStdioClient } from '../../bench/lspStdioClient';
import { exampleConfigs, mutate, percentile, pick, seededRng, specialConfigs, EXAMPLES_DIR } from './inputs';

export interface FuzzProblem {
  case: number;
  label: string;
  detail: string;
  /** The input, cut to 2,000 characters. */
  input: string;
}

export interface LspFuzzReport {
  cases: number;
  crashes: FuzzProblem[];
  hangs: FuzzProblem[];
  internalErrors: FuzzProblem[];
  /** didChange -> publishDiagnostics, ms, one per case that answered. */
  latencies: number[];
  /** Server CPU time (user + system, 10 ms ticks) spent between sending each didChange and its diagnostics. */
  cpuPerChange: number[];
  slowest: Array<{ ms: number; label: string; size: number }>;
  peakRssMB: number;
  /** Server user+system CPU time over the run, divided by the requests and notifications it answered. */
  cpuMsPerRequest: number;
  requests: number;
  serverRestarts: number;
  wallSeconds: number;
}

export interface LspFuzzOptions {
  cases: number;
  seed?: number;
  hangMs?: number;
  dataFiles: Record<string, string>;
  onProgress?: (done: number, report: LspFuzzReport) => void;
}

const CLOCK_TICK_MS = 10; // Linux USER_HZ is 100

/** RSS (MB) and CPU time (ms) of a process from /proc; undefined off Linux or after it exited. */
function processUsage(pid: number | undefined): { rssMB: number; cpuMs: number } | undefined {
  if (pid === undefined) return undefined;
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const rss = Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? NaN) / 1024;
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const cpuMs = (Number(fields[11]) + Number(fields[12])) * CLOCK_TICK_MS;
    return { rssMB: rss, cpuMs };
  } catch {
    return undefined;
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

const CRASH_MARKERS = /uncaught|unhandled rejection| failed: |threw/;

export async function runLspFuzz(options: LspFuzzOptions): Promise<LspFuzzReport> {
  const rng = seededRng(options.seed ?? 1);
  const hangMs = options.hangMs ?? 10_000;
  const seeds = exampleConfigs();
  const specials = specialConfigs(options.dataFiles);
  const report: LspFuzzReport = {
    cases: 0,
    crashes: [],
    hangs: [],
    internalErrors: [],
    latencies: [],
    cpuPerChange: [],
    slowest: [],
    peakRssMB: 0,
    cpuMsPerRequest: 0,
    requests: 0,
    serverRestarts: 0,
    wallSeconds: 0,
  };
  const started = Date.now();
  let client = await LspStdioClient.start({ server: { debounceMs: 0 } });
  let cpuBefore = processUsage(client.pid)?.cpuMs ?? 0;
  let cpuTotal = 0;
  let logSeen = 0;
  const open = new Map<string, boolean>();

  const restart = async (): Promise<void> => {
    cpuTotal += (processUsage(client.pid)?.cpuMs ?? cpuBefore) - cpuBefore;
    await client.dispose().catch(() => undefined);
    client = await LspStdioClient.start({ server: { debounceMs: 0 } });
    cpuBefore = processUsage(client.pid)?.cpuMs ?? 0;
    logSeen = 0;
    open.clear();
    report.serverRestarts++;
  };

  for (let n = 0; n < options.cases; n++) {
    let text: string;
    let label: string;
    let languageId: 'tsae-yaml' | 'tsae-json';
    let file: string;
    if (n < specials.length) {
      ({ text, label, languageId } = specials[n]);
      file = join(EXAMPLES_DIR, `fuzz-special-${n}.tsae.${languageId === 'tsae-json' ? 'json' : 'yaml'}`);
    } else {
      const seed = pick(rng, seeds);
      const mutated = mutate(rng, seed.text, options.dataFiles);
      ({ text, languageId, file } = { text: mutated.text, languageId: seed.languageId, file: seed.file.replace(/(\.tsae\.\w+)$/, '.fuzz$1') });
      label = `${seed.name}: ${mutated.label}`;
    }
    const uri = pathToFileURL(file).href;
    const problem = (detail: string): FuzzProblem => ({ case: n, label, detail, input: text.slice(0, 2000) });
    try {
      let version: number;
      const cpu0 = processUsage(client.pid)?.cpuMs;
      const t0 = performance.now();
      if (open.has(uri)) version = await client.change(uri, text);
      else {
        await client.open(uri, languageId, text);
        open.set(uri, true);
        version = client.version(uri);
      }
      const published = await client.diagnostics(uri, { version, timeoutMs: hangMs });
      const ms = performance.now() - t0;
      const cpu1 = processUsage(client.pid)?.cpuMs;
      if (cpu0 !== undefined && cpu1 !== undefined) report.cpuPerChange.push(cpu1 - cpu0);
      report.requests++;
      report.latencies.push(ms);
      report.slowest.push({ ms, label, size: text.length });
      if (report.slowest.length > 40) report.slowest = report.slowest.sort((a, b) => b.ms - a.ms).slice(0, 10);
      const internal = published.diagnostics.find((d) => d.code === 'TSAE000');
      if (internal) report.internalErrors.push(problem(internal.message));
      if (n % 10 === 0) {
        const line = Math.floor(rng() * Math.max(1, text.split('\n').length));
        await withTimeout(client.hover(uri, { line, character: 2 }), hangMs, 'hover');
        await withTimeout(client.completion(uri, { line, character: 3 }), hangMs, 'completion');
        report.requests += 2;
      }
    } catch (error) {
      const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
      if (client.hasExited) report.crashes.push(problem(`server exited: ${message}`));
      else report.hangs.push(problem(message));
      await restart();
      continue;
    }
    const log = client.log.slice(logSeen).join('');
    logSeen = client.log.length;
    if (CRASH_MARKERS.test(log)) report.crashes.push(problem(`server logged: ${log.slice(0, 500)}`));
    const usage = processUsage(client.pid);
    if (usage) report.peakRssMB = Math.max(report.peakRssMB, usage.rssMB);
    report.cases = n + 1;
    if (options.onProgress && (n + 1) % 500 === 0) options.onProgress(n + 1, report);
  }
  cpuTotal += (processUsage(client.pid)?.cpuMs ?? cpuBefore) - cpuBefore;
  await client.dispose();
  report.cases = options.cases;
  report.cpuMsPerRequest = report.requests > 0 ? cpuTotal / report.requests : 0;
  report.slowest = report.slowest.sort((a, b) => b.ms - a.ms).slice(0, 10);
  report.wallSeconds = (Date.now() - started) / 1000;
  return report;
}

export function formatLspReport(report: LspFuzzReport): string {
  const lines = [
    `LSP fuzz: ${report.cases} cases, ${report.requests} requests answered in ${report.wallSeconds.toFixed(0)} s (${report.serverRestarts} server restarts)`,
    `  crashes: ${report.crashes.length}, hangs: ${report.hangs.length}, TSAE000 internal errors: ${report.internalErrors.length}`,
    `  didChange -> diagnostics latency: p50 ${percentile(report.latencies, 50).toFixed(1)} ms, p99 ${percentile(report.latencies, 99).toFixed(1)} ms, max ${percentile(report.latencies, 100).toFixed(1)} ms`,
    `  server CPU time per didChange (10 ms ticks): p50 ${percentile(report.cpuPerChange, 50)} ms, p99 ${percentile(report.cpuPerChange, 99)} ms, max ${percentile(report.cpuPerChange, 100)} ms`,
    `  server peak RSS: ${report.peakRssMB.toFixed(0)} MB; server CPU time per request (all requests): ${report.cpuMsPerRequest.toFixed(2)} ms`,
    '  slowest inputs:',
    ...report.slowest.map((s) => `    ${s.ms.toFixed(0)} ms  ${s.size} chars  ${s.label}`),
  ];
  for (const [name, list] of [
    ['crash', report.crashes],
    ['hang', report.hangs],
    ['internal error', report.internalErrors],
  ] as const) {
    for (const p of list.slice(0, 10)) lines.push(`  ${name} at case ${p.case} (${p.label}): ${p.detail}\n    input: ${JSON.stringify(p.input.slice(0, 300))}`);
  }
  return lines.join('\n');
}
