// Shared vocabulary of the core. Positions follow LSP: zero-based line and UTF-16 character.

export interface Position {
  line: number;
  character: number;
}

export interface Range {
  start: Position;
  end: Position;
}

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

export interface Fix {
  title: string;
  safety: FixSafety;
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
