// The compression figure hovers show. It counts input features with the same function the rules
// use (src/core/rules/facts.ts), so a hover and TSAE103 can never disagree about a config.

import type { DataProbe } from '../data/probe';
import { createRuleContext } from '../rules/engine';
import { inputFeatureCount } from '../rules/facts';
import type { ParsedConfig } from './document';
import type { ResolvedConfig } from './types';

export interface Compression {
  valuesPerWindow: number;
  latentUnits: number;
  /** valuesPerWindow / latentUnits */
  ratio: number;
}

/** Undefined when the feature count is unknown (no data.columns and the data file was not read). */
export function compressionOf(parsed: ParsedConfig, config: ResolvedConfig, probe?: DataProbe): Compression | undefined {
  const features = inputFeatureCount(createRuleContext(parsed, config, probe));
  if (!features) return undefined;
  const valuesPerWindow = config.windowing.length * features;
  return { valuesPerWindow, latentUnits: config.model.latent.size, ratio: valuesPerWindow / config.model.latent.size };
}

export function describeCompression(c: Compression): string {
  const ratio = Number.isInteger(c.ratio) ? String(c.ratio) : String(Number(c.ratio.toFixed(2)));
  return `${c.valuesPerWindow} values per window -> ${c.latentUnits} latent unit${c.latentUnits === 1 ? '' : 's'}: ${ratio}:1`;
}
