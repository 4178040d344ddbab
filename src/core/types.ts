// Shared vocabulary of the core. Positions follow LSP: zero-based line and UTF-16 character.

export interface Position {
  line: number;
  character: number;
}

export interface Range {
  start: Position;
  end: Position;
}

/** Training backends in the order `auto` tries them; the CLI, the setting, the runner, the protocol guards and the bench share it. */
export const TRAINING_BACKENDS = ['fused', 'tensorflow', 'wasm', 'cpu'] as const;
export type TrainingBackend = (typeof TRAINING_BACKENDS)[number];
/** What a user may ask for: a backend, or `auto` to take the first that loads. */
export const BACKEND_NAMES = ['auto', ...TRAINING_BACKENDS] as const;
export type BackendName = (typeof BACKEND_NAMES)[number];

export type Severity = 'error' | 'warning' | 'info' | 'hint';

/** A replacement of `range` in the config text by `newText`. */
export interface TextEdit {
  range: Range;
  newText: string;
}

/**
 * How far a fix can be trusted (after ruff): `safe` keeps the user's intent and may be applied
 * in bulk and marked preferred; `unsafe` changes behaviour the user may rely on; `suggestion`
 * is only shown, never applied automatically.
 */
export type FixSafety = 'safe' | 'unsafe' | 'suggestion';

/** One key set to one value: the meaning of a fix, independent of any text or front end. */
export interface ConfigChange {
  /** Dotted config path, e.g. `model.latent.activation` or `model.encoder.0.units`. */
  path: string;
  value: unknown;
}

/**
 * A fix as config changes. Static rules and runtime detectors both propose fixes in this one
 * shape; the fix planner (src/core/fixes/) vets them and turns them into text edits.
 */
export interface ConfigFix {
  title: string;
  safety: FixSafety;
  changes: ConfigChange[];
}

/** A fix anchored in one text: its config changes plus the edits that make them there. */
export interface Fix extends ConfigFix {
  edits: TextEdit[];
}

/** One problem found in a config, by a static rule (TSAE1xx), a config check (TSAE0xx) or a runtime detector (TSAE2xx). */
export interface Finding {
  code: string;
  severity: Severity;
  message: string;
  range: Range;
  /** Dotted path of the config key the finding is about, e.g. `model.latent.activation`. */
  configPath: string;
  fix?: Fix;
  /** Extra facts for hovers and reports, e.g. `{ compressionRatio: 35 }`. */
  data?: Record<string, number | string | boolean>;
}
