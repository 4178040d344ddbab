// Flagged windows merged into events: flagged windows of a series whose rows overlap or touch
// make one event (consecutive windows, and also windows with unflagged ones between them when
// they still share rows: one anomaly seen by windows around it), from the first window's first
// row to the last window's last row, with its peak score and the features that contribute most
// to its error. In rows layout every flagged sequence is an event of its own.

import type { AnomalyEvent, FeatureShare, ScoresFile, Span } from './types';

const TOP_FEATURES = 3;

export function findEvents(scores: Pick<ScoresFile, 'layout' | 'features' | 'windows' | 'rows'>, threshold: number): AnomalyEvent[] {
  const { score, firstRow, lastRow, featureScores } = scores.windows;
  const events: AnomalyEvent[] = [];
  let open: { first: number; last: number } | undefined;
  const close = (): void => {
    if (!open) return;
    const { first, last } = open;
    let peak = first;
    for (let w = first; w <= last; w++) if (score[w] > score[peak]) peak = w;
    events.push({
      ...span(scores.rows, firstRow[first], lastRow[last]),
      firstWindow: first,
      lastWindow: last,
      peakScore: score[peak],
      peakWindow: peak,
      features: topFeatures(scores.features, featureScores, score, first, last),
    });
    open = undefined;
  };
  for (let w = 0; w < score.length; w++) {
    // NaN never passes the threshold; a rows-layout sequence is an event of its own.
    if (score[w] > threshold) {
      if (open && scores.layout === 'series' && firstRow[w] <= lastRow[open.last] + 1) open.last = w;
      else {
        close();
        open = { first: w, last: w };
      }
    } else if (open && (scores.layout !== 'series' || firstRow[w] > lastRow[open.last] + 1)) close();
  }
  close();
  return events;
}

/** Rows `first..last` named by timestamps when the data has them, else by file line. */
export function span(rows: ScoresFile['rows'], first: number, last: number): Span {
  const name = (r: number) => rows.timestamp?.[r] ?? rows.line[r];
  return { start: name(first), end: name(last), startRow: first, endRow: last };
}

function topFeatures(features: string[], featureScores: number[][] | undefined, score: number[], first: number, last: number): FeatureShare[] {
  if (!featureScores || features.length < 2) {
    let any = false;
    for (let w = first; w <= last; w++) any ||= score[w] > 0;
    return features.length === 1 && any ? [{ feature: features[0], share: 1 }] : [];
  }
  const totals = new Float64Array(features.length);
  for (let w = first; w <= last; w++) featureScores[w].forEach((e, f) => (totals[f] += e));
  const sum = totals.reduce((a, b) => a + b, 0);
  if (!(sum > 0)) return [];
  return features
    .map((feature, f) => ({ feature, share: totals[f] / sum }))
    .sort((a, b) => b.share - a.share)
    .slice(0, TOP_FEATURES);
}
