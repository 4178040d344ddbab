// Builds a rule's findings the same way everywhere: on ctx.rangeOf(path) (the value when written,
// else the nearest written ancestor key), with the rule's code and severity, and a fix made of
// the minimal edits that set one key.

import type { Finding, FixSafety } from '../types';
import type { Rule, RuleContext } from './types';

export interface FixSpec {
  /** Key to set; the fix title says so ("Set model.bridge to repeat"). */
  path: string;
  value: unknown;
  safety: FixSafety;
  /** Overrides the default title ("Set <path> to <value>") when the fix has a consequence to state. */
  title?: string;
}

export function findingAt(
  rule: Pick<Rule, 'code' | 'severity'>,
  ctx: RuleContext,
  configPath: string,
  message: string,
  extra: { fix?: FixSpec; data?: Finding['data'] } = {},
): Finding {
  const finding: Finding = { code: rule.code, severity: rule.severity, message, range: ctx.rangeOf(configPath), configPath };
  if (extra.fix) {
    const { path, value, safety, title } = extra.fix;
    finding.fix = { title: title ?? `Set ${path} to ${describeValue(value)}`, safety, changes: [{ path, value }], edits: ctx.setValueEdits(path, value) };
  }
  if (extra.data) finding.data = extra.data;
  return finding;
}

function describeValue(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}
