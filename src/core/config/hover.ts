// Hover text for a position in a config: what the key means (from the schema), the default in
// effect, the compression the window and latent sizes imply, and what any finding there means.

import type { DataProbe } from '../data/probe';
import { CONFIG_CHECKS, docUrl } from '../rules/docs';
import { rules } from '../rules/index';
import type { Finding, Position, Range } from '../types';
import type { ParsedConfig } from './document';
import { formatYamlFlow } from './edit';
import { compressionOf, describeCompression } from './facts';
import { deref, objectBranch, schemaAt } from './schema';
import { containsPosition } from './text';
import type { ResolvedConfig } from './types';
import { valueAt } from './validate';

export interface HoverInfo {
  range: Range;
  markdown: string;
}

const COMPRESSION_PATHS = /^(model\.latent|windowing|model\.encoder)(\.|$)/;

export function hoverInfo(
  parsed: ParsedConfig,
  position: Position,
  findings: Finding[],
  resolved: ResolvedConfig | undefined,
  probe: DataProbe | undefined,
): HoverInfo | undefined {
  const sections: string[] = [];
  let range: Range | undefined;

  const target = pathAt(parsed, position);
  if (target) {
    range = target.range;
    sections.push(describeKey(parsed, target.path, resolved, probe));
  }
  for (const finding of findings) {
    if (!containsPosition(finding.range, position)) continue;
    range ??= finding.range;
    sections.push(describeFinding(finding));
  }
  return range && sections.length > 0 ? { range, markdown: sections.join('\n\n---\n\n') } : undefined;
}

/** The most specific key under the cursor, or a scalar value (list items have no key). */
function pathAt(parsed: ParsedConfig, position: Position): { path: string; range: Range } | undefined {
  let best: { path: string; range: Range } | undefined;
  for (const [path, span] of parsed.spans) {
    if (path === '') continue;
    const hit = span.key && containsPosition(span.key, position) ? span.key : undefined;
    const onValue = !hit && isLeaf(parsed, path) && containsPosition(span.value, position) ? span.value : undefined;
    const range = hit ?? onValue;
    if (range && (!best || path.length > best.path.length)) best = { path, range };
  }
  return best;
}

function isLeaf(parsed: ParsedConfig, path: string): boolean {
  const value = valueAt(parsed.value, path);
  return value === null || typeof value !== 'object';
}

function describeKey(parsed: ParsedConfig, path: string, resolved: ResolvedConfig | undefined, probe?: DataProbe): string {
  const lines = [`**\`${path}\`**`];
  const schema = schemaAt(path);
  if (!schema) {
    lines.push('Not a field of the TSAE config format.');
    return lines.join('\n\n');
  }
  const doc = schema.markdownDescription ?? schema.description;
  if (doc) lines.push(doc);
  const allowed = schema.enum;
  if (allowed) lines.push(`Allowed: ${allowed.map((v) => `\`${String(v)}\``).join(', ')}`);
  if (schema.default !== undefined && (typeof schema.default !== 'object' || Array.isArray(schema.default))) {
    lines.push(`Default: \`${formatYamlFlow(schema.default)}\``);
  }
  const written = valueAt(parsed.value, path);
  const inEffect = resolved ? valueAt(resolved, path) : undefined;
  if (inEffect !== undefined && written !== undefined && (written === null || typeof written !== 'object') && written !== inEffect) {
    lines.push(`In effect: \`${formatYamlFlow(inEffect)}\` (the default, while the written value is invalid)`);
  }
  const defaulted = resolved ? defaultedChildren(parsed, path, resolved) : [];
  if (defaulted.length > 0) lines.push(`Defaults in effect: ${defaulted.join(', ')}`);
  if (resolved && COMPRESSION_PATHS.test(path)) {
    const compression = compressionOf(parsed, resolved, probe);
    if (compression) lines.push(`Compression: ${describeCompression(compression)}`);
  }
  return lines.join('\n\n');
}

/** `key: value` for each field of the object at `path` that the user left to its default. */
function defaultedChildren(parsed: ParsedConfig, path: string, resolved: ResolvedConfig): string[] {
  const schema = schemaAt(path);
  if (!schema) return [];
  const object = deref(schema).properties ? deref(schema) : objectBranch(deref(schema));
  if (!object?.properties) return [];
  const resolvedHere = valueAt(resolved, path);
  return Object.keys(object.properties)
    .filter((key) => !parsed.spans.has(`${path}.${key}`))
    .map((key) => [key, valueAt(resolvedHere, key)] as const)
    .filter(([, value]) => value !== undefined)
    .map(([key, value]) => `\`${key}: ${formatYamlFlow(value)}\``);
}

function describeFinding(finding: Finding): string {
  const rule = rules.find((r) => r.code === finding.code);
  const check = CONFIG_CHECKS.find((c) => c.code === finding.code);
  const title = rule?.title ?? check?.title ?? finding.code;
  const summary = rule?.summary ?? check?.summary ?? '';
  return [`**${finding.code}** ${title}`, summary, `[Documentation](${docUrl(finding.code)})`].filter(Boolean).join('\n\n');
}
