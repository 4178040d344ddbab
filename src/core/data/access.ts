// Which data files a lint may read. In an untrusted workspace the editor's language server reads
// data files only inside the workspace folders: a config from an untrusted source must not make
// the editor open (and report on) files elsewhere on the machine. Symlinks are followed, so a
// link inside the workspace to a file outside it counts as outside.

import * as fs from 'node:fs';
import * as path from 'node:path';

function real(file: string): string {
  try {
    return fs.realpathSync(file);
  } catch {
    // A missing file: judge the path as written (its folder may still be a link).
    try {
      return path.join(fs.realpathSync(path.dirname(file)), path.basename(file));
    } catch {
      return path.resolve(file);
    }
  }
}

/** True when `roots` is undefined (no restriction) or `file` lies inside one of them. */
export function mayReadData(file: string, roots: readonly string[] | undefined): boolean {
  if (roots === undefined) return true;
  const target = real(file);
  return roots.some((root) => {
    const relative = path.relative(real(root), target);
    return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative);
  });
}
