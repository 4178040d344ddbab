// Runs the static rules on a parsed, resolved config. Each rule is isolated: one that throws
// becomes a single TSAE000 finding and the others still report.

import type { ParsedConfig } from '../config/document';
import { setValueEdits } from '../config/edit';
import { findRange } from '../config/ranges';
import type { ResolvedConfig } from '../config/types';
import type { DataProbe } from '../data/probe';
import type { Finding } from '../types';
import { rules as registeredRules } from './index';
import type { Rule, RuleContext } from './types';
import { UnknownInputError } from './unknown';

export function createRuleContext(parsed: ParsedConfig, config: ResolvedConfig, probe?: DataProbe): RuleContext {
  return {
    parsed,
    config,
    probe,
    rangeOf: (configPath) => findRange(parsed, configPath),
    isPresent: (configPath) => parsed.spans.has(configPath),
    setValueEdits: (configPath, value) => setValueEdits(parsed, configPath, value),
  };
}

export function runRules(parsed: ParsedConfig, config: ResolvedConfig, probe?: DataProbe, rules: readonly Rule[] = registeredRules): Finding[] {
  return runRulesInContext(createRuleContext(parsed, config, probe), rules);
}

/**
 * Runs the rules on a prepared context (the config front end's, or the Python front end's whose
 * config throws UnknownInputError for fields the code does not determine: those rules stay silent).
 */
export function runRulesInContext(context: RuleContext, rules: readonly Rule[] = registeredRules): Finding[] {
  const findings: Finding[] = [];
  for (const rule of rules) {
    try {
      for (const finding of rule.check(context)) {
        findings.push({ ...finding, code: finding.code || rule.code, severity: finding.severity ?? rule.severity });
      }
    } catch (error) {
      if (error instanceof UnknownInputError) continue;
      const reason = error instanceof Error ? error.message : String(error);
      findings.push({
        code: 'TSAE000',
        severity: 'error',
        message: `internal error in rule ${rule.code} (${rule.name}): ${reason}`,
        range: context.rangeOf(''),
        configPath: '',
      });
    }
  }
  return findings;
}
