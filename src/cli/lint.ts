// `tsae lint [--format text|json|sarif] [--fix] PATH...`: lints configs with the same core the
// language server uses, so the command line and the editor report the same findings.
// Exit code: 1 when an error-level finding remains, 0 otherwise, 2 on a usage error.

import * as fs from 'node:fs';
import { lintFile } from '../core/lint';
import { readTextFileSync } from '../core/data/lines';
import { lintPython } from '../core/python/lint';
import { lintIpynb, NotebookFormatError } from '../core/python/notebook';
import { initPythonParser } from '../core/python/parser';
import type { Finding } from '../core/types';
import { applyFixes } from '../core/fixes/applyFixes';
import { formatJson, formatSarif, formatText, displayPath, OUTPUT_FORMATS, type FileFindings, type OutputFormat } from './lintFormats';
import { expandTargets, PYTHON_FILE_PATTERN, TargetError } from './lintTargets';
import { EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, type CliIo, processIo, toolVersion, UsageError } from './io';

export const LINT_USAGE = `Usage: tsae lint [options] PATH...

Lints TSAE configs (*.tsae.yaml, *.tsae.yml, *.tsae.json), and Keras or PyTorch code in Python
files (*.py) and Jupyter notebooks (*.ipynb) with the same rules. A PATH may be a file, a
directory (searched recursively for configs) or a glob such as 'examples/**/*.tsae.yaml' or
'src/**/*.py'. In a notebook, findings name the cell and line. --fix edits configs only.

Options:
  --format FORMAT   text (default), json or sarif (SARIF 2.1.0)
  --fix             apply the fixes marked safe, in place, then report what is left
  -h, --help        show this help

Exit status: 0 no error-level finding, 1 at least one error, 2 usage error.
`;

interface LintOptions {
  format: OutputFormat;
  fix: boolean;
  paths: string[];
  help: boolean;
}

export function parseLintArgs(argv: string[]): LintOptions {
  const options: LintOptions = { format: 'text', fix: false, paths: [], help: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--') {
      options.paths.push(...argv.slice(i + 1));
      break;
    }
    if (arg === '-h' || arg === '--help') options.help = true;
    else if (arg === '--fix') options.fix = true;
    else if (arg === '--format' || arg.startsWith('--format=')) {
      const value = arg === '--format' ? argv[++i] : arg.slice('--format='.length);
      if (value === undefined) throw new UsageError('--format needs a value: text, json or sarif');
      if (!(OUTPUT_FORMATS as readonly string[]).includes(value)) throw new UsageError(`unknown --format ${value}; use text, json or sarif`);
      options.format = value as OutputFormat;
    } else if (arg.startsWith('-') && arg !== '-') throw new UsageError(`unknown option ${arg}`);
    else options.paths.push(arg);
  }
  if (!options.help && options.paths.length === 0) throw new UsageError('no file given; name configs, directories or globs to lint');
  return options;
}

export async function runLint(argv: string[], io: CliIo = processIo()): Promise<number> {
  let options: LintOptions;
  let files: string[];
  try {
    options = parseLintArgs(argv);
    if (options.help) {
      io.stdout(LINT_USAGE);
      return EXIT_OK;
    }
    files = expandTargets(options.paths, io.cwd);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`tsae lint: ${error.message}\n\n${LINT_USAGE}`);
      return EXIT_USAGE;
    }
    if (error instanceof TargetError) {
      io.stderr(`tsae lint: ${error.message}\n`);
      return EXIT_USAGE;
    }
    throw error;
  }

  if (files.some((file) => PYTHON_FILE_PATTERN.test(file))) await initPythonParser();
  const results: FileFindings[] = files.map((file) => ({
    file,
    findings: PYTHON_FILE_PATTERN.test(file) ? lintPythonFile(file) : options.fix ? fixFile(file, io) : lintFile(file).findings,
  }));

  if (options.format === 'json') io.stdout(formatJson(results, io.cwd));
  else if (options.format === 'sarif') io.stdout(formatSarif(results, toolVersion(), io.cwd));
  else io.stdout(formatText(results, io.cwd));

  const hasError = results.some((r) => r.findings.some((f) => f.severity === 'error'));
  return hasError ? EXIT_FINDINGS : EXIT_OK;
}

/** Applies safe fixes to one file in place and returns what is left to report. */
function fixFile(file: string, io: CliIo): FileFindings['findings'] {
  let text: string;
  try {
    text = readTextFileSync(file);
  } catch {
    // lintFile turns an unreadable file into a finding naming it.
    return lintFile(file).findings;
  }
  const result = applyFixes(text, file);
  if (result.applied === 0 || result.text === text) return result.findings;
  try {
    fs.writeFileSync(file, result.text);
  } catch (error) {
    // The file is left as it was, so its findings are those of the unfixed text.
    const reason = error instanceof Error ? error.message : String(error);
    io.stderr(`tsae lint: cannot write the fixes to ${displayPath(file, io.cwd)}: ${reason}\n`);
    return lintFile(file).findings;
  }
  io.stderr(`fixed ${result.applied} problem${result.applied === 1 ? '' : 's'} in ${displayPath(file, io.cwd)}\n`);
  return result.findings;
}

/** A .py or .ipynb file's findings; an unreadable file or a malformed notebook is one TSAE001 finding naming it. */
function lintPythonFile(file: string): Finding[] {
  const unreadable = (message: string): Finding[] => [
    { code: 'TSAE001', severity: 'error', message, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, configPath: '' },
  ];
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    return unreadable(`cannot read ${file}: ${error instanceof Error ? error.message : String(error)}`);
  }
  // --fix edits configs only, so Python findings carry no fix here.
  const withoutFix = (findings: Finding[]): Finding[] => findings.map(({ fix: _fix, ...rest }) => rest);
  if (!/\.ipynb$/i.test(file)) return withoutFix(lintPython(text, file).findings);
  try {
    return withoutFix(lintIpynb(text, file).findings);
  } catch (error) {
    if (error instanceof NotebookFormatError) return unreadable(error.message);
    throw error;
  }
}
