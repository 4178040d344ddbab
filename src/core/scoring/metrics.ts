// Scored windows and events against labels: event-level precision/recall/F1 (an event hits a
// labelled window when their rows overlap), the NAB standard-profile score, ROC AUC over windows,
// and for rows-layout data (one sequence per row, UCR) precision/recall of the flagged sequences.

import { rocAuc } from '../train/metrics';
import type { AnomalyEvent, EvaluationMetrics, EventMetrics, LabelSet, LabelWindow, NabScore, ScoresFile } from './types';

/** NAB's standard application profile. */
export const NAB_STANDARD = { tp: 1, fp: 0.11, fn: 1 } as const;

export function evaluate(scores: Pick<ScoresFile, 'windows' | 'events' | 'rows' | 'smoothing'>, labels: LabelSet, threshold: number): EvaluationMetrics {
  const { score, firstRow, lastRow } = scores.windows;
  if (labels.anomalous) {
    const positives = labels.anomalous;
    let tp = 0;
    let fp = 0;
    let fn = 0;
    score.forEach((s, w) => {
      const flagged = s > threshold;
      if (flagged && positives[w]) tp++;
      else if (flagged) fp++;
      else if (positives[w]) fn++;
    });
    const nPos = positives.filter(Boolean).length;
    const precision = tp + fp > 0 ? tp / (tp + fp) : 0;
    const recall = tp + fn > 0 ? tp / (tp + fn) : 0;
    return {
      ...auc(score, positives),
      positives: nPos,
      negatives: positives.length - nPos,
      windows: { precision, recall, f1: f1(precision, recall), truePositives: tp, falsePositives: fp, falseNegatives: fn },
    };
  }
  const positives = score.map((_, w) => labels.windows.some((l) => overlaps(firstRow[w], lastRow[w], l)));
  const nPos = positives.filter(Boolean).length;
  return {
    ...auc(score, positives),
    positives: nPos,
    negatives: positives.length - nPos,
    events: eventMetrics(scores.events, labels.windows),
    ...(labels.windows.length > 0
      ? {
          nab: nabScore(
            scores.events.map((e) => detectionRow(scores, e)),
            labels.windows,
            scores.rows.line.length,
          ),
        }
      : {}),
  };
}

/**
 * The row at which a streaming detector would have raised an event: the last row of the first
 * window whose score crossed the threshold, or with centred smoothing the last row of the newest
 * window that score averages (a smoothed score is known only once every window in its span is).
 * Crediting the event earlier would reward smoothing for looking into the future.
 */
export function detectionRow(scores: Pick<ScoresFile, 'windows' | 'smoothing'>, event: AnomalyEvent): number {
  const { lastRow } = scores.windows;
  const half = scores.smoothing ? Math.floor(scores.smoothing.windows / 2) : 0;
  return lastRow[Math.min(event.firstWindow + half, lastRow.length - 1)];
}

function auc(score: number[], positives: boolean[]): { auc?: number } {
  const finite = score.map((s, w) => [s, positives[w]] as const).filter(([s]) => Number.isFinite(s));
  const value = rocAuc(
    finite.map(([s]) => s),
    finite.map(([, p]) => p),
  );
  return Number.isNaN(value) ? {} : { auc: value };
}

function overlaps(first: number, last: number, w: { startRow: number; endRow: number }): boolean {
  return first <= w.endRow && last >= w.startRow;
}

function f1(precision: number, recall: number): number {
  return precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
}

/** Marks each event with the labelled windows it overlaps (in place) and counts hits. */
export function eventMetrics(events: AnomalyEvent[], windows: LabelWindow[]): EventMetrics {
  const hitsPerWindow = windows.map(() => 0);
  let inside = 0;
  for (const event of events) {
    const hit: number[] = [];
    windows.forEach((w, j) => {
      if (overlaps(event.startRow, event.endRow, w)) {
        hit.push(w.index);
        hitsPerWindow[j]++;
      }
    });
    event.labels = hit;
    if (hit.length > 0) inside++;
  }
  const hits = hitsPerWindow.filter((n) => n > 0).length;
  const precision = events.length > 0 ? inside / events.length : 0;
  const recall = windows.length > 0 ? hits / windows.length : 0;
  return { hits, labelled: windows.length, eventsOutside: events.length - inside, events: events.length, precision, recall, f1: f1(precision, recall), hitsPerWindow };
}

function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}

/** NAB's scaled sigmoid of a relative position: about +1 early in a window, -1 far after one. */
export function scaledSigmoid(position: number): number {
  return position > 3 ? -1 : 2 * sigmoid(-5 * position) - 1;
}

/**
 * NAB's score for one file. `detections` are row indices where an alert is raised (here: each
 * event's detectionRow, when a streaming detector would have seen it). In a
 * labelled window only the earliest detection counts, weighted by how early it is; a window
 * without detection costs fn; a detection outside the windows costs fp, less the closer it
 * follows a window. Rows in NAB's probation period (the first 15%, at most 750) are not scored.
 */
export function nabScore(detections: number[], windows: LabelWindow[], rowCount: number, profile: { tp: number; fp: number; fn: number } = NAB_STANDARD): NabScore {
  const probationRows = Math.min(Math.floor(0.15 * rowCount), 750);
  const sorted = [...windows].sort((a, b) => a.startRow - b.startRow);
  const maxTp = scaledSigmoid(-1);
  let raw = 0;
  let tp = 0;
  let fp = 0;
  const earliest = sorted.map(() => Number.POSITIVE_INFINITY);
  for (const d of detections) {
    if (d < probationRows) continue;
    const j = sorted.findIndex((w) => d >= w.startRow && d <= w.endRow);
    if (j >= 0) {
      earliest[j] = Math.min(earliest[j], d);
      continue;
    }
    fp++;
    let prev: LabelWindow | undefined;
    for (const w of sorted) if (w.endRow < d) prev = w;
    if (!prev) raw -= profile.fp;
    else {
      const width = prev.endRow - prev.startRow + 1;
      raw += scaledSigmoid(Math.abs(prev.endRow - d) / Math.max(1, width - 1)) * profile.fp;
    }
  }
  sorted.forEach((w, j) => {
    if (Number.isFinite(earliest[j])) {
      tp++;
      const width = w.endRow - w.startRow + 1;
      raw += (scaledSigmoid(-(w.endRow - earliest[j] + 1) / width) * profile.tp) / maxTp;
    } else raw -= profile.fn;
  });
  const n = sorted.length;
  const nullScore = -profile.fn * n;
  const perfect = profile.tp * n;
  return { raw, normalized: (100 * (raw - nullScore)) / (perfect - nullScore), probationRows, truePositives: tp, falsePositives: fp, falseNegatives: n - tp };
}
