// A config file parsed with its source map. Rules, hovers, quick fixes and runtime findings all
// locate config keys through this, so YAML and JSON look the same to everything downstream.

import type { Finding, Range } from '../types';

/** `python`: a description read from Python code (src/core/python/), never edited as a config. */
export type ConfigFormat = 'yaml' | 'json' | 'python';

/** Where one config key sits in the text. `key` is absent for array items and the root. */
export interface SourceSpan {
  key?: Range;
  value: Range;
}

export interface ParsedConfig {
  format: ConfigFormat;
  /** Absolute path of the config file (used to resolve `data.path`). */
  fileName: string;
  text: string;
  /** The plain value (undefined when the text could not be parsed at all). */
  value: unknown;
  /**
   * Dotted config path -> span. Array items use their index: `model.encoder.0.units`.
   * The root is ''.
   */
  spans: Map<string, SourceSpan>;
  /** TSAE001 syntax findings; parsing never throws. */
  syntaxFindings: Finding[];
}
