// TSAE119: a scoring setting that only a series has, on rows of independent sequences (UCR). It
// would be ignored without a word: scoring has nothing to average or compare across rows.

import { SERIES_ONLY_SCORING, type SeriesOnlyScoring } from '../scoring/types';
import type { Finding } from '../types';
import { formatNumber } from './facts';
import { findingAt } from './report';
import type { Rule } from './types';

/** What each series-only evaluation key does along a series' time axis. */
const WHAT_IT_DOES: Record<SeriesOnlyScoring, string> = {
  smoothing: "averages each window's error with its neighbours' in time",
  history: "compares each window's score with the windows before it",
};

export const seriesScoringOnRows: Rule = {
  code: 'TSAE119',
  name: 'series-scoring-on-rows',
  title: 'Series-only scoring setting on rows',
  severity: 'warning',
  since: '0.1.0',
  fixAvailability: 'none',
  explains: [],
  summary:
    'evaluation.smoothing or evaluation.history is set, but the data are rows of independent sequences (UCR layout). ' +
    'Both act along one long series: neighbouring windows in time and the windows before each one. Rows have neither, ' +
    'so scoring ignores the setting and each sequence is scored by its own error.',
  check(ctx) {
    if (ctx.config.data.layout !== 'rows') return [];
    const findings: Finding[] = [];
    for (const key of SERIES_ONLY_SCORING) {
      const path = `evaluation.${key}`;
      const value = ctx.config.evaluation?.[key];
      if (!ctx.isPresent(path) || !(typeof value === 'number' && value > 0)) continue;
      findings.push(
        findingAt(
          seriesScoringOnRows,
          ctx,
          path,
          `${path} is ${formatNumber(value)}, but data.layout is rows (independent sequences): ${key} ${WHAT_IT_DOES[key]}, and rows have no time order between them, ` +
            'so scoring ignores it and scores each sequence by its own error. Remove it, or set data.layout to series if the file is one long series.',
        ),
      );
    }
    return findings;
  },
};
