// TSAE115: gaps and irregular cadence in the timestamp column. Windows are cut by row, so a
// window across a 7-day gap joins two stretches of the series as if they were adjacent, and the
// model learns (or flags) a jump that never happened.

import { describeStep } from '../data/timestamps';
import { rowsInPlay } from './facts';
import { findingAt } from './report';
import type { Rule } from './types';

export const timestampGaps: Rule = {
  code: 'TSAE115',
  name: 'timestamp-gaps',
  title: 'Gaps or irregular cadence in the timestamps',
  severity: 'warning',
  since: '0.1.0',
  fixAvailability: 'none',
  explains: [],
  summary:
    'The timestamp column has gaps (steps of 1.5 times the usual one or more) or steps off the usual cadence. Windows ' +
    'are cut by row, so a window across a gap joins stretches of the series that were not adjacent in time, and the ' +
    'model learns or flags a jump that never happened. Fill the gaps (resample) or train on a stretch without them.',
  check(ctx) {
    const probe = ctx.probe;
    if (!probe?.timestamps || ctx.config.data.layout !== 'series') return [];
    const report = probe.timestamps.report(rowsInPlay(ctx));
    if (report.cadence === undefined) return [];
    const { gaps, irregular, cadence, dates, column } = report;
    const usual = describeStep({ step: cadence, dates });
    const parts: string[] = [];
    if (gaps.largest) {
      const { step, before, after } = gaps.largest;
      const what = gaps.count === 1 ? '1 gap' : `${gaps.count} gaps`;
      parts.push(`${what} (about ${gaps.missingSteps} missing steps of ${usual}); the largest is ${describeStep({ step, dates })} between lines ${before.line} and ${after.line}`);
    }
    if (irregular.first) parts.push(`${irregular.count} of ${report.steps} steps are off the usual ${usual} by more than 10 % (first at line ${irregular.first.line})`);
    if (parts.length === 0) return [];
    const where = ctx.isPresent('data.timestamp') ? 'data.timestamp' : 'data.path';
    return [
      findingAt(
        timestampGaps,
        ctx,
        where,
        `timestamp column "${column}" has ${parts.join('; ')}. Windows are cut by row, so a window across a gap joins times that are not adjacent; resample to a regular cadence or train on a stretch without gaps.`,
      ),
    ];
  },
};
