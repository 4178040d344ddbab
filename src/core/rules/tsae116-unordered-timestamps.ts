// TSAE116: duplicate or backward timestamps. Rows are used in file order (reordering would
// invent a series that was never recorded), so a clock reset or a merged export puts the same
// moment twice, or the past after the future, inside a window.

import { rowsInPlay } from './facts';
import { findingAt } from './report';
import type { Rule } from './types';

export const unorderedTimestamps: Rule = {
  code: 'TSAE116',
  name: 'unordered-timestamps',
  title: 'Duplicate or unsorted timestamps',
  severity: 'warning',
  since: '0.1.0',
  fixAvailability: 'none',
  explains: [],
  summary:
    'The timestamp column repeats a time or goes backwards. TSAE uses rows in file order, so windows then hold the same ' +
    'moment twice or jump back in time (a clock reset, a daylight-saving repeat, two exports concatenated). Sort and ' +
    'deduplicate the file, or train on a stretch before the problem.',
  check(ctx) {
    const probe = ctx.probe;
    if (!probe?.timestamps || ctx.config.data.layout !== 'series') return [];
    const report = probe.timestamps.report(rowsInPlay(ctx));
    const { backwards, duplicates, column } = report;
    const parts: string[] = [];
    if (backwards.first) {
      const times = backwards.count === 1 ? 'once' : `${backwards.count} times`;
      parts.push(`goes backwards ${times} (first at line ${backwards.first.line}, after line ${backwards.first.previousLine})`);
    }
    if (duplicates.first) {
      const what = duplicates.count === 1 ? '1 duplicate time' : `${duplicates.count} duplicate times`;
      parts.push(`has ${what} (first at line ${duplicates.first.line}, same as line ${duplicates.first.firstLine})`);
    }
    if (parts.length === 0) return [];
    const where = ctx.isPresent('data.timestamp') ? 'data.timestamp' : 'data.path';
    return [
      findingAt(
        unorderedTimestamps,
        ctx,
        where,
        `timestamp column "${column}" ${parts.join(' and ')}. Rows are used in file order, so windows hold repeated or reversed time; sort and deduplicate the file, or set data.maxRows to stop before the first problem.`,
      ),
    ];
  },
};
