// Runs as experiments: what a user adds to a run (a name of their own, tags, a note, kept in the
// run folder's notes.json), and how runs differ (the resolved config flattened to dotted keys, the
// keys whose values differ, a short diff to the previous run of the same config). Read by the
// runs side panel, the comparison panel and usable from the CLI.

import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { writeJsonAtomic } from './atomicWrite';
import { RUN_FILES } from './types';

export interface RunNotes {
  /** A name of the user's own, shown instead of the config's name. */
  label?: string;
  tags: string[];
  note?: string;
}

export const MAX_LABEL_LENGTH = 80;
export const MAX_NOTE_LENGTH = 2000;
export const MAX_TAGS = 20;

/** notes.json of a run; empty notes when it is missing or unreadable (a damaged file never hides the run). */
export async function readRunNotes(runDir: string): Promise<RunNotes> {
  let raw: unknown;
  try {
    raw = JSON.parse(await fs.readFile(path.join(runDir, RUN_FILES.notes), 'utf8'));
  } catch {
    return { tags: [] };
  }
  return sanitiseNotes(raw);
}

/** Keeps only well-typed, bounded fields: notes.json is user-editable and panels render it. */
export function sanitiseNotes(raw: unknown): RunNotes {
  const value = typeof raw === 'object' && raw !== null ? (raw as Record<string, unknown>) : {};
  const text = (v: unknown, max: number): string | undefined => (typeof v === 'string' && v.trim() !== '' ? v.trim().slice(0, max) : undefined);
  const tags = Array.isArray(value.tags) ? [...new Set(value.tags.map((t) => text(t, 40)).filter((t): t is string => t !== undefined))].slice(0, MAX_TAGS) : [];
  const label = text(value.label, MAX_LABEL_LENGTH);
  const note = text(value.note, MAX_NOTE_LENGTH);
  return { ...(label !== undefined ? { label } : {}), tags, ...(note !== undefined ? { note } : {}) };
}

/** Merges `change` into the run's notes and writes them atomically; returns what was written. */
export async function updateRunNotes(runDir: string, change: Partial<RunNotes>): Promise<RunNotes> {
  const stat = await fs.stat(path.join(runDir, RUN_FILES.summary)).catch(() => undefined);
  if (!stat?.isFile()) throw new Error(`${runDir} is not a run folder (no ${RUN_FILES.summary})`);
  const next = sanitiseNotes({ ...(await readRunNotes(runDir)), ...change });
  await writeJsonAtomic(path.join(runDir, RUN_FILES.notes), next);
  return next;
}

/** "a, b ,c" -> ["a", "b", "c"]: tags as a user types them. */
export function parseTags(text: string): string[] {
  return sanitiseNotes({ tags: text.split(',') }).tags;
}

export type ConfigScalar = string | number | boolean | null;

/** Keys that name the run or its files, not the experiment: never a difference worth showing. */
const IGNORED_KEYS = /^(name|description|configFile|dataFile|\$schema)$/;

/** A config as dotted keys to scalars; lists of scalars stay one value (`data.columns` = "[a, b]"). */
export function flattenConfig(value: unknown, prefix = '', out: Record<string, ConfigScalar> = {}): Record<string, ConfigScalar> {
  if (Array.isArray(value) && value.every((v) => v === null || typeof v !== 'object')) {
    out[prefix] = `[${value.map(String).join(', ')}]`;
  } else if (Array.isArray(value)) {
    value.forEach((v, i) => flattenConfig(v, `${prefix}.${i}`, out));
  } else if (typeof value === 'object' && value !== null) {
    for (const [k, v] of Object.entries(value)) {
      const key = prefix === '' ? k : `${prefix}.${k}`;
      if (prefix === '' && IGNORED_KEYS.test(k)) continue;
      flattenConfig(v, key, out);
    }
  } else if (prefix !== '') {
    out[prefix] = value === undefined ? null : (value as ConfigScalar);
  }
  return out;
}

/** The run's resolved config (config.resolved.json) flattened; undefined when missing or unreadable. */
export async function readRunConfig(runDir: string): Promise<Record<string, ConfigScalar> | undefined> {
  try {
    return flattenConfig(JSON.parse(await fs.readFile(path.join(runDir, RUN_FILES.config), 'utf8')));
  } catch {
    return undefined;
  }
}

/** Keys whose values are not the same in every config (a key missing from one counts as differing), sorted. */
export function differingKeys(configs: ReadonlyArray<Record<string, ConfigScalar>>): string[] {
  const keys = new Set(configs.flatMap((c) => Object.keys(c)));
  return [...keys].filter((k) => new Set(configs.map((c) => JSON.stringify(c[k] ?? null))).size > 1).sort();
}

export interface ConfigChange {
  key: string;
  before: ConfigScalar | undefined;
  after: ConfigScalar | undefined;
}

export function diffConfigs(before: Record<string, ConfigScalar>, after: Record<string, ConfigScalar>): ConfigChange[] {
  return differingKeys([before, after]).map((key) => ({ key, before: before[key], after: after[key] }));
}

/** "model.latent.size 8 → 16", at most `limit` changes plus "+N more". */
export function describeChanges(changes: readonly ConfigChange[], limit = 3): string[] {
  const show = (v: ConfigScalar | undefined): string => (v === undefined ? '(unset)' : String(v));
  const lines = changes.slice(0, limit).map((c) => `${c.key} ${show(c.before)} → ${show(c.after)}`);
  if (changes.length > limit) lines.push(`+${changes.length - limit} more`);
  return lines;
}
