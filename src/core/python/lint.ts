// The Python front end's entry point: Python text in, the same TSAE1xx findings as a config, on
// Python ranges. The description read from the code is wrapped so that rules reading a field the
// code does not determine stay silent (src/core/rules/unknown.ts); the rules themselves are the
// config linter's, run by the one engine.

import type { ParsedConfig } from '../config/document';
import type { ResolvedConfig } from '../config/types';
import { runRulesInContext } from '../rules/engine';
import { compressionFacts, type CompressionFacts } from '../rules/tsae103-undersized-latent';
import type { RuleContext } from '../rules/types';
import { UnknownInputError, withUnknownInputs } from '../rules/unknown';
import type { Finding, Range, TextEdit } from '../types';
import { describePython, type PythonDescription } from './describe';
import { kerasActivationString } from './names';
import { parsePython, type SyntaxTree } from './parser';

export interface PythonLintResult {
  findings: Finding[];
  description: PythonDescription;
  /** Window values : latent units, when the code determines all three. */
  compression?: CompressionFacts;
}

const FIRST_CHAR: Range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

/**
 * Parses with recovery: tree-sitter already isolates most errors, but an unclosed bracket can
 * swallow the statements after it into one ERROR node. The line such an error starts on (the
 * half-typed one) is blanked and the text parsed again, a few times at most; blanking keeps
 * every offset, so ranges need no mapping.
 */
export function parseTolerant(text: string): SyntaxTree {
  let current = text;
  let tree = parsePython(current);
  for (let attempt = 0; attempt < 5; attempt++) {
    const error = tree.rootNode.namedChildren.find((child) => child?.type === 'ERROR' && child.endPosition.row > child.startPosition.row);
    if (!error) break;
    const lines = current.split('\n');
    const row = error.startPosition.row;
    if (lines[row].trim() === '') break;
    lines[row] = ' '.repeat(lines[row].length);
    current = lines.join('\n');
    tree.delete();
    tree = parsePython(current);
  }
  return tree;
}

export function lintPython(text: string, fileName: string): PythonLintResult {
  const tree = parseTolerant(text);
  try {
    const description = describePython(tree.rootNode);
    const ctx = pythonRuleContext(description, text, fileName);
    const findings = (description.framework === undefined ? [] : runRulesInContext(ctx))
      .filter((finding) => !isOutputLayerWidth(finding, description))
      .map((finding) => withLiteralInTitle(finding, text));
    let compression: CompressionFacts | undefined;
    try {
      compression = compressionFacts(ctx);
    } catch (error) {
      if (!(error instanceof UnknownInputError)) throw error;
    }
    return { findings: sortFindings(findings), description, compression };
  } finally {
    tree.delete();
  }
}

export function pythonRuleContext(description: PythonDescription, text: string, fileName: string): RuleContext {
  const parsed: ParsedConfig = { format: 'python', fileName, text, value: description.value, spans: description.spans, syntaxFindings: [] };
  const config = withUnknownInputs({ ...description.value, configFile: fileName, dataFile: '' } as unknown as ResolvedConfig);
  return {
    parsed,
    config,
    probe: undefined,
    rangeOf: (configPath) => rangeIn(description, configPath),
    isPresent: (configPath) => description.spans.has(configPath),
    setValueEdits: (configPath, value) => literalEdits(description, configPath, value),
  };
}

/** Paths a config has that Python code expresses elsewhere: unreverseOutput sits where the target is reversed. */
const RELATED: Record<string, string> = {
  'model.unreverseOutput': 'model.reverseTarget',
  'data.trainLabels': 'data',
};

function rangeIn(description: PythonDescription, configPath: string): Range {
  const own = description.spans.get(configPath) ?? description.spans.get(RELATED[configPath] ?? '\u0000');
  if (own) return own.value;
  const segments = configPath.split('.');
  for (let depth = segments.length - 1; depth > 0; depth--) {
    const span = description.spans.get(segments.slice(0, depth).join('.'));
    if (span) return span.value;
  }
  return description.spans.get('')?.value ?? FIRST_CHAR;
}

/** A fix rewrites a literal only where the value was written as one at this use; otherwise it has no edit. */
function literalEdits(description: PythonDescription, configPath: string, value: unknown): TextEdit[] {
  const literal = description.literals.get(configPath);
  if (!literal) return [];
  if (literal.kind === 'string' && typeof value === 'string') {
    const spelt = literal.spelling === 'keras-activation' ? kerasActivationString(value) : value;
    const quote = literal.quote ?? "'";
    return [{ range: literal.range, newText: `${quote}${spelt}${quote}` }];
  }
  if (literal.kind === 'number' && typeof value === 'number' && Number.isFinite(value)) return [{ range: literal.range, newText: pythonNumber(value) }];
  if (literal.kind === 'bool' && typeof value === 'boolean') return [{ range: literal.range, newText: value ? 'True' : 'False' }];
  return [];
}

/** "Set model.latent.activation to linear ('relu' -> 'linear')": the fix title names the literal it rewrites. */
function withLiteralInTitle(finding: Finding, text: string): Finding {
  const edit = finding.fix?.edits[0];
  if (!finding.fix || !edit || finding.fix.edits.length !== 1 || edit.range.start.line !== edit.range.end.line) return finding;
  const old = text.split('\n')[edit.range.start.line]?.slice(edit.range.start.character, edit.range.end.character);
  return old === undefined ? finding : { ...finding, fix: { ...finding.fix, title: `${finding.fix.title} (${old} -> ${edit.newText})` } };
}

function pythonNumber(value: number): string {
  if (Number.isInteger(value)) return String(value);
  const abs = Math.abs(value);
  return abs !== 0 && abs < 1e-3 ? value.toExponential().replace('e-', 'e-') : String(value);
}

/**
 * TSAE103 on the width of a recurrent layer that emits the output itself: the config reads it as a
 * decoder layer before a dense head, but in the code it is the head, as wide as the features must
 * be; making it as wide as the latent would change what the model outputs.
 */
function isOutputLayerWidth(finding: Finding, description: PythonDescription): boolean {
  return finding.code === 'TSAE103' && description.outputLayerPath !== undefined && finding.configPath === `${description.outputLayerPath}.units`;
}

function sortFindings(findings: Finding[]): Finding[] {
  return findings.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character || a.code.localeCompare(b.code));
}
