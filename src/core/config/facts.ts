// Figures derived from a resolved config (and the data probe) that hovers and rules share.

import type { DataProbe } from '../data/probe';
import type { ResolvedConfig } from './types';

/** Columns fed to the encoder, or undefined when only the data file could tell and it was not read. */
export function inputColumns(config: ResolvedConfig, probe?: DataProbe): string[] | undefined {
  if (config.data.format === 'ucr' || config.data.layout === 'rows') return ['value'];
  const targets = config.task.type === 'seq2seq' ? new Set(config.task.targetColumns ?? []) : new Set<string>();
  if (config.data.columns) return config.data.columns.filter((c) => !targets.has(c));
  if (!probe) return undefined;
  const excluded = new Set<string>([config.data.timestamp, String(config.data.label ?? '')].filter(Boolean) as string[]);
  return probe.columns.filter((c) => probe.stats[c] !== undefined && !excluded.has(c) && !targets.has(c));
}

export interface Compression {
  valuesPerWindow: number;
  latentUnits: number;
  /** valuesPerWindow / latentUnits */
  ratio: number;
}

export function compressionOf(config: ResolvedConfig, probe?: DataProbe): Compression | undefined {
  const columns = inputColumns(config, probe);
  if (!columns || columns.length === 0) return undefined;
  const valuesPerWindow = config.windowing.length * columns.length;
  return { valuesPerWindow, latentUnits: config.model.latent.size, ratio: valuesPerWindow / config.model.latent.size };
}

export function describeCompression(c: Compression): string {
  const ratio = Number.isInteger(c.ratio) ? String(c.ratio) : String(Number(c.ratio.toFixed(2)));
  return `${c.valuesPerWindow} values per window -> ${c.latentUnits} latent unit${c.latentUnits === 1 ? '' : 's'}: ${ratio}:1`;
}
