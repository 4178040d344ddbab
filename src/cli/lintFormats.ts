// The three outputs of `tsae lint`: compiler-style text, a JSON array and SARIF 2.1.0 (for code
// scanning). All use 1-based lines and columns counted in UTF-16 code units, the LSP positions
// of the findings plus one; end columns point just past the range, as SARIF's do.

import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { CONFIG_CHECKS, DOCS_BASE, docUrl } from '../core/rules/docs';
import { rules } from '../core/rules/index';
import type { Finding, Fix, Severity } from '../core/types';

export type OutputFormat = 'text' | 'json' | 'sarif';
export const OUTPUT_FORMATS: readonly OutputFormat[] = ['text', 'json', 'sarif'];

export interface FileFindings {
  /** Absolute path of the config. */
  file: string;
  findings: Finding[];
}

export interface JsonFinding {
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  severity: Severity;
  code: string;
  message: string;
  configPath: string;
  url: string;
  fix: Fix | null;
}

/** How a path is shown: relative to the working directory when inside it, with `/` separators. */
export function displayPath(file: string, cwd = process.cwd()): string {
  const relative = path.relative(cwd, file);
  const shown = relative === '' || relative.startsWith('..') || path.isAbsolute(relative) ? file : relative;
  return shown.split(path.sep).join('/');
}

export function formatText(results: FileFindings[], cwd = process.cwd()): string {
  const lines: string[] = [];
  const counts: Record<Severity, number> = { error: 0, warning: 0, info: 0, hint: 0 };
  let fixable = 0;
  for (const { file, findings } of results) {
    for (const f of findings) {
      const where = `${displayPath(file, cwd)}:${f.range.start.line + 1}:${f.range.start.character + 1}`;
      lines.push(`${where}: ${f.severity} ${f.code} ${f.message}`);
      counts[f.severity]++;
      if (f.fix?.safety === 'safe') fixable++;
    }
  }
  lines.push(summaryLine(counts, results.length, fixable));
  return lines.join('\n') + '\n';
}

function summaryLine(counts: Record<Severity, number>, files: number, fixable: number): string {
  const total = counts.error + counts.warning + counts.info + counts.hint;
  const fileWord = `${files} file${files === 1 ? '' : 's'}`;
  if (total === 0) return `no problems in ${fileWord}`;
  const parts = (['error', 'warning', 'info', 'hint'] as const).filter((s) => counts[s] > 0).map((s) => `${counts[s]} ${s}${counts[s] === 1 || s === 'info' ? '' : 's'}`);
  const fixHint = fixable > 0 ? `; ${fixable} fixable with --fix` : '';
  return `${total} problem${total === 1 ? '' : 's'} (${parts.join(', ')}) in ${fileWord}${fixHint}`;
}

export function toJsonFindings(results: FileFindings[], cwd = process.cwd()): JsonFinding[] {
  return results.flatMap(({ file, findings }) =>
    findings.map((f) => ({
      file: displayPath(file, cwd),
      line: f.range.start.line + 1,
      column: f.range.start.character + 1,
      endLine: f.range.end.line + 1,
      endColumn: f.range.end.character + 1,
      severity: f.severity,
      code: f.code,
      message: f.message,
      configPath: f.configPath,
      url: docUrl(f.code),
      fix: f.fix ?? null,
    })),
  );
}

export function formatJson(results: FileFindings[], cwd = process.cwd()): string {
  return JSON.stringify(toJsonFindings(results, cwd), null, 2) + '\n';
}

// ---------------------------------------------------------------------------------------------
// SARIF 2.1.0 (OASIS). Only the parts code-scanning tools read are produced.

type SarifLevel = 'error' | 'warning' | 'note';

const SARIF_LEVEL: Record<Severity, SarifLevel> = { error: 'error', warning: 'warning', info: 'note', hint: 'note' };

interface SarifRegion {
  startLine: number;
  startColumn: number;
  endLine: number;
  endColumn: number;
}

interface SarifRule {
  id: string;
  name: string;
  shortDescription: { text: string };
  fullDescription: { text: string };
  helpUri: string;
  defaultConfiguration: { level: SarifLevel };
}

/** Every code `tsae lint` can report, with its documentation, in code order. */
export function sarifRules(): SarifRule[] {
  const configChecks = CONFIG_CHECKS.map((check) => ({
    id: check.code,
    name: kebab(check.title),
    shortDescription: { text: check.title },
    fullDescription: { text: check.summary },
    helpUri: docUrl(check.code),
    defaultConfiguration: { level: 'error' as const },
  }));
  const staticRules = rules.map((rule) => ({
    id: rule.code,
    name: rule.name,
    shortDescription: { text: rule.title },
    fullDescription: { text: rule.summary },
    helpUri: docUrl(rule.code),
    defaultConfiguration: { level: SARIF_LEVEL[rule.severity] },
  }));
  return [...configChecks, ...staticRules];
}

function kebab(title: string): string {
  return title
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

function region(range: Finding['range']): SarifRegion {
  return {
    startLine: range.start.line + 1,
    startColumn: range.start.character + 1,
    endLine: range.end.line + 1,
    endColumn: range.end.character + 1,
  };
}

/** Relative URI reference inside the working directory (what code scanning expects), else a file: URL. */
function artifactUri(file: string, cwd: string): string {
  const shown = displayPath(file, cwd);
  return path.isAbsolute(shown) ? pathToFileURL(file).href : encodeURI(shown);
}

export function toSarif(results: FileFindings[], version: string, cwd = process.cwd()): object {
  const driverRules = sarifRules();
  const ruleIndex = new Map(driverRules.map((rule, index) => [rule.id, index]));
  const sarifResults = results.flatMap(({ file, findings }) => {
    const artifactLocation = { uri: artifactUri(file, cwd) };
    return findings.map((f) => ({
      ruleId: f.code,
      ...(ruleIndex.has(f.code) ? { ruleIndex: ruleIndex.get(f.code) } : {}),
      level: SARIF_LEVEL[f.severity],
      message: { text: f.message },
      locations: [{ physicalLocation: { artifactLocation, region: region(f.range) } }],
      ...(f.fix
        ? {
            fixes: [
              {
                description: { text: `${f.fix.title} (${f.fix.safety})` },
                artifactChanges: [
                  {
                    artifactLocation,
                    replacements: f.fix.edits.map((edit) => ({ deletedRegion: region(edit.range), insertedContent: { text: edit.newText } })),
                  },
                ],
              },
            ],
          }
        : {}),
      properties: { configPath: f.configPath },
    }));
  });
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'tsae',
            version,
            informationUri: DOCS_BASE,
            rules: driverRules,
          },
        },
        columnKind: 'utf16CodeUnits',
        results: sarifResults,
      },
    ],
  };
}

export function formatSarif(results: FileFindings[], version: string, cwd = process.cwd()): string {
  return JSON.stringify(toSarif(results, version, cwd), null, 2) + '\n';
}
