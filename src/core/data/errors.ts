// Bad data is the user's problem to fix, so every failure names the place to look: the file
// (as the user wrote it in `data.path`), the 1-based line and column, and the config key that
// led us there. Editors and the CLI turn these fields into links.

export class DataError extends Error {
  /** Absolute path of the data file. */
  readonly file: string;
  /** 1-based line in the data file. */
  readonly line?: number;
  /** 1-based column index or the column's header name. */
  readonly column?: number | string;
  /** Dotted config path the problem relates to, e.g. `data.columns`. */
  readonly field?: string;

  constructor(message: string, where: { file: string; line?: number; column?: number | string; field?: string }) {
    super(message);
    this.name = 'DataError';
    this.file = where.file;
    this.line = where.line;
    this.column = where.column;
    this.field = where.field;
  }
}

/** `file:line:column: ` prefix in the style compilers use, so terminals make it clickable. */
export function locationPrefix(displayFile: string, line?: number, column?: number): string {
  let prefix = displayFile;
  if (line !== undefined) prefix += `:${line}`;
  if (line !== undefined && column !== undefined) prefix += `:${column}`;
  return `${prefix}: `;
}
