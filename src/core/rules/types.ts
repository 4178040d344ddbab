// A static rule is data plus a check: the engine runs every rule in src/core/rules/index.ts on a
// config that parsed and resolved, and each rule reports findings on exact ranges.

import type { ParsedConfig } from '../config/document';
import type { ResolvedConfig } from '../config/types';
import type { DataProbe } from '../data/probe';
import type { Finding, Range, Severity, TextEdit } from '../types';

export interface RuleContext {
  parsed: ParsedConfig;
  /** The config with every schema default filled in. */
  config: ResolvedConfig;
  /**
   * Header and column statistics of the data file, when it could be read; rules that need
   * the data stay silent without it.
   */
  probe?: DataProbe;
  /** Best range for a dotted path: its value if present, else the nearest present ancestor key. */
  rangeOf(configPath: string): Range;
  /** True when the user wrote this key (as opposed to it coming from a default). */
  isPresent(configPath: string): boolean;
  /** Minimal edits that set `configPath` to `value`, inserting the key when it is absent. */
  setValueEdits(configPath: string, value: unknown): TextEdit[];
}

export type FixAvailability = 'always' | 'sometimes' | 'none';

export interface Rule {
  /** `TSAE1NN`; the doc page is docs/rules/<code>.md. */
  code: string;
  /** kebab-case, e.g. `relu-bottleneck`. */
  name: string;
  title: string;
  severity: Severity;
  /** Version of TSAE that introduced the rule (ruff-style); codes are never reused. */
  since?: string;
  fixAvailability: FixAvailability;
  /**
   * The runtime symptoms (TSAE2xx detector codes) this hazard can cause. After a failed run the
   * diagnosis prefers a static hazard that explains the symptom over a detector's generic blame.
   */
  explains: readonly string[];
  /**
   * True for rules whose error means training cannot start (the data loader would refuse the
   * file); other TSAE1xx findings never block training (see lint.blocksTraining).
   */
  blocksTraining?: boolean;
  /** One paragraph for hovers; the doc page has the rest. */
  summary: string;
  check(ctx: RuleContext): Finding[];
}
