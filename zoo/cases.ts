// The zoo's cases: every zoo/cases/*.tsae.yaml (a config that fails) and zoo/good/*.tsae.yaml
// (a config that must train cleanly), each with a header of `# key: value` comment lines:
//
//   # zoo: one line saying what the case is
//   # class: the pitfall class (unscaled input, sigmoid output on standard-scaled data, ...)
//   # data: the data set
//   # expect: TSAE112 TSAE106        static codes the linter must report (`none` for none)
//   # expect-runtime: TSAE201        runtime codes training must report (`none`: no runtime finding);
//                                    TSAE201|TSAE203 means either (two detectors that see the same failure)
//   # allow-runtime: TSAE204         further runtime codes that are right for this case (not scored)
//   # expect-blame: a.b | c.d        the keys the diagnosis may blame for the first expected code
//   # fix: a.b = value; c.d = value  the change that cures the case (values are JSON, else strings)
//   # expect-data-check: ...         a data problem the linter should report but has no rule for yet
//   # epochs: 6                      epochs the zoo trains (--epochs), to keep a case to seconds
//   # healthy-model: why             a runtime case whose failure is not the model's quality (what
//                                    the config compares with the output), so --validate does not
//                                    require the case as written to train to a failing model
//
// Headers are read strictly: an unknown key, a code that is not TSAE0-2xx or a fix that does not
// parse is an error naming the file and line, so a typo never turns a case into a silent pass.

import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ConfigChange } from '../src/core/types';

export type CaseKind = 'failing' | 'good';

export interface ZooCase {
  id: string;
  kind: CaseKind;
  file: string;
  title: string;
  klass: string;
  data: string;
  expectStatic: string[];
  /** Undefined: the runtime outcome of the case is not scored (static-only case). An entry `A|B` is met by either code. */
  expectRuntime: string[] | undefined;
  allowRuntime: string[];
  blame: string[];
  fix: ConfigChange[];
  dataChecks: string[];
  epochs: number;
  /** Why the case's model may be healthy although the case fails (header `healthy-model`); undefined for most. */
  healthyModel?: string;
}

/** Every code an expect-runtime entry names (`TSAE201|TSAE203` names two). */
export function runtimeCodes(zooCase: Pick<ZooCase, 'expectRuntime'>): string[] {
  return (zooCase.expectRuntime ?? []).flatMap((entry) => entry.split('|'));
}

export class ZooCaseError extends Error {}

const KEYS = ['zoo', 'class', 'data', 'expect', 'expect-runtime', 'allow-runtime', 'expect-blame', 'fix', 'expect-data-check', 'epochs', 'healthy-model'] as const;
type Key = (typeof KEYS)[number];
const CODE = /^TSAE[0-2]\d\d$/;
const DEFAULT_EPOCHS = 6;

export function zooRoot(): string {
  for (let dir = __dirname; dir !== path.dirname(dir); dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'zoo', 'cases')) && fs.existsSync(path.join(dir, 'package.json'))) return path.join(dir, 'zoo');
  }
  throw new ZooCaseError(`cannot find the zoo folder above ${__dirname}`);
}

export function loadCases(root = zooRoot()): ZooCase[] {
  const list = (sub: string, kind: CaseKind) =>
    fs
      .readdirSync(path.join(root, sub))
      .filter((name) => name.endsWith('.tsae.yaml'))
      .sort()
      .map((name) => parseCase(path.join(root, sub, name), fs.readFileSync(path.join(root, sub, name), 'utf8'), kind));
  return [...list('cases', 'failing'), ...list('good', 'good')];
}

export function parseCase(file: string, text: string, kind: CaseKind): ZooCase {
  const header = new Map<Key, { value: string; line: number }>();
  text.split('\n').forEach((raw, i) => {
    const m = /^#\s*([a-z-]+):\s*(.*)$/.exec(raw.trim());
    if (!m || m[1] === 'yaml-language-server') return;
    const key = m[1] as Key;
    if (!KEYS.includes(key)) throw new ZooCaseError(`${file}:${i + 1}: unknown zoo header key "${m[1]}" (known: ${KEYS.join(', ')})`);
    if (header.has(key)) throw new ZooCaseError(`${file}:${i + 1}: "${key}" given twice`);
    header.set(key, { value: m[2].trim(), line: i + 1 });
  });
  const get = (key: Key) => header.get(key)?.value;
  const codes = (key: Key): string[] | undefined => {
    const entry = header.get(key);
    if (!entry) return undefined;
    if (entry.value === 'none') return [];
    const list = entry.value.split(/\s+/).filter(Boolean);
    const bad = list.flatMap((c) => (key === 'expect-runtime' ? c.split('|') : [c])).find((c) => !CODE.test(c));
    if (bad) throw new ZooCaseError(`${file}:${entry.line}: "${bad}" is not a TSAE code in ${key}`);
    return list;
  };
  const id = path.basename(file, '.tsae.yaml');
  const title = get('zoo');
  if (!title) throw new ZooCaseError(`${file}: missing "# zoo:" line saying what the case is`);
  const expectStatic = codes('expect');
  if (!expectStatic) throw new ZooCaseError(`${file}: missing "# expect:" (static codes, or none)`);
  const expectRuntime = codes('expect-runtime');
  const blame = (get('expect-blame') ?? '')
    .split('|')
    .map((k) => k.trim())
    .filter(Boolean);
  const fix = parseFix(file, header.get('fix'));
  const epochsText = get('epochs');
  const epochs = epochsText === undefined ? DEFAULT_EPOCHS : Number(epochsText);
  if (!Number.isInteger(epochs) || epochs < 1) throw new ZooCaseError(`${file}:${header.get('epochs')!.line}: epochs must be a whole number >= 1, got ${epochsText}`);
  if (kind === 'good' && (expectStatic.length > 0 || (expectRuntime ?? []).length > 0))
    throw new ZooCaseError(`${file}: a good config expects no finding (expect: none, expect-runtime: none)`);
  if (kind === 'failing') {
    if (expectStatic.length === 0 && (expectRuntime ?? []).length === 0 && !get('expect-data-check'))
      throw new ZooCaseError(`${file}: a failing case expects at least one code or data check`);
    if ((expectRuntime ?? []).length > 0 && blame.length === 0) throw new ZooCaseError(`${file}: a case with expect-runtime needs "# expect-blame:"`);
    if ((expectRuntime ?? []).length > 0 && fix.length === 0) throw new ZooCaseError(`${file}: a case with expect-runtime needs "# fix:"`);
  }
  return {
    id,
    kind,
    file,
    title,
    klass: get('class') ?? '',
    data: get('data') ?? '',
    expectStatic,
    expectRuntime,
    allowRuntime: codes('allow-runtime') ?? [],
    blame,
    fix,
    dataChecks: (get('expect-data-check') ?? '')
      .split(';')
      .map((s) => s.trim())
      .filter(Boolean),
    epochs,
    ...(get('healthy-model') ? { healthyModel: get('healthy-model') } : {}),
  };
}

/** `a.b = 1; c.d = linear` -> changes; values are JSON when they parse, else strings. */
function parseFix(file: string, entry: { value: string; line: number } | undefined): ConfigChange[] {
  if (!entry || entry.value === '') return [];
  return entry.value.split(';').map((part) => {
    const m = /^\s*([A-Za-z][\w.]*)\s*=\s*(.+?)\s*$/.exec(part);
    if (!m) throw new ZooCaseError(`${file}:${entry.line}: fix "${part.trim()}" is not "path = value"`);
    let value: unknown = m[2];
    try {
      value = JSON.parse(m[2]);
    } catch {
      // A bare word such as linear or standard is a string.
    }
    return { path: m[1], value };
  });
}
