// CSV with a header row (RFC 4180 quoting: fields in double quotes may hold commas, doubled
// quotes and line breaks). Only the columns the config asks for are parsed as numbers.

import { DataError, locationPrefix } from './errors';
import { FloatBuffer, NOT_A_NUMBER, parseCell, parseLabel, quoteCell } from './cells';
import { forEachLine } from './lines';
import type { RawTable, ReadContext } from './table';
import { TimestampOrderCheck } from './timestamps';

export interface CsvSpec extends ReadContext {
  /** Input columns by header name; default: every numeric column but timestamp, label and targets. */
  columns?: string[];
  targetColumns?: string[];
  /** Header name, or a 0-based column index. */
  label?: string | number;
  timestamp?: string;
}

/** Column names a timestamp column goes by when `data.timestamp` is not set. */
const TIMESTAMP_NAMES = new Set(['timestamp', 'time', 'date', 'datetime']);

/** Splits one CSV record. Returns undefined while a quoted field is still open (it continues on the next line). */
export function splitCsvRecord(text: string): string[] | undefined {
  if (!text.includes('"')) return text.split(',');
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch !== '"') field += ch;
      else if (text[i + 1] === '"') {
        field += '"';
        i++;
      } else quoted = false;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      fields.push(field);
      field = '';
    } else field += ch;
  }
  if (quoted) return undefined;
  fields.push(field);
  return fields;
}

export async function readCsv(spec: CsvSpec): Promise<RawTable> {
  const { file, display } = spec;
  // Annotated so TypeScript treats each call as the end of the path and narrows after it.
  const fail: (message: string, line?: number, column?: number, field?: string) => never = (message, line, column, field) => {
    throw new DataError(`${locationPrefix(display, line, column)}${message}`, { file, line, column, field });
  };

  let header: string[] | undefined;
  let inputIdx: number[] | undefined;
  let targetIdx: number[] = [];
  let labelIdx = -1;
  let timestampCheck: TimestampOrderCheck | undefined;
  let timestampIdx = -1;
  const inputs = new FloatBuffer();
  const targets = new FloatBuffer();
  const lines: number[] = [];
  const labels: Array<number | string> = [];
  const timestamps: string[] = [];
  let pending: { text: string; line: number } | undefined;

  const findColumn = (name: string, field: string): number => {
    const index = header!.indexOf(name);
    if (index < 0) fail(`unknown column "${name}" in ${field}; the header has: ${header!.join(', ')}`, 1, undefined, field);
    return index;
  };

  const readHeader = (fields: string[], line: number): void => {
    header = fields.map((f) => f.trim());
    const seen = new Set<string>();
    for (const name of header) {
      if (seen.has(name)) spec.warn(`${locationPrefix(display, line)}column "${name}" appears more than once in the header; the first is used`);
      seen.add(name);
    }
    if (spec.label !== undefined) {
      if (typeof spec.label === 'number') {
        if (!Number.isInteger(spec.label) || spec.label < 0 || spec.label >= header.length) {
          fail(`data.label is column index ${spec.label} but the header has ${header.length} columns (0-based)`, line, undefined, 'data.label');
        }
        labelIdx = spec.label;
      } else labelIdx = findColumn(spec.label, 'data.label');
    }
    if (spec.timestamp !== undefined) timestampIdx = findColumn(spec.timestamp, 'data.timestamp');
    else timestampIdx = header.findIndex((name) => TIMESTAMP_NAMES.has(name.toLowerCase()));
    if (timestampIdx >= 0) timestampCheck = new TimestampOrderCheck(display, header[timestampIdx]);
    targetIdx = (spec.targetColumns ?? []).map((name) => findColumn(name, 'task.targetColumns'));
    if (spec.columns) {
      if (spec.columns.length === 0) fail('data.columns is empty; name at least one column', line, undefined, 'data.columns');
      inputIdx = spec.columns.map((name) => findColumn(name, 'data.columns'));
    }
  };

  // Without data.columns, the first data row shows which columns hold numbers.
  const chooseDefaultInputs = (fields: string[], line: number): number[] => {
    const excluded = new Set([labelIdx, timestampIdx, ...targetIdx]);
    const chosen = header!.map((_, i) => i).filter((i) => !excluded.has(i) && parseCell(fields[i]) !== NOT_A_NUMBER);
    if (chosen.length === 0) {
      fail(`no numeric columns in the first data row; set data.columns (the header has: ${header!.join(', ')})`, line, undefined, 'data.columns');
    }
    return chosen;
  };

  const pushCells = (fields: string[], indices: number[], into: FloatBuffer, line: number, field: string): void => {
    for (const index of indices) {
      const value = parseCell(fields[index]);
      if (value === NOT_A_NUMBER) {
        fail(`non-numeric value ${quoteCell(fields[index].trim())} in column "${header![index]}"`, line, index + 1, field);
      }
      into.push(value);
    }
  };

  const readRecord = (fields: string[], line: number): boolean => {
    if (!header) {
      readHeader(fields, line);
      return true;
    }
    if (fields.length !== header.length) {
      fail(`${fields.length} fields but the header (line 1) has ${header.length}`, line);
    }
    inputIdx ??= chooseDefaultInputs(fields, line);
    pushCells(fields, inputIdx, inputs, line, 'data.columns');
    pushCells(fields, targetIdx, targets, line, 'task.targetColumns');
    if (labelIdx >= 0) labels.push(parseLabel(fields[labelIdx]));
    if (timestampCheck) {
      timestampCheck.add(fields[timestampIdx], line);
      timestamps.push(fields[timestampIdx].trim());
    }
    lines.push(line);
    return spec.maxRows === undefined || lines.length < spec.maxRows;
  };

  await forEachLine(
    file,
    (text, line) => {
      if (pending) {
        pending.text += `\n${text}`;
      } else {
        // Blank lines carry no record (a trailing newline, a spacer at the end of an export).
        if (text.trim() === '') return true;
        pending = { text, line };
      }
      const fields = splitCsvRecord(pending.text);
      if (!fields) return true;
      const start = pending.line;
      pending = undefined;
      return readRecord(fields, start);
    },
    spec.signal,
  );

  if (pending) fail('quoted field is never closed', pending.line);
  if (!header) fail('empty file: expected a header row and data rows', 1);
  if (lines.length === 0) fail('no data rows after the header', 1);
  for (const warning of timestampCheck?.warnings() ?? []) spec.warn(warning);

  return {
    namedColumns: true,
    inputNames: inputIdx!.map((i) => header![i]),
    inputColumns: inputIdx!.map((i) => i + 1),
    targetNames: targetIdx.map((i) => header![i]),
    targetColumns: targetIdx.map((i) => i + 1),
    inputs: inputs.toArray(),
    targets: targetIdx.length > 0 ? targets.toArray() : undefined,
    lines,
    labels: labelIdx >= 0 ? labels : undefined,
    ...(timestampIdx >= 0 ? { timestamps, timestampName: header[timestampIdx] } : {}),
    rowCount: lines.length,
  };
}
