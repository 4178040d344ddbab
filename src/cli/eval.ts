// `tsae eval RUN_DIR DATA`: scores every window of DATA with a finished run and flags the ones
// whose reconstruction error is above a quantile of the training windows' errors. Runs in the
// CLI process itself: scoring is one forward pass, nothing to keep responsive meanwhile.

import * as path from 'node:path';
import { BACKEND_NAMES, isBackendName, type BackendName } from '../core/config/types';
import { DataError } from '../core/data';
import { backendLine } from '../core/model/backend';
import { RunFolderError, scoreRunOnData, type ScoreResult } from '../core/run/score';
import { formatRunFolderProblems, validateRunFolder } from '../core/run/validate';
import { EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, processIo, type CliIo } from './io';

const USAGE = `Usage: tsae eval RUN_DIR DATA [options]

Scores every window of DATA (cut as in the run's config) with the model saved in RUN_DIR.

Options:
  --threshold-quantile Q  flag windows whose error exceeds the Q quantile of the training
                          windows' errors (default 0.99)
  --backend B             auto | fused | tensorflow | wasm | cpu (default: auto)
  --json                  print one JSON object
  -h, --help              show this help

Exit codes: 0 scored, 1 the run or the data could not be read, 2 bad command line.
`;


export interface EvalArgs {
  runDir: string;
  data: string;
  quantile: number;
  backend?: BackendName;
  json: boolean;
}

export function parseEvalArgs(argv: string[]): EvalArgs | { help: true } | { error: string } {
  const positional: string[] = [];
  let quantile = 0.99;
  let backend: BackendName | undefined;
  let json = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    switch (arg) {
      case '-h':
      case '--help':
        return { help: true };
      case '--json':
        json = true;
        break;
      case '--threshold-quantile': {
        const v = argv[++i];
        const q = Number(v);
        if (v === undefined || v.trim() === '' || !(q >= 0 && q <= 1)) return { error: `--threshold-quantile needs a number between 0 and 1, got ${v ?? 'nothing'}` };
        quantile = q;
        break;
      }
      case '--backend': {
        const v = argv[++i];
        if (!isBackendName(v)) return { error: `--backend must be one of ${BACKEND_NAMES.join(', ')}, got ${v ?? 'nothing'}` };
        backend = v as BackendName;
        break;
      }
      default:
        if (arg.startsWith('-')) return { error: `unknown option ${arg}` };
        positional.push(arg);
    }
  }
  if (positional.length !== 2) return { error: `expected RUN_DIR and DATA, got ${positional.length} argument${positional.length === 1 ? '' : 's'}` };
  return { runDir: positional[0], data: positional[1], quantile, json, ...(backend ? { backend } : {}) };
}

export async function runEval(argv: string[], io: CliIo = processIo()): Promise<number> {
  const parsed = parseEvalArgs(argv);
  if ('help' in parsed) {
    io.stdout(USAGE);
    return EXIT_OK;
  }
  if ('error' in parsed) {
    io.stderr(`tsae eval: ${parsed.error}\n\n${USAGE}`);
    return EXIT_USAGE;
  }
  const runDir = path.resolve(io.cwd, parsed.runDir);
  const problems = await validateRunFolder(runDir, 'eval');
  if (problems.length > 0) io.stderr(`${formatRunFolderProblems(problems).replace(/^/gm, 'tsae eval: ')}\n`);
  if (problems.some((p) => p.severity === 'error')) return EXIT_FINDINGS;
  let result: ScoreResult;
  try {
    result = await scoreRunOnData(runDir, path.resolve(io.cwd, parsed.data), {
      quantile: parsed.quantile,
      ...(parsed.backend ? { backend: parsed.backend } : {}),
    });
  } catch (err) {
    if (err instanceof DataError || err instanceof RunFolderError || err instanceof RangeError) {
      io.stderr(`tsae eval: ${err.message}\n`);
      return EXIT_FINDINGS;
    }
    throw err;
  }
  if (parsed.json) io.stdout(`${JSON.stringify(jsonReport(result))}\n`);
  else printText(io, result);
  return EXIT_OK;
}

function jsonReport(r: ScoreResult) {
  return {
    runDir: r.runDir,
    data: r.dataFile,
    backend: r.backend.backend,
    thresholdQuantile: r.quantile,
    threshold: r.threshold,
    windows: r.windows,
    count: r.windows.length,
    anomalies: r.anomalies,
    ...(r.auc !== undefined ? { auc: r.auc } : {}),
    warnings: r.warnings,
  };
}

function printText(io: CliIo, r: ScoreResult): void {
  io.stdout(`${backendLine(r.backend)}\n`);
  for (const w of r.warnings) io.stderr(`warning: ${w}\n`);
  const hasLabels = r.windows.some((w) => w.label !== undefined);
  io.stdout(`window\tstart\t${hasLabels ? 'label\t' : ''}error\tanomaly\n`);
  for (const w of r.windows) {
    io.stdout(`${w.index}\t${w.start}\t${hasLabels ? `${w.label}\t` : ''}${w.error.toPrecision(4)}\t${w.anomaly ? 'ANOMALY' : '-'}\n`);
  }
  io.stdout(
    `${r.anomalies} of ${r.windows.length} windows above the threshold ${r.threshold.toPrecision(4)} ` +
      `(the ${r.quantile} quantile of the training windows' errors)\n`,
  );
  if (r.auc !== undefined) io.stdout(`ROC AUC, labels outside trainLabels vs the rest: ${r.auc.toFixed(3)}\n`);
}
