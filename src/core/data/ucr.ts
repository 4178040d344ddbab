// UCR archive format: no header, one sequence per line, values separated by whitespace (or
// commas, as in some exports); one column holds the class label.

import { DataError, locationPrefix } from './errors';
import { FloatBuffer, NOT_A_NUMBER, parseCell, parseLabel, splitUcrRecord } from './cells';
import { BadCellList } from './badCells';
import { forEachLine } from './lines';
import type { RawTable, ReadContext } from './table';

export interface UcrSpec extends ReadContext {
  /** 0-based column of the class label. */
  labelIndex: number;
}

export async function readUcr(spec: UcrSpec): Promise<RawTable> {
  const { file, display, labelIndex } = spec;
  // Annotated so TypeScript treats each call as the end of the path and narrows after it.
  const fail: (message: string, line?: number, column?: number, field?: string) => never = (message, line, column, field) => {
    throw new DataError(`${locationPrefix(display, line, column)}${message}`, { file, line, column, field });
  };
  const values = new FloatBuffer();
  const lines: number[] = [];
  const labels: Array<number | string> = [];
  let expected: { fields: number; line: number } | undefined;
  const bad = new BadCellList();

  await forEachLine(
    file,
    (text, line) => {
      const fields = splitUcrRecord(text);
      if (fields.length === 0) return true;
      if (!expected) {
        if (labelIndex >= fields.length) {
          fail(`data.label is column ${labelIndex} (0-based) but the row has ${fields.length} values`, line, undefined, 'data.label');
        }
        if (fields.length < 2) fail('a UCR row needs a label and at least one value', line);
        expected = { fields: fields.length, line };
      } else if (fields.length !== expected.fields) {
        fail(`${fields.length - 1} values besides the label but the first row (line ${expected.line}) has ${expected.fields - 1}`, line);
      }
      for (let i = 0; i < fields.length; i++) {
        if (i === labelIndex) continue;
        const value = parseCell(fields[i]);
        if (value === NOT_A_NUMBER) {
          bad.add({ line, column: i + 1, name: '', raw: fields[i], row: lines.length, field: 'data.path' });
          values.push(NaN);
        } else values.push(value);
      }
      labels.push(parseLabel(fields[labelIndex]));
      lines.push(line);
      return spec.maxRows === undefined || lines.length < spec.maxRows;
    },
    spec.signal,
    display,
  );

  if (!expected) fail('empty file: expected one sequence per line', 1);
  if (bad.total > 0) throw bad.toError(file, display);
  const columns = Array.from({ length: expected!.fields }, (_, i) => i + 1).filter((c) => c !== labelIndex + 1);
  return {
    namedColumns: false,
    inputNames: columns.map(String),
    inputColumns: columns,
    targetNames: [],
    targetColumns: [],
    inputs: values.toArray(),
    lines,
    labels,
    rowCount: lines.length,
  };
}
