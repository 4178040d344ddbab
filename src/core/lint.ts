// The config linter's one entry point: text in, findings on exact ranges out. The language
// server, the CLI and the trainer all go through here so editor and command line agree.

import * as path from 'node:path';
import type { ParsedConfig } from './config/document';
import { hoverInfo } from './config/hover';
import type { HoverInfo } from './config/hover';
import { parseConfig } from './config/parse';
import { findRange, keyRange } from './config/ranges';
import { defaultDataFormat, resolveConfig, resolveLeniently } from './config/resolve';
import { firstLineRange } from './config/text';
import type { ResolvedConfig } from './config/types';
import { closestName, validateConfigValue, valueAt } from './config/validate';
import type { ValidationIssue } from './config/validate';
import { probeData, probeText } from './data/probe';
import { readTextFileSync } from './data/lines';
import { mayReadData } from './data/access';
import type { DataProbe } from './data/probe';
import { runRules } from './rules/engine';
import { rules } from './rules/index';
import type { Finding, Position } from './types';

export { setValueEdits } from './config/edit';
export { findRange } from './config/ranges';
export { resolveConfig } from './config/resolve';
export { DOCS_BASE, docUrl } from './rules/docs';
export type { HoverInfo } from './config/hover';
export type { ParsedConfig } from './config/document';

export interface LintOptions {
  /** Absolute path of the config; decides the format (JSON or YAML) and anchors `data.path`. */
  fileName: string;
  /** Reads a data file instead of the disk (tests, unsaved buffers); undefined = not found. */
  readFile?: (path: string) => string | undefined;
  /**
   * Folders data files may be read from (an untrusted workspace's folders); undefined reads any
   * file. A data file outside them is not read and TSAE007 says so.
   */
  dataRoots?: readonly string[];
}

export interface LintResult {
  findings: Finding[];
  parsed: ParsedConfig | undefined;
  /**
   * The config as the rules saw it: defaults filled in and invalid values replaced by their
   * defaults. Undefined when a required field is missing or broken. Use loadConfigFile to train.
   */
  resolved: ResolvedConfig | undefined;
  /** The data file's probe, when it could be read. */
  probe?: DataProbe;
}

export function lintText(text: string, options: LintOptions): LintResult {
  const parsed = parseConfig(text, options.fileName);
  if (parsed.syntaxFindings.length > 0) return { findings: sortFindings([...parsed.syntaxFindings]), parsed, resolved: undefined };

  const issues = validateConfigValue(parsed.value);
  const findings = issues.map((issue) => issueFinding(parsed, issue));
  const resolved = resolveLeniently(parsed.value, issues, options.fileName);

  const data = checkData(parsed, options);
  findings.push(...data.findings);
  if (resolved) findings.push(...runRules(parsed, resolved, data.probe));
  return { findings: sortFindings(findings), parsed, resolved, probe: data.probe };
}

export function lintFile(filePath: string): LintResult {
  let text: string;
  try {
    text = readTextFileSync(filePath);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return {
      findings: [{ code: 'TSAE001', severity: 'error', message: `cannot read config file: ${reason}`, range: firstLineRange(''), configPath: '' }],
      parsed: undefined,
      resolved: undefined,
    };
  }
  return lintText(text, { fileName: path.resolve(filePath) });
}

/** For the CLI and the training worker: `resolved` only when no finding is an error. */
/**
 * True for findings that make a config untrainable (TSAE0xx: syntax, schema, missing data).
 * Pitfall findings (TSAE1xx) never block training, even at error level: running a config that
 * walks into a pitfall is how a user sees the failure for themselves. The exception is a rule
 * marked `blocksTraining` (TSAE117, bad cells): the data loader would refuse the file anyway.
 */
export function blocksTraining(finding: Finding): boolean {
  return finding.severity === 'error' && (/^TSAE0\d\d$/.test(finding.code) || BLOCKING_RULES.has(finding.code));
}

/** Rules whose errors mean the data loader would refuse the file (TSAE117 bad cells). */
const BLOCKING_RULES = new Set(rules.filter((rule) => rule.blocksTraining).map((rule) => rule.code));

export function loadConfigFile(filePath: string): { resolved: ResolvedConfig | undefined; findings: Finding[] } {
  const result = lintFile(filePath);
  const hasError = result.findings.some(blocksTraining);
  if (hasError || !result.parsed) return { resolved: undefined, findings: result.findings };
  return { resolved: resolveConfig(result.parsed.value, path.resolve(filePath)), findings: result.findings };
}

export function hoverAt(text: string, position: Position, options: LintOptions): HoverInfo | undefined {
  const result = lintText(text, options);
  if (!result.parsed) return undefined;
  return hoverInfo(result.parsed, position, result.findings, result.resolved, result.probe);
}

function issueFinding(parsed: ParsedConfig, issue: ValidationIssue): Finding {
  const base = { code: issue.code, severity: 'error' as const, message: issue.message, configPath: issue.configPath };
  switch (issue.code) {
    case 'TSAE002':
      return { ...base, range: keyRange(parsed, issue.configPath) };
    case 'TSAE003':
      return { ...base, range: findRange(parsed, issue.configPath) };
    case 'TSAE004': {
      const parentPath = issue.configPath.includes('.') ? issue.configPath.slice(0, issue.configPath.lastIndexOf('.')) : '';
      const parent = parsed.spans.get(parentPath);
      const range = parentPath === '' || !parent ? firstLineRange(parsed.text) : (parent.key ?? parent.value);
      return { ...base, range };
    }
  }
}

interface DataCheck {
  findings: Finding[];
  probe?: DataProbe;
}

/** TSAE005, TSAE006 and TSAE007, from the raw value so they show even when the config does not resolve. */
function checkData(parsed: ParsedConfig, options: LintOptions): DataCheck {
  const dataPath = valueAt(parsed.value, 'data.path');
  if (typeof dataPath !== 'string' || dataPath === '') return { findings: [] };
  const rawFormat = valueAt(parsed.value, 'data.format');
  const format = rawFormat === 'csv' || rawFormat === 'ucr' ? rawFormat : defaultDataFormat(dataPath);
  const dataFile = path.resolve(path.dirname(path.resolve(options.fileName)), dataPath);
  const range = findRange(parsed, 'data.path');
  const notFound = (message: string): DataCheck => ({
    findings: [{ code: 'TSAE005', severity: 'error', message, range, configPath: 'data.path' }],
  });
  if (!mayReadData(dataFile, options.dataRoots)) {
    const message = `data.path: ${path.basename(dataFile)} is outside the workspace; in an untrusted workspace TSAE does not read data files outside it, so the data checks did not run (trust the workspace to run them)`;
    return { findings: [{ code: 'TSAE007', severity: 'warning', message, range, configPath: 'data.path' }] };
  }
  const rawTimestamp = valueAt(parsed.value, 'data.timestamp');
  const probeOptions = { format, timestamp: typeof rawTimestamp === 'string' ? rawTimestamp : undefined };
  let result;
  if (options.readFile) {
    const text = options.readFile(dataFile);
    if (text === undefined) return notFound(`data.path: data file not found: ${dataFile}`);
    result = probeText(text, dataFile, probeOptions);
  } else {
    result = probeData(dataFile, probeOptions);
  }
  if (!result.ok) return notFound(`data.path: ${result.error}`);
  const probe = result.probe;
  const maxRows = valueAt(parsed.value, 'data.maxRows');
  if (probe.ragged && probe.ragged.row < (typeof maxRows === 'number' ? maxRows : Infinity)) {
    const { line, fields, expected } = probe.ragged;
    return { ...notFound(`data.path: ${dataFile}:${line}: ${fields} fields but the header (line 1) has ${expected}`), probe };
  }
  return { findings: format === 'csv' ? checkColumns(parsed, probe, options.fileName) : [], probe };
}

function checkColumns(parsed: ParsedConfig, probe: DataProbe, fileName: string): Finding[] {
  const findings: Finding[] = [];
  const header = new Set(probe.columns);
  const check = (configPath: string, name: unknown) => {
    if (typeof name !== 'string' || header.has(name)) return;
    // The header is the data file's content: never listed, and a close match is offered only for a
    // file inside the config's own folder (a config pointing elsewhere must not read files out).
    const suggestion = mayReadData(probe.path, [path.dirname(path.resolve(fileName))]) ? closestName(name, probe.columns) : undefined;
    const hint = suggestion ? `; did you mean ${suggestion}?` : '';
    findings.push({
      code: 'TSAE006',
      severity: 'error',
      message: `${configPath}: column "${name}" is not in the header of ${path.basename(probe.path)}${hint}`,
      range: findRange(parsed, configPath),
      configPath,
    });
  };
  for (const listPath of ['data.columns', 'task.targetColumns']) {
    const list = valueAt(parsed.value, listPath);
    if (Array.isArray(list)) list.forEach((name, i) => check(`${listPath}.${i}`, name));
  }
  check('data.timestamp', valueAt(parsed.value, 'data.timestamp'));
  check('data.label', valueAt(parsed.value, 'data.label'));
  return findings;
}

function sortFindings(findings: Finding[]): Finding[] {
  return findings.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character || a.code.localeCompare(b.code));
}
