// Turns a validated config value into a ResolvedConfig. Defaults come from the schema's
// `default` keywords; only the ones that depend on other fields (data format and layout, name,
// UCR label column) are derived here.

import * as path from 'node:path';
import type { ResolvedConfig } from './types';
import { configSchema, deref, isRequiredWithoutDefault, objectBranch, splitPath } from './schema';
import type { JsonSchema } from './schema';
import { isPlainObject, validateConfigValue } from './validate';
import type { ValidationIssue } from './validate';

/** Resolves a config value; throws an Error naming the file and every invalid field. */
export function resolveConfig(value: unknown, configFile: string): ResolvedConfig {
  const issues = validateConfigValue(value);
  if (issues.length > 0) {
    throw new Error(`${configFile}: invalid config:\n${issues.map((issue) => `  ${issue.message}`).join('\n')}`);
  }
  return buildResolved(value as Record<string, unknown>, configFile);
}

/**
 * Resolves a config that may have validation issues, for the rules' view while the user types:
 * unknown keys are ignored and an invalid value falls back to its default (or the nearest
 * enclosing optional section is dropped). Undefined when a required field without default is
 * missing or broken.
 */
export function resolveLeniently(value: unknown, issues: ValidationIssue[], configFile: string): ResolvedConfig | undefined {
  if (issues.length === 0) return isPlainObject(value) ? buildResolved(value, configFile) : undefined;
  if (!isPlainObject(value)) return undefined;
  const cleaned = structuredClone(value);
  for (const issue of issues) {
    if (!removeNearestOptional(cleaned, issue.configPath)) return undefined;
  }
  if (validateConfigValue(cleaned).length > 0) return undefined;
  return buildResolved(cleaned, configFile);
}

/** Deletes the value at `configPath` or at its nearest ancestor that may be absent. */
function removeNearestOptional(root: Record<string, unknown>, configPath: string): boolean {
  const segments = splitPath(configPath);
  for (let depth = segments.length; depth > 0; depth--) {
    const parentSegments = segments.slice(0, depth - 1);
    const key = segments[depth - 1];
    const parent = walk(root, parentSegments);
    if (Array.isArray(parent)) continue; // an item cannot be dropped without shifting its siblings
    if (isRequiredWithoutDefault(parentSegments.join('.'), key)) continue;
    if (isPlainObject(parent)) delete parent[key];
    return true;
  }
  return false;
}

function walk(root: unknown, segments: string[]): unknown {
  let current = root;
  for (const segment of segments) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[segment];
  }
  return current;
}

/** `value` with every missing field that has a schema default filled in, recursively. */
export function withDefaults(schema: JsonSchema, value: unknown): unknown {
  const resolved = deref(schema);
  // Only an object or array default needs a copy (callers may change the result); most are numbers and strings.
  const fallback = resolved.default;
  let result = value === undefined ? (typeof fallback === 'object' && fallback !== null ? structuredClone(fallback) : fallback) : value;
  if (isPlainObject(result)) {
    const object = resolved.properties ? resolved : objectBranch(resolved);
    if (object?.properties) {
      const filled: Record<string, unknown> = { ...result };
      for (const [key, child] of Object.entries(object.properties)) {
        const childValue = withDefaults(child, filled[key]);
        if (childValue !== undefined) filled[key] = childValue;
      }
      result = filled;
    }
  } else if (Array.isArray(result) && resolved.items && !Array.isArray(resolved.items)) {
    const items = resolved.items;
    result = result.map((item) => withDefaults(items, item));
  }
  return result;
}

/** Default data format: csv for a .csv file, else UCR (whose files have no fixed extension). */
export function defaultDataFormat(dataPath: string): 'csv' | 'ucr' {
  return /\.csv$/i.test(dataPath) ? 'csv' : 'ucr';
}

export function configNameFromFile(configFile: string): string {
  return path.basename(configFile).replace(/(\.tsae)?\.(ya?ml|json)$/i, '');
}

function buildResolved(value: Record<string, unknown>, configFile: string): ResolvedConfig {
  // The schema-filled JSON is shaped by the schema, not by a TypeScript type; the return type
  // below is what callers see.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const filled = withDefaults(configSchema, value) as Record<string, any>;
  const data = { ...filled.data };
  data.format ??= defaultDataFormat(data.path);
  data.layout ??= data.format === 'csv' ? 'series' : 'rows';
  if (data.format === 'ucr') data.label ??= 0;
  const training = { ...filled.training };
  if (training.earlyStopping === false) delete training.earlyStopping;
  const absoluteConfig = path.resolve(configFile);
  return {
    name: filled.name ?? configNameFromFile(configFile),
    description: filled.description,
    data,
    windowing: filled.windowing,
    preprocessing: filled.preprocessing,
    split: filled.split,
    task: filled.task,
    model: filled.model,
    training,
    ...(filled.evaluation
      ? {
          evaluation: {
            ...filled.evaluation,
            ...(filled.evaluation.labels ? { labels: path.resolve(path.dirname(absoluteConfig), filled.evaluation.labels) } : {}),
          },
        }
      : {}),
    configFile: absoluteConfig,
    dataFile: path.resolve(path.dirname(absoluteConfig), data.path),
  };
}
