// `tsae eval RUN_DIR [DATA]`: scores every window of DATA (default: the run's own data file, all
// of it) with a finished run, flags windows above the threshold, merges them into events and,
// with labels, measures them. Runs in the CLI process itself: scoring is forward passes only.

import * as path from 'node:path';
import { BACKEND_NAMES, isBackendName, type BackendName } from '../core/config/types';
import { DataError } from '../core/data';
import { backendLine } from '../core/model/backend';
import { validateRunFolder, formatRunFolderProblems } from '../core/run/validate';
import { LabelError } from '../core/scoring/labels';
import { RunFolderError, scoreRun, writeScores, type ScoreResult } from '../core/scoring/score';
import { describeRule, parseThresholdRule, ThresholdError } from '../core/scoring/threshold';
import type { ScoresFile, ThresholdRule } from '../core/scoring/types';
import { EXIT_FINDINGS, EXIT_OK, processIo, type CliIo, exitForUsage } from './io';

const USAGE = `Usage: tsae eval RUN_DIR [DATA] [options]

Scores every window of DATA (default: the run's own data file, all rows) with the model saved in
RUN_DIR, cut as in the run's config. Windows whose error is above the threshold are merged into
events, named by the data's timestamps (or line numbers when it has no timestamp column).

Options:
  --threshold RULE        quantile:Q (Q quantile of the training windows' errors), std:K
                          (mean + K std of them), mad:K (median + K MAD of DATA's own window
                          scores) or a fixed number; default: the rule saved with the run, else
                          the config's evaluation.threshold, else mad:8 (series) or std:5 (rows)
  --threshold-quantile Q  same as --threshold quantile:Q
  --labels FILE|column    labelled anomalies: NAB combined_windows.json (entry matched by the
                          data file's name), a JSON array of [start, end] pairs, or 'column' for
                          the data's label column (default: the config's evaluation.labels, else
                          the label column when there is one)
  --smoothing L           series: score each window by the mean error of the windows within L
                          window lengths around it, quantile and std thresholds calibrated on
                          the run's own training windows scored alike (default: the config's
                          evaluation.smoothing, else 4; 0: each window's own error)
  --history L             series: compare each window's score with the scores of the windows
                          within L window lengths before it, as (score - their mean) / their
                          std, so thresholds read in those units (fixed:5: five std above the
                          recent past; default: the config's evaluation.history, else 0: none)
  --save                  write scores.json into RUN_DIR (the anomaly timeline reads it)
  --windows               also list every window (text) / include them (JSON)
  --backend B             auto | fused | tensorflow | wasm | cpu (default: auto)
  --json                  print one JSON object
  -h, --help              show this help

Exit codes: 0 scored, 1 the run, the data or the labels could not be read, 2 bad command line.
`;

export interface EvalArgs {
  runDir: string;
  data?: string;
  threshold?: ThresholdRule;
  labels?: string;
  smoothing?: number;
  history?: number;
  backend?: BackendName;
  json: boolean;
  save: boolean;
  windows: boolean;
}

export function parseEvalArgs(argv: string[]): EvalArgs | { help: true } | { error: string } {
  const positional: string[] = [];
  const args: Omit<EvalArgs, 'runDir'> = { json: false, save: false, windows: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    switch (arg) {
      case '-h':
      case '--help':
        return { help: true };
      case '--json':
        args.json = true;
        break;
      case '--save':
        args.save = true;
        break;
      case '--windows':
        args.windows = true;
        break;
      case '--threshold':
      case '--threshold-quantile': {
        const v = argv[++i];
        if (v === undefined) return { error: `${arg} needs a value` };
        const rule = parseThresholdRule(arg === '--threshold' ? v : `quantile:${v}`);
        if ('error' in rule) return { error: `${arg}: ${rule.error}` };
        args.threshold = rule;
        break;
      }
      case '--labels': {
        const v = argv[++i];
        if (v === undefined || v === '') return { error: '--labels needs a file or "column"' };
        args.labels = v;
        break;
      }
      case '--smoothing':
      case '--history': {
        const v = argv[++i];
        const max = arg === '--smoothing' ? 50 : 1000;
        const n = v === undefined || v.trim() === '' ? Number.NaN : Number(v);
        if (!(n >= 0 && n <= max)) return { error: `${arg} needs a number of window lengths from 0 to ${max}, got ${v ?? 'nothing'}` };
        args[arg === '--smoothing' ? 'smoothing' : 'history'] = n;
        break;
      }
      case '--backend': {
        const v = argv[++i];
        if (!isBackendName(v)) return { error: `--backend must be one of ${BACKEND_NAMES.join(', ')}, got ${v ?? 'nothing'}` };
        args.backend = v as BackendName;
        break;
      }
      default:
        if (arg.startsWith('-')) return { error: `unknown option ${arg}` };
        positional.push(arg);
    }
  }
  if (positional.length < 1 || positional.length > 2) return { error: `expected RUN_DIR and optionally DATA, got ${positional.length} arguments` };
  return { runDir: positional[0], ...(positional[1] !== undefined ? { data: positional[1] } : {}), ...args };
}

export async function runEval(argv: string[], io: CliIo = processIo()): Promise<number> {
  const parsed = parseEvalArgs(argv);
  if ('help' in parsed || 'error' in parsed) return exitForUsage('eval', parsed, USAGE, io);
  const runDir = path.resolve(io.cwd, parsed.runDir);
  const problems = await validateRunFolder(runDir, 'eval');
  if (problems.length > 0) io.stderr(`${formatRunFolderProblems(problems).replace(/^/gm, 'tsae eval: ')}\n`);
  if (problems.some((p) => p.severity === 'error')) return EXIT_FINDINGS;
  let result: ScoreResult;
  try {
    result = await scoreRun(runDir, parsed.data === undefined ? undefined : path.resolve(io.cwd, parsed.data), {
      ...(parsed.threshold ? { threshold: parsed.threshold } : {}),
      ...(parsed.labels ? { labels: parsed.labels === 'column' ? 'column' : path.resolve(io.cwd, parsed.labels) } : {}),
      ...(parsed.backend ? { backend: parsed.backend } : {}),
      ...(parsed.smoothing !== undefined ? { smoothing: parsed.smoothing } : {}),
      ...(parsed.history !== undefined ? { history: parsed.history } : {}),
    });
    if (parsed.save) await writeScores(runDir, result.scores);
  } catch (err) {
    if (err instanceof DataError || err instanceof RunFolderError || err instanceof LabelError || err instanceof ThresholdError) {
      io.stderr(`tsae eval: ${err.message}\n`);
      return EXIT_FINDINGS;
    }
    throw err;
  }
  if (parsed.json) io.stdout(`${JSON.stringify(jsonReport(result, parsed.windows))}\n`);
  else printText(io, result, parsed.windows);
  return EXIT_OK;
}

/** A window's start named as events are: timestamp, else line. */
function windowName(s: ScoresFile, w: number): string | number {
  const r = s.windows.firstRow[w];
  return s.rows.timestamp?.[r] ?? s.rows.line[r];
}

export function jsonReport(r: ScoreResult, withWindows: boolean) {
  const s = r.scores;
  const flagged = s.windows.score.filter((x) => x > s.threshold.value).length;
  return {
    runDir: s.runDir,
    data: s.dataFile,
    backend: r.backend.backend,
    threshold: s.threshold.value,
    thresholdRule: s.threshold.rule,
    ...(s.smoothing ? { smoothing: s.smoothing } : {}),
    ...(s.history ? { history: s.history } : {}),
    ...(s.calibration ? { calibration: { set: s.calibration.set, windows: s.calibration.windows } } : {}),
    timestampColumn: s.timestampName ?? null,
    count: s.windows.score.length,
    anomalies: flagged,
    events: s.events.map((e) => ({
      start: e.start,
      end: e.end,
      peakScore: e.peakScore,
      windows: e.lastWindow - e.firstWindow + 1,
      features: e.features,
      ...(e.labels ? { labels: e.labels } : {}),
    })),
    ...(s.labels ? { labels: { source: s.labels.source, windows: s.labels.windows.map((w) => ({ index: w.index, start: w.start, end: w.end })) } } : {}),
    ...(s.metrics ? { metrics: s.metrics } : {}),
    ...(withWindows
      ? {
          windows: s.windows.score.map((score, w) => ({
            index: w,
            start: windowName(s, w),
            line: s.rows.line[s.windows.firstRow[w]],
            score,
            anomaly: score > s.threshold.value,
            ...(s.windows.labels ? { label: s.windows.labels[w] } : {}),
          })),
        }
      : {}),
    // Wall-clock seconds per step, and the CPU seconds of the whole process so far (a busy machine inflates the first, not the second).
    timings: { ...r.timings, processCpu: cpuSeconds() },
    warnings: r.warnings,
  };
}

function cpuSeconds(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
}

function printText(io: CliIo, r: ScoreResult, withWindows: boolean): void {
  const s = r.scores;
  io.stdout(`${backendLine(r.backend)}\n`);
  for (const w of r.warnings) io.stderr(`warning: ${w}\n`);
  const where = s.timestampName ? s.timestampName : 'line';
  if (withWindows) {
    const hasLabels = s.windows.labels !== undefined;
    io.stdout(`window\t${where}\t${hasLabels ? 'label\t' : ''}score\tanomaly\n`);
    s.windows.score.forEach((score, w) => {
      io.stdout(`${w}\t${windowName(s, w)}\t${hasLabels ? `${s.windows.labels![w]}\t` : ''}${score.toPrecision(4)}\t${score > s.threshold.value ? 'ANOMALY' : '-'}\n`);
    });
  }
  const flagged = s.windows.score.filter((x) => x > s.threshold.value).length;
  io.stdout(`${flagged} of ${s.windows.score.length} windows above the threshold ${s.threshold.value.toPrecision(4)} (${describeRule(s.threshold.rule)})\n`);
  if (s.smoothing && s.calibration) {
    io.stdout(
      `scores: each window's error averaged over ${s.smoothing.windows} windows (${s.smoothing.lengths} window lengths); the rule applied to the run's ${s.calibration.windows} ${s.calibration.set} windows scored alike\n`,
    );
  }
  if (s.history) {
    io.stdout(`scores are relative to the ${s.history.windows} windows (${s.history.lengths} window lengths) before each: (score - their mean) / their standard deviation\n`);
  }
  if (s.events.length > 0) {
    const rows = s.events.map((e, i) => [
      String(i + 1),
      String(e.start),
      String(e.end),
      String(e.lastWindow - e.firstWindow + 1),
      e.peakScore.toPrecision(4),
      e.features.map((f) => `${f.feature} ${(f.share * 100).toFixed(0)}%`).join(', '),
      ...(s.labels && !s.labels.anomalous ? [e.labels && e.labels.length > 0 ? e.labels.join(',') : 'none'] : []),
    ]);
    const header = ['event', `start (${where})`, `end (${where})`, 'windows', 'peak', 'features', ...(s.labels && !s.labels.anomalous ? ['labels hit'] : [])];
    io.stdout(`\n${table([header, ...rows])}`);
  } else io.stdout('no events\n');
  const m = s.metrics;
  if (!m || !s.labels) return;
  io.stdout(`\nlabels: ${s.labels.source}\n`);
  if (m.events) {
    io.stdout(`labelled windows hit: ${m.events.hits} of ${m.events.labelled}; events outside the labels: ${m.events.eventsOutside} of ${m.events.events}\n`);
    io.stdout(`event precision ${m.events.precision.toFixed(3)}, recall ${m.events.recall.toFixed(3)}, F1 ${m.events.f1.toFixed(3)}\n`);
  }
  if (m.nab) io.stdout(`NAB score (standard profile, this file): ${m.nab.normalized.toFixed(1)} (raw ${m.nab.raw.toFixed(3)})\n`);
  if (m.windows) {
    io.stdout(
      `sequences flagged: precision ${m.windows.precision.toFixed(3)}, recall ${m.windows.recall.toFixed(3)}, F1 ${m.windows.f1.toFixed(3)} (${m.windows.truePositives} TP, ${m.windows.falsePositives} FP, ${m.windows.falseNegatives} FN)\n`,
    );
  }
  if (m.auc !== undefined) io.stdout(`ROC AUC over windows (${m.positives} anomalous, ${m.negatives} normal): ${m.auc.toFixed(3)}\n`);
}

function table(rows: string[][]): string {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  return (
    rows
      .map((r) =>
        r
          .map((cell, c) => cell.padEnd(widths[c]))
          .join('  ')
          .trimEnd(),
      )
      .join('\n') + '\n'
  );
}
