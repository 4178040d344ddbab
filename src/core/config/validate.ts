// Validation of a config value against the schema. Ajv's errors are turned into issues that name
// the field in config terms (dotted path, allowed values, a near-miss suggestion), one per place.

import Ajv from 'ajv';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { configSchema, deref, propertyNames, schemaAt } from './schema';
import { joinPath } from './parse';

export type IssueCode = 'TSAE002' | 'TSAE003' | 'TSAE004';

export interface ValidationIssue {
  code: IssueCode;
  /**
   * TSAE002: the unknown key's path; TSAE003: the bad value's path; TSAE004: the missing
   * field's path (its parent is the nearest thing present in the text).
   */
  configPath: string;
  message: string;
}

let compiled: ValidateFunction | undefined;

function validator(): ValidateFunction {
  if (!compiled) {
    const ajv = new Ajv({ allErrors: true, strict: true, strictTuples: false, allowUnionTypes: true });
    ajv.addKeyword('markdownDescription');
    compiled = ajv.compile(configSchema);
  }
  return compiled;
}

export function validateConfigValue(value: unknown): ValidationIssue[] {
  if (value === null || value === undefined) {
    return [{ code: 'TSAE004', configPath: '', message: 'the config is empty: data, windowing and model are required' }];
  }
  const validate = validator();
  if (validate(value)) return [];
  return issuesFromErrors(dropIrrelevantBranches(validate.errors ?? [], value), value);
}

export function pointerToPath(pointer: string): string {
  if (pointer === '') return '';
  return pointer
    .slice(1)
    .split('/')
    .map((segment) => segment.replace(/~1/g, '/').replace(/~0/g, '~'))
    .join('.');
}

export function valueAt(root: unknown, configPath: string): unknown {
  if (configPath === '') return root;
  let current: unknown = root;
  for (const segment of configPath.split('.')) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[segment];
  }
  return current;
}

/**
 * For `false | {object}` fields ajv reports the failures of every branch. When the value is an
 * object the user meant the object branch, so only its errors matter; otherwise only the
 * summary error does.
 */
function dropIrrelevantBranches(errors: ErrorObject[], root: unknown): ErrorObject[] {
  return errors.filter((error) => {
    const match = /^(.*)\/oneOf(?:\/(\d+)\/.*)?$/.exec(error.schemaPath);
    if (!match) return true;
    const oneOfPointer = error.keyword === 'oneOf' ? error.instancePath : undefined;
    const branchIndex = match[2] === undefined ? undefined : Number(match[2]);
    if (oneOfPointer !== undefined) {
      const value = valueAt(root, pointerToPath(oneOfPointer));
      return !isPlainObject(value);
    }
    // An error inside branch `branchIndex`: keep it only if that branch is the object one and
    // the value there is an object.
    const oneOfValue = findOneOfValue(errors, error, root);
    if (!isPlainObject(oneOfValue)) return false;
    return branchIndex !== undefined && branchIsObject(match[1], branchIndex);
  });
}

function findOneOfValue(errors: ErrorObject[], inner: ErrorObject, root: unknown): unknown {
  const summary = errors.find((e) => e.keyword === 'oneOf' && inner.instancePath.startsWith(e.instancePath));
  return summary ? valueAt(root, pointerToPath(summary.instancePath)) : valueAt(root, pointerToPath(inner.instancePath));
}

function branchIsObject(schemaPointer: string, branchIndex: number): boolean {
  let schema: unknown = configSchema;
  for (const segment of schemaPointer.replace(/^#\/?/, '').split('/').filter(Boolean)) {
    schema = (schema as Record<string, unknown> | undefined)?.[segment];
  }
  const branch = (schema as { oneOf?: Array<{ type?: string }> } | undefined)?.oneOf?.[branchIndex];
  return branch?.type === 'object';
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const VALUE_KEYWORD_PRIORITY = ['enum', 'const', 'oneOf', 'type'];

function issuesFromErrors(errors: ErrorObject[], root: unknown): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const valueErrors = new Map<string, ErrorObject>();
  for (const error of errors) {
    const path = pointerToPath(error.instancePath);
    if (error.keyword === 'additionalProperties') {
      const key = String((error.params as { additionalProperty: string }).additionalProperty);
      issues.push({ code: 'TSAE002', configPath: joinPath(path, key), message: unknownKeyMessage(path, key) });
    } else if (error.keyword === 'required') {
      const key = String((error.params as { missingProperty: string }).missingProperty);
      issues.push({
        code: 'TSAE004',
        configPath: joinPath(path, key),
        message: `${joinPath(path, key)}: required field is missing${path === '' ? '' : ` in ${path}`}`,
      });
    } else {
      const previous = valueErrors.get(path);
      if (!previous || keywordRank(error.keyword) < keywordRank(previous.keyword)) valueErrors.set(path, error);
    }
  }
  for (const [path, error] of valueErrors) {
    issues.push({ code: 'TSAE003', configPath: path, message: `${path || 'the config'}: ${valueMessage(error, valueAt(root, path), path)}` });
  }
  return issues;
}

function keywordRank(keyword: string): number {
  const rank = VALUE_KEYWORD_PRIORITY.indexOf(keyword);
  return rank === -1 ? VALUE_KEYWORD_PRIORITY.length : rank;
}

function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}...` : value);
  return String(value);
}

const TYPE_NAMES: Record<string, string> = {
  string: 'a string',
  integer: 'an integer',
  number: 'a number',
  boolean: 'true or false',
  object: 'a mapping',
  array: 'a list',
  null: 'null',
};

function valueMessage(error: ErrorObject, value: unknown, configPath: string): string {
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'type': {
      const types = String(params.type).split(',');
      return `must be ${types.map((t) => TYPE_NAMES[t] ?? t).join(' or ')}, not ${describeValue(value)}`;
    }
    case 'enum':
      return `must be one of ${(params.allowedValues as unknown[]).map(String).join(', ')} (not ${describeValue(value)})`;
    case 'const':
      return `must be ${JSON.stringify(params.allowedValue)}`;
    case 'oneOf':
      return `must be ${describeBranches(configPath)} (not ${describeValue(value)})`;
    case 'minimum':
      return `must be at least ${params.limit} (not ${describeValue(value)})`;
    case 'maximum':
      return `must be at most ${params.limit} (not ${describeValue(value)})`;
    case 'exclusiveMinimum':
      return `must be greater than ${params.limit} (not ${describeValue(value)})`;
    case 'exclusiveMaximum':
      return `must be less than ${params.limit} (not ${describeValue(value)})`;
    case 'minItems':
      return `must have at least ${params.limit} item${params.limit === 1 ? '' : 's'}`;
    case 'maxItems':
      return `must have at most ${params.limit} item${params.limit === 1 ? '' : 's'}`;
    case 'minLength':
      return 'must not be empty';
    case 'uniqueItems':
      return `must not repeat items (items ${params.j} and ${params.i} are equal)`;
    default:
      return error.message ?? `is invalid (${error.keyword})`;
  }
}

/** `false or a mapping with patience and minDelta` for a `oneOf` of a constant and an object. */
function describeBranches(configPath: string): string {
  const schema = schemaAt(configPath);
  const branches = (schema?.oneOf ?? []).map(deref).map((branch) => {
    if (branch.const !== undefined) return JSON.stringify(branch.const);
    if (branch.type === 'object') return `a mapping with ${propertyNames(branch).join(' and ')}`;
    return TYPE_NAMES[String(branch.type)] ?? String(branch.type);
  });
  return branches.length > 0 ? branches.join(' or ') : 'one of the allowed forms';
}

function unknownKeyMessage(parentPath: string, key: string): string {
  const parent = schemaAt(parentPath);
  const allowed = parent ? propertyNames(parent) : [];
  const suggestion = closestName(key, allowed);
  const hint = suggestion ? `; did you mean ${suggestion}?` : allowed.length > 0 ? `; allowed keys: ${allowed.join(', ')}` : '';
  return `${joinPath(parentPath, key)}: unknown key${hint}`;
}

/** The allowed name within edit distance 2 (or differing only in case), if there is one. */
export function closestName(name: string, candidates: string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const distance = candidate.toLowerCase() === name.toLowerCase() ? 0 : editDistance(name, candidate);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return bestDistance <= Math.min(2, Math.max(1, Math.floor(name.length / 3))) ? best : undefined;
}

/** Edit distance where swapping two neighbours counts once (typos like `untis`). */
function editDistance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 3) return Infinity;
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}
