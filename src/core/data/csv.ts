// CSV with a header row (RFC 4180 quoting: fields in double quotes may hold commas, doubled
// quotes and line breaks). Splitting and cell parsing are cells.ts's, lines are lines.ts's.
// Without data.columns every column but the timestamp, the label and the targets that holds a
// number is an input; a column with no number at all is left out with a warning (never silently),
// and every bad cell in a column that is read is reported (up to BAD_CELL_CAP, with the total).

import { DataError, locationPrefix } from './errors';
import { CsvRecordAssembler, FloatBuffer, NOT_A_NUMBER, parseCell, parseLabel } from './cells';
import { BadCellList } from './badCells';
import { forEachLine } from './lines';
import type { RawTable, ReadContext } from './table';
import { TimestampTrack, timestampColumnIndex, timestampWarnings } from './timestamps';

export interface CsvSpec extends ReadContext {
  /** Input columns by header name; default: every numeric column but timestamp, label and targets. */
  columns?: string[];
  targetColumns?: string[];
  /** Header name, or a 0-based column index. */
  label?: string | number;
  timestamp?: string;
}

export async function readCsv(spec: CsvSpec): Promise<RawTable> {
  const { file, display } = spec;
  // Annotated so TypeScript treats each call as the end of the path and narrows after it.
  const fail: (message: string, line?: number, column?: number, field?: string) => never = (message, line, column, field) => {
    throw new DataError(`${locationPrefix(display, line, column)}${message}`, { file, line, column, field });
  };

  let header: string[] | undefined;
  let inputIdx: number[] | undefined;
  /** Without data.columns: every candidate column, parsed into its own buffer until the end shows which hold numbers. */
  let candidates: Array<{ index: number; values: FloatBuffer; numbers: number }> | undefined;
  let targetIdx: number[] = [];
  let labelIdx = -1;
  let timestamps: TimestampTrack | undefined;
  let timestampIdx = -1;
  const inputs = new FloatBuffer();
  const targets = new FloatBuffer();
  const lines: number[] = [];
  const labels: Array<number | string> = [];
  const bad = new BadCellList();
  const assembler = new CsvRecordAssembler();
  /** Timestamp cells as written, one per kept row: scores and events are reported at these. */
  const timestampTexts: string[] = [];

  const findColumn = (name: string, field: string): number => {
    const index = header!.indexOf(name);
    if (index < 0) fail(`column "${name}" named in ${field} is not in the header of ${display}`, 1, undefined, field);
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
    else timestampIdx = timestampColumnIndex(header);
    if (timestampIdx >= 0) timestamps = new TimestampTrack(header[timestampIdx]);
    targetIdx = (spec.targetColumns ?? []).map((name) => findColumn(name, 'task.targetColumns'));
    if (spec.columns) {
      if (spec.columns.length === 0) fail('data.columns is empty; name at least one column', line, undefined, 'data.columns');
      inputIdx = spec.columns.map((name) => findColumn(name, 'data.columns'));
    } else {
      const excluded = new Set([labelIdx, timestampIdx, ...targetIdx]);
      candidates = header
        .map((_, index) => index)
        .filter((index) => !excluded.has(index))
        .map((index) => ({ index, values: new FloatBuffer(), numbers: 0 }));
    }
  };

  const pushCells = (fields: string[], indices: number[], into: FloatBuffer, line: number, field: string): void => {
    for (const index of indices) {
      const value = parseCell(fields[index]);
      if (value === NOT_A_NUMBER) {
        bad.add({ line, column: index + 1, name: header![index], raw: fields[index], row: lines.length, field });
        into.push(NaN);
      } else into.push(value);
    }
  };

  const pushCandidates = (fields: string[], line: number): void => {
    for (const candidate of candidates!) {
      const raw = fields[candidate.index];
      const value = parseCell(raw);
      if (value === NOT_A_NUMBER) {
        bad.add({ line, column: candidate.index + 1, name: header![candidate.index], raw, row: lines.length, field: 'data.columns' });
        candidate.values.push(NaN);
      } else {
        if (!Number.isNaN(value)) candidate.numbers++;
        candidate.values.push(value);
      }
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
    if (inputIdx) pushCells(fields, inputIdx, inputs, line, 'data.columns');
    else pushCandidates(fields, line);
    pushCells(fields, targetIdx, targets, line, 'task.targetColumns');
    if (labelIdx >= 0) labels.push(parseLabel(fields[labelIdx]));
    if (timestamps) {
      timestamps.add(fields[timestampIdx], line);
      timestampTexts.push(fields[timestampIdx].trim());
    }
    lines.push(line);
    return spec.maxRows === undefined || lines.length < spec.maxRows;
  };

  await forEachLine(
    file,
    (text, line) => {
      const record = assembler.push(text, line);
      if (assembler.runaway) fail('a quoted field opened here is not closed within 1000 lines or 4 M characters', assembler.openSince);
      return record ? readRecord(record.fields, record.line) : true;
    },
    spec.signal,
    display,
  );

  if (assembler.openSince !== undefined) fail('quoted field is never closed', assembler.openSince);
  if (!header) fail('empty file: expected a header row and data rows', 1);
  if (lines.length === 0) fail('no data rows after the header', 1);

  let values = inputs;
  if (candidates) {
    // A column with no number in it is text (a name, a note): left out, and said so. A column
    // with numbers is data, and its other cells are bad cells.
    const chosen = candidates.filter((c) => c.numbers > 0);
    const text = candidates.filter((c) => c.numbers === 0);
    bad.keepColumns(new Set(chosen.map((c) => c.index + 1)), new Set(targetIdx.map((i) => i + 1)));
    if (chosen.length === 0) {
      fail(`no column of ${display} holds numbers (besides timestamp, label and targets); set data.columns`, 1, undefined, 'data.columns');
    }
    if (text.length > 0) {
      const names = text.map((c) => `"${header![c.index]}"`).join(', ');
      spec.warn(
        `${locationPrefix(display, 1)}${text.length === 1 ? 'column' : 'columns'} ${names} ${text.length === 1 ? 'holds' : 'hold'} no numbers and ${text.length === 1 ? 'is' : 'are'} not used as input; set data.columns to choose the inputs`,
      );
    }
    inputIdx = chosen.map((c) => c.index);
    values = new FloatBuffer();
    for (let r = 0; r < lines.length; r++) for (const c of chosen) values.push(c.values.get(r));
  }
  if (bad.total > 0) throw bad.toError(file, display);
  if (timestamps) for (const warning of timestampWarnings(timestamps.report(), (line) => locationPrefix(display, line))) spec.warn(warning);

  return {
    namedColumns: true,
    inputNames: inputIdx!.map((i) => header![i]),
    inputColumns: inputIdx!.map((i) => i + 1),
    targetNames: targetIdx.map((i) => header![i]),
    targetColumns: targetIdx.map((i) => i + 1),
    inputs: values.toArray(),
    targets: targetIdx.length > 0 ? targets.toArray() : undefined,
    lines,
    labels: labelIdx >= 0 ? labels : undefined,
    ...(timestampIdx >= 0 ? { timestamps: timestampTexts, timestampName: header[timestampIdx] } : {}),
    rowCount: lines.length,
  };
}
