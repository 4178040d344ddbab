// `npm run zoo`: lints every case of the pitfall zoo, trains it with the real CLI and its
// diagnosis, retrains with the offered and the case's own fix, and prints the scores (score.ts).
// Results are merged per case into zoo/results/latest.json, so `--only` refreshes some cases and
// the table still covers the whole zoo (each case records when it ran).
//
// Options:
//   --only A,B       cases whose id contains any of A, B (e.g. --only unscaled,good-ecg)
//   --rescore        score the saved results again without training (after an annotation change)
//   --static         lint only (fast)
//   --budget S       seconds of diagnosis trials per case (default: the product's, about the run's time, 20-60 s)
//   --no-fix         do not retrain with the fixes
//   --skip-done      skip cases the results file already holds (continue a stopped run)
//   --backend B      passed to tsae train
//   --cli FILE       the tsae CLI bundle to train with (default dist/cli.js; its worker.js beside it)
//   --results FILE   results file (default zoo/results/latest.json)
//   --merge FILE     take FILE's case results into the results file (the newer run of a case wins), then score
//   --generate       rewrite the synthetic data sets in zoo/data and exit
//   --detail         after the table, each missed case's findings, diagnosis candidates and fix runs
//   --validate       check the zoo itself: train each good config and each case's own fix (no
//                    diagnosis) and report which do not reach a healthy model (validate.ts);
//                    written to zoo/results/validate.json (with --only: merged per case)

import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadCases, zooRoot, type ZooCase } from './cases';
import { writeGenerated } from './generate';
import { describeRun, lintCase, runCase, type CaseResult } from './runner';
import { formatCaseLines, formatScores, scoreZoo, type ZooScores } from './score';
import { formatValidation, validatable, validateCase, type Validation } from './validate';

interface ResultsFile {
  /** When each case last ran is in its own record; this is the last write. */
  writtenAt: string;
  /** Seconds of diagnosis trials per case; absent: the product's default (about the run's own time). */
  budgetSeconds?: number;
  results: CaseResult[];
  scores?: Omit<ZooScores, 'cases'>;
  cases?: ZooScores['cases'];
}

interface Options {
  only: string[];
  rescore: boolean;
  staticOnly: boolean;
  budget?: number;
  noFix: boolean;
  backend?: string;
  results: string;
  generate: boolean;
  detail: boolean;
  skipDone: boolean;
  cli?: string;
  merge?: string;
  validate: boolean;
}

function parseArgs(argv: string[], root: string): Options | string {
  const o: Options = {
    only: [],
    rescore: false,
    staticOnly: false,
    noFix: false,
    results: path.join(root, 'results', 'latest.json'),
    generate: false,
    detail: false,
    skipDone: false,
    validate: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => argv[++i];
    switch (arg) {
      case '--only':
        o.only = (value() ?? '').split(',').filter(Boolean);
        if (o.only.length === 0) return '--only needs case ids (comma separated)';
        break;
      case '--rescore':
        o.rescore = true;
        break;
      case '--static':
        o.staticOnly = true;
        break;
      case '--budget': {
        const n = Number(value());
        if (!(n >= 0)) return '--budget needs seconds >= 0';
        o.budget = n;
        break;
      }
      case '--no-fix':
        o.noFix = true;
        break;
      case '--backend':
        o.backend = value();
        break;
      case '--results':
        o.results = path.resolve(value() ?? '');
        break;
      case '--generate':
        o.generate = true;
        break;
      case '--merge': {
        const file = value();
        if (!file) return '--merge needs a results file';
        o.merge = path.resolve(file);
        o.rescore = true;
        break;
      }
      case '--cli': {
        const file = value();
        if (!file) return '--cli needs the path of a built cli.js';
        o.cli = path.resolve(file);
        break;
      }
      case '--skip-done':
        o.skipDone = true;
        break;
      case '--detail':
        o.detail = true;
        break;
      case '--validate':
        o.validate = true;
        break;
      default:
        return `unknown option ${arg}`;
    }
  }
  return o;
}

function readResults(file: string): ResultsFile | undefined {
  if (!fs.existsSync(file)) return undefined;
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as ResultsFile;
  } catch (error) {
    throw new Error(`${file}: not valid JSON (${(error as Error).message})`);
  }
}

function main(): number {
  const root = zooRoot();
  const options = parseArgs(process.argv.slice(2), root);
  if (typeof options === 'string') {
    process.stderr.write(`zoo: ${options}\n`);
    return 2;
  }
  if (options.generate) {
    for (const file of writeGenerated(path.join(root, 'data'))) process.stdout.write(`wrote ${path.relative(process.cwd(), file)}\n`);
    return 0;
  }
  const all = loadCases(root);
  const selected = options.only.length ? all.filter((c) => options.only.some((o) => c.id.includes(o))) : all;
  if (selected.length === 0) {
    process.stderr.write(`zoo: no case matches --only ${options.only.join(',')}\n`);
    return 2;
  }

  if (options.staticOnly) {
    const results = new Map(selected.map((c) => [c.id, { id: c.id, at: new Date().toISOString(), static: lintCase(c) } as CaseResult]));
    const staticCases = selected.map((c) => ({ ...c, expectRuntime: undefined }) as ZooCase);
    const scores = scoreZoo(staticCases, results);
    process.stdout.write(`${formatCaseLines(scores)}\n\n${formatScores(scores, selected)}\n`);
    return 0;
  }

  if (options.validate) return validate(root, selected, options);

  const saved = readResults(options.results);
  const byId = new Map((saved?.results ?? []).map((r) => [r.id, r]));
  if (options.merge) {
    const other = readResults(options.merge);
    if (!other) throw new Error(`${options.merge}: not found`);
    for (const r of other.results) if (!byId.has(r.id) || byId.get(r.id)!.at < r.at) byId.set(r.id, r);
  }
  if (!options.rescore) {
    const cli = options.cli ?? path.join(root, '..', 'dist', 'cli.js');
    if (!fs.existsSync(cli)) {
      process.stderr.write(`zoo: ${cli} not found; run npm run build first\n`);
      return 1;
    }
    const started = Date.now();
    const todo = options.skipDone ? selected.filter((c) => !byId.has(c.id)) : selected;
    todo.forEach((zooCase, i) => {
      process.stdout.write(`[${i + 1}/${todo.length}] ${zooCase.id} (${zooCase.kind}, ${zooCase.klass || zooCase.title})\n`);
      byId.set(
        zooCase.id,
        runCase(zooCase, {
          cli,
          ...(options.budget !== undefined ? { budgetSeconds: options.budget } : {}),
          noFix: options.noFix,
          ...(options.backend ? { backend: options.backend } : {}),
          log: (l) => process.stdout.write(`${l}\n`),
        }),
      );
      // Saved after every case: a long run that is stopped keeps what it measured.
      writeResults(options.results, all, byId, options.budget);
    });
    process.stdout.write(`trained ${todo.length} cases in ${Math.round((Date.now() - started) / 1000)} s\n\n`);
  }
  const scores = writeResults(options.results, all, byId, options.rescore ? saved?.budgetSeconds : options.budget);
  process.stdout.write(`${formatCaseLines(scores)}\n\n${formatScores(scores, all)}\n`);
  if (options.detail) process.stdout.write(`\n${formatDetails(scores, byId)}\n`);
  return 0;
}

function writeResults(file: string, cases: readonly ZooCase[], byId: ReadonlyMap<string, CaseResult>, budgetSeconds: number | undefined): ZooScores {
  const known = new Set(cases.map((c) => c.id));
  const results = [...byId.values()].filter((r) => known.has(r.id)).sort((a, b) => a.id.localeCompare(b.id));
  const scores = scoreZoo(cases, new Map(results.map((r) => [r.id, r])));
  const { cases: perCase, ...totals } = scores;
  const out: ResultsFile = { writtenAt: new Date().toISOString(), ...(budgetSeconds !== undefined ? { budgetSeconds } : {}), scores: totals, cases: perCase, results };
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.tmp`;
  fs.writeFileSync(tmp, `${JSON.stringify(out, null, 1)}\n`);
  fs.renameSync(tmp, file);
  return scores;
}

interface ValidationFile {
  writtenAt: string;
  results: Validation[];
}

/** --validate: trains each selected good config and case fix; exit code 1 when any is not healthy. */
function validate(root: string, selected: readonly ZooCase[], options: Options): number {
  const cli = options.cli ?? path.join(root, '..', 'dist', 'cli.js');
  if (!fs.existsSync(cli)) {
    process.stderr.write(`zoo: ${cli} not found; run npm run build first\n`);
    return 1;
  }
  const file = options.results === path.join(root, 'results', 'latest.json') ? path.join(root, 'results', 'validate.json') : options.results;
  const saved = fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8')) as ValidationFile) : undefined;
  const byId = new Map((saved?.results ?? []).map((v) => [v.id, v]));
  const todo = validatable(selected);
  const ran: Validation[] = [];
  todo.forEach((zooCase, i) => {
    const v = validateCase(zooCase, { cli, ...(options.backend ? { backend: options.backend } : {}) });
    process.stdout.write(`[${i + 1}/${todo.length}] ${formatValidation([v]).split('\n')[0]}\n`);
    ran.push(v);
    byId.set(v.id, v);
    const known = new Set(loadCases(root).map((c) => c.id));
    const out: ValidationFile = { writtenAt: new Date().toISOString(), results: [...byId.values()].filter((r) => known.has(r.id)).sort((a, b) => a.id.localeCompare(b.id)) };
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(`${file}.tmp`, `${JSON.stringify(out, null, 1)}\n`);
    fs.renameSync(`${file}.tmp`, file);
  });
  process.stdout.write(`\n${formatValidation(ran)}\n`);
  return ran.every((v) => v.healthy) ? 0 : 1;
}

try {
  process.exitCode = main();
} catch (error) {
  process.stderr.write(`zoo: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
}

/** For each case that missed something: what training reported, the diagnosis and the fix runs. */
function formatDetails(scores: ZooScores, byId: ReadonlyMap<string, CaseResult>): string {
  const lines: string[] = [];
  for (const c of scores.cases) {
    const r = byId.get(c.id);
    const missed = c.runtimeMissed.length || c.runtimeExtra.length || (c.blamed && !c.blamed.right) || c.offeredCure === false || c.expectedCure === false || c.clean === false;
    if (!r?.run || !missed) continue;
    lines.push(`${c.id}: ${describeRun(r.run)}`);
    const d = r.run.diagnosis;
    if (d) {
      const control = d.control ? `control ${d.control.failure ?? (d.control.nmse === null ? 'not finite' : d.control.nmse.toPrecision(3))}; ` : '';
      lines.push(`  diagnosis ${d.status} (${d.seconds.toFixed(1)} s): ${control}${d.candidates.length === 0 ? 'no candidates' : ''}`);
      for (const k of d.candidates) {
        const change = k.errorChange === undefined ? '' : ` ${Math.round(k.errorChange * 100)}%`;
        const trial = k.trial
          ? ` trial nmse ${k.trial.nmse === null ? 'not finite' : k.trial.nmse.toPrecision(3)}, ${k.trial.epochs} epochs, ${k.trial.seconds.toFixed(1)} s, symptoms ${k.trial.symptoms.join(' ') || 'none'}`
          : '';
        lines.push(`    ${k.verdict} ${k.configPath} [${k.source}]${change}${k.trialFailure ? ` (${k.trialFailure})` : ''}${trial}${k.why ? `: ${k.why}` : ''}`);
      }
      for (const note of d.notes) lines.push(`  note: ${note}`);
    }
    if (r.offeredFix) lines.push(`  offered ${r.offeredFix.changes.map((x) => `${x.path}=${JSON.stringify(x.value)}`).join(', ')}: ${describeRun(r.offeredFix.run)}`);
    if (r.expectedFix) lines.push(`  case fix: ${describeRun(r.expectedFix.run)}`);
  }
  return lines.join('\n');
}
