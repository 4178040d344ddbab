// Turns the paths given to `tsae lint` into config files: plain files as given, directories and
// glob patterns expanded to *.tsae.{yaml,yml,json}. Node 20 has no fs.glob, so the few glob
// forms people type (`*`, `?`, `**`, `{a,b}`) are matched here.

import * as fs from 'node:fs';
import * as path from 'node:path';

export const CONFIG_FILE_PATTERN = /\.tsae\.(ya?ml|json)$/i;
/** Python sources and notebooks: linted when named, or matched by a glob that names them (`src/**\/*.py`). */
export const PYTHON_FILE_PATTERN = /\.(py|ipynb)$/i;

/** Folders never worth descending into when looking for configs. */
const SKIPPED_DIRECTORIES = new Set(['node_modules', '.git', 'dist', 'out']);

export class TargetError extends Error {}

/** Config files named by `args`, in a stable order and without duplicates. */
export function expandTargets(args: string[], cwd = process.cwd()): string[] {
  const files: string[] = [];
  for (const arg of args) {
    const matches = hasGlob(arg) ? expandGlob(arg, cwd) : expandPath(arg, cwd);
    if (matches.length === 0) {
      throw new TargetError(hasGlob(arg) ? `no config file matches ${arg}` : `no *.tsae.{yaml,yml,json} file under ${arg}`);
    }
    files.push(...matches);
  }
  return [...new Set(files)];
}

function hasGlob(arg: string): boolean {
  return /[*?{]/.test(arg);
}

function expandPath(arg: string, cwd: string): string[] {
  const absolute = path.resolve(cwd, arg);
  let stat: fs.Stats;
  try {
    stat = fs.statSync(absolute);
  } catch {
    throw new TargetError(`no such file or directory: ${arg}`);
  }
  // A file named explicitly is linted whatever its name; the pattern only filters expansions.
  if (!stat.isDirectory()) return [absolute];
  return walk(absolute).filter((file) => CONFIG_FILE_PATTERN.test(file));
}

function walk(directory: string): string[] {
  const found: string[] = [];
  let listing: fs.Dirent[];
  try {
    listing = fs.readdirSync(directory, { withFileTypes: true });
  } catch (error) {
    throw new TargetError(`cannot read directory ${directory}: ${error instanceof Error ? error.message : String(error)}`);
  }
  const entries = listing.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    const full = path.join(directory, entry.name);
    if (entry.isDirectory()) {
      if (!SKIPPED_DIRECTORIES.has(entry.name) && !entry.name.startsWith('.')) found.push(...walk(full));
    } else if (entry.isFile()) {
      found.push(full);
    }
  }
  return found;
}

function expandGlob(pattern: string, cwd: string): string[] {
  const normalized = pattern.split(path.sep).join('/');
  const segments = normalized.split('/');
  // Walk only from the part of the pattern that has no wildcard.
  const firstWild = segments.findIndex(hasGlob);
  const base = path.resolve(cwd, segments.slice(0, firstWild).join('/') || '.');
  if (!fs.existsSync(base) || !fs.statSync(base).isDirectory()) return [];
  const matcher = globToRegExp(segments.slice(firstWild).join('/'));
  const matches = walk(base).filter((file) => matcher.test(path.relative(base, file).split(path.sep).join('/')));
  // A pattern that names directories (`examples/*`) lints the configs inside them; one that
  // names files keeps only configs, so `dir/*` does not lint data files.
  const namesPython = /\.(py|ipynb)\b/i.test(pattern);
  return matches.filter((file) => CONFIG_FILE_PATTERN.test(file) || (namesPython && PYTHON_FILE_PATTERN.test(file)));
}

/** `**` spans folders, `*` and `?` stay within one, `{a,b}` is an alternative. */
export function globToRegExp(glob: string): RegExp {
  let source = '';
  let braceDepth = 0;
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '*' && glob[i + 1] === '*') {
      const slash = glob[i + 2] === '/';
      source += slash ? '(?:.*/)?' : '.*';
      i += slash ? 2 : 1;
    } else if (c === '*') source += '[^/]*';
    else if (c === '?') source += '[^/]';
    else if (c === '{') {
      braceDepth++;
      source += '(?:';
    } else if (c === '}' && braceDepth > 0) {
      braceDepth--;
      source += ')';
    } else if (c === ',' && braceDepth > 0) source += '|';
    else source += c.replace(/[.+^$()|[\]{}\\]/g, '\\$&');
  }
  // A pattern naming a folder also matches what is inside it.
  return new RegExp(`^${source}(?:/.*)?$`);
}
