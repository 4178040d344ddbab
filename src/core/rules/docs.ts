// Where each finding code is documented, and the one-line summaries of the config checks
// (TSAE0xx) that have no Rule object of their own.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';

/** The project's published rule pages: the links' base where no copy of docs/rules ships beside the code. */
export const DOCS_BASE = 'https://github.com/tsae-lab/tsae/blob/main/docs/rules/';

let docsBase = DOCS_BASE;

/**
 * Points rule links at the pages shipped in the package (`<packageRoot>/docs/rules`), so the editor
 * opens the docs of the installed version, offline. Returns false (links unchanged) when the
 * folder is missing. The language server calls it once at start.
 */
export function useBundledDocs(packageRoot: string): boolean {
  const dir = path.join(packageRoot, 'docs', 'rules');
  if (!fs.existsSync(dir)) return false;
  docsBase = `${pathToFileURL(dir).href}/`;
  return true;
}

export function docUrl(code: string): string {
  return `${docsBase}${code}.md`;
}

export interface ConfigCheckDoc {
  code: string;
  title: string;
  summary: string;
}

/** The checks done by the config core itself, before any rule runs. */
export const CONFIG_CHECKS: ConfigCheckDoc[] = [
  {
    code: 'TSAE000',
    title: 'Internal error in a rule',
    summary: 'A lint rule failed on this config. The other findings are still valid; please report the message.',
  },
  {
    code: 'TSAE001',
    title: 'Syntax error',
    summary: 'The file is not valid YAML or JSON, so nothing else in it can be checked until this is fixed.',
  },
  {
    code: 'TSAE002',
    title: 'Unknown key',
    summary: 'This key is not part of the config format; it is ignored, which usually means a typo hides a setting you meant to change.',
  },
  {
    code: 'TSAE003',
    title: 'Invalid value',
    summary: 'The value has the wrong type, is not one of the allowed values or is out of range. The rules assume the default instead.',
  },
  {
    code: 'TSAE004',
    title: 'Missing required field',
    summary: 'A field without a default is missing, so the config cannot be resolved or trained.',
  },
  {
    code: 'TSAE005',
    title: 'Data file not found',
    summary: 'data.path (relative to the config file) does not name a readable data file.',
  },
  {
    code: 'TSAE006',
    title: 'Column not in the data',
    summary: 'A column named in the config is not in the CSV header of the data file.',
  },
  {
    code: 'TSAE007',
    title: 'Data file outside an untrusted workspace',
    summary: 'In an untrusted workspace data files outside the workspace folders are not read, so the data checks did not run on this one.',
  },
];
