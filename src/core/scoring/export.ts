// Events as files to hand on: CSV (one row per event, RFC 4180 quoting) and JSON.

import type { AnomalyEvent, ScoresFile } from './types';

export function eventsToCsv(scores: Pick<ScoresFile, 'events' | 'timestampName'>): string {
  const where = scores.timestampName ?? 'line';
  const header = ['event', `start_${where}`, `end_${where}`, 'start_row', 'end_row', 'windows', 'peak_score', 'top_features', 'labels_hit'];
  const rows = scores.events.map((e, i) => [
    String(i + 1),
    String(e.start),
    String(e.end),
    String(e.startRow),
    String(e.endRow),
    String(e.lastWindow - e.firstWindow + 1),
    String(e.peakScore),
    e.features.map((f) => `${f.feature}:${f.share.toFixed(3)}`).join(' '),
    e.labels ? e.labels.join(' ') : '',
  ]);
  return [header, ...rows].map((r) => r.map(quote).join(',')).join('\n') + '\n';
}

export function eventsToJson(scores: Pick<ScoresFile, 'events' | 'threshold' | 'dataFile' | 'runDir'>): string {
  const events = scores.events.map((e: AnomalyEvent) => ({ ...e, windows: e.lastWindow - e.firstWindow + 1 }));
  return JSON.stringify({ runDir: scores.runDir, data: scores.dataFile, threshold: scores.threshold, events }, null, 2) + '\n';
}

function quote(cell: string): string {
  return /[",\n\r]/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell;
}
