// Which documents the server lints, and the file name the linter sees for each.

import { fileURLToPath } from 'node:url';

const TSAE_LANGUAGES = new Set(['tsae-yaml', 'tsae-json']);
/** Generic languages count only when the file name says it is a TSAE config. */
const GENERIC_LANGUAGES = new Set(['yaml', 'json', 'jsonc']);
const TSAE_FILE_NAME = /\.tsae\.(ya?ml|json)$/i;

export function isTsaeDocument(uri: string, languageId: string): boolean {
  if (TSAE_LANGUAGES.has(languageId)) return true;
  return GENERIC_LANGUAGES.has(languageId) && TSAE_FILE_NAME.test(pathOfUri(uri));
}

/** Python files (and untitled Python buffers) get the TSAE rules through the Python front end. */
export function isPythonDocument(uri: string, languageId: string): boolean {
  return languageId === 'python' || /\.py$/i.test(pathOfUri(uri));
}

/**
 * The path the linter resolves `data.path` against: the file system path for `file:` URIs,
 * otherwise the URI's path (an untitled or virtual document has no folder on disk).
 */
export function fileNameOf(uri: string): string {
  if (uri.startsWith('file:')) {
    try {
      return fileURLToPath(uri);
    } catch {
      // A malformed file URI (e.g. a bad percent escape) still gets linted, by its raw path.
    }
  }
  return pathOfUri(uri);
}

function pathOfUri(uri: string): string {
  try {
    return decodeURIComponent(new URL(uri).pathname);
  } catch {
    return uri;
  }
}

/** The file system path of a `file:` URI, or undefined for other schemes. */
export function filePathOf(uri: string): string | undefined {
  if (!uri.startsWith('file:')) return undefined;
  try {
    return fileURLToPath(uri);
  } catch {
    return undefined;
  }
}
