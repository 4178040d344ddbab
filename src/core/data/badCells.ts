// Bad cells (text where a number belongs) are collected, not thrown at the first one: the loader
// and the lint probe report every one up to BAD_CELL_CAP, each as file:line:column, with the
// total. A cell is described by what is wrong with it, never by its content.

import { describeBadCell } from './cells';
import { DataError, locationPrefix } from './errors';

/** Bad cells listed by place; the rest are counted. */
export const BAD_CELL_CAP = 20;

export interface BadCell {
  /** 1-based line in the data file. */
  line: number;
  /** 1-based column. */
  column: number;
  /** Header name (CSV); empty for files without a header (UCR). */
  name: string;
  /** 0-based data row (for `data.maxRows`). */
  row: number;
  /** What is wrong, from describeBadCell. */
  problem: string;
  /** Config key that made the column be read. */
  field: string;
}

interface ColumnCells {
  count: number;
  first: BadCell[];
}

export class BadCellList {
  private readonly columns = new Map<number, ColumnCells>();

  add(cell: Omit<BadCell, 'problem'> & { raw: string }): void {
    let entry = this.columns.get(cell.column);
    if (!entry) this.columns.set(cell.column, (entry = { count: 0, first: [] }));
    entry.count++;
    if (entry.first.length < BAD_CELL_CAP) {
      const { raw, ...place } = cell;
      entry.first.push({ ...place, problem: describeBadCell(raw) });
    }
  }

  /** Forgets columns that turned out not to be read (text columns left out of the inputs). */
  keepColumns(...keep: Array<Set<number>>): void {
    for (const column of [...this.columns.keys()]) if (!keep.some((set) => set.has(column))) this.columns.delete(column);
  }

  get total(): number {
    let total = 0;
    for (const entry of this.columns.values()) total += entry.count;
    return total;
  }

  /** Bad cells in the first `maxRows` rows: the first BAD_CELL_CAP by position, and how many there are in all. */
  summary(maxRows = Infinity, columns?: Set<number>): { cells: BadCell[]; total: number; exact: boolean } {
    const cells: BadCell[] = [];
    let total = 0;
    let exact = true;
    for (const [column, entry] of this.columns) {
      if (columns && !columns.has(column)) continue;
      const within = entry.first.filter((cell) => cell.row < maxRows);
      cells.push(...within);
      // Cells come in row order: when some listed ones lie beyond maxRows, so do all unlisted ones.
      if (within.length === entry.first.length && entry.count > entry.first.length) {
        if (maxRows === Infinity) total += entry.count;
        else {
          total += within.length;
          exact = false;
        }
      } else total += within.length;
    }
    cells.sort((a, b) => a.line - b.line || a.column - b.column);
    return { cells: cells.slice(0, BAD_CELL_CAP), total, exact };
  }

  /** The loader's error: every listed cell as line:column (name): problem. */
  toError(file: string, display: string, maxRows = Infinity): DataError {
    const { cells, total, exact } = this.summary(maxRows);
    const first = cells[0];
    const message = `${locationPrefix(display, first.line, first.column)}${describeBadCells(display, cells, total, exact)}`;
    return new DataError(message, { file, line: first.line, column: first.column, field: first.field });
  }
}

/** `column "value" is not a number here (text)` or `3 cells are not numbers: data.csv:4:2 column "value" (text); ...` */
export function describeBadCells(display: string, cells: BadCell[], total: number, exact = true): string {
  const column = (cell: BadCell): string => (cell.name ? `column "${cell.name}"` : `column ${cell.column}`);
  const hint = '. A missing value is an empty cell or NaN (see data.missing)';
  if (total === 1 && cells.length === 1) return `${column(cells[0])} is not a number here (${cells[0].problem})${hint}`;
  const count = `${exact ? '' : 'at least '}${total}`;
  const list = cells.map((cell) => `${display}:${cell.line}:${cell.column} ${column(cell)} (${cell.problem})`).join('; ');
  const more = total > cells.length ? `; and ${total - cells.length} more` : '';
  return `${count} cells are not numbers: ${list}${more}${hint}`;
}
