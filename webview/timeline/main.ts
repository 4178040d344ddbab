// The anomaly timeline (webview `tsae.timeline`): a run's scores.json over the whole data file.
//
// Stable ids (the e2e suite relies on them):
//   #run-name, #data-name   header; #notice the last notice from the extension
//   #feature-select         which feature the series chart shows
//   #threshold-kind, #threshold-input, #threshold-apply   the threshold rule, typed
//   #threshold-value        the threshold in force; #score-container data-threshold holds it too
//   #series-chart           the series (decimated to the visible range), events shaded, labels as a band
//   #score-chart            the anomaly score per row (series) or per sequence (rows), threshold line
//                           (drag it to move the threshold); a click opens the window there
//   #reset-zoom             wheel zooms both charts, shift+drag pans them
//   #events-list            li.event-row[data-index] (.hit / .outside with labels); click: zoom + window
//   #export-csv, #export-json, #metrics (dl), #window-chart + #window-caption (input vs reconstruction)
// document.body.dataset.ready = 'true' once the scores are drawn; #events-list data-count.

import './timeline.css';
import type { ActiveElement, ChartEvent, Plugin } from 'chart.js';
import zoomPlugin from 'chartjs-plugin-zoom';
import { isHostToTimeline, isTimelineState, type HostToTimeline, type TimelineState, type TimelineToHost } from '../../src/core/protocol/webview';
import type { WindowReconstruction } from '../../src/core/run/types';
import type { AnomalyEvent, ScoresFile, ThresholdRule } from '../../src/core/scoring/types';
import { withAlpha } from '../lib/colour';
import { lttbIndices, DEFAULT_MAX_POINTS } from '../lib/decimate';
import { formatCount, formatNumber } from '../../src/core/format';
import { axis, baseOptions, Chart } from '../shared/charts';
import { byId, clear, el } from '../shared/dom';
import { drawReconstruction } from '../shared/reconChart';
import { currentPalette, watchTheme } from '../shared/theme';
import { getState, onMessage, postTo, setState } from '../shared/vscodeApi';
import { buildTimelinePage } from './layout';

Chart.register(zoomPlugin);
buildTimelinePage(byId('app'));

const post = (m: TimelineToHost) => postTo(m);
const saved = getState();
let state: TimelineState | undefined = isTimelineState(saved) ? saved : undefined;
let palette = currentPalette();
let scores: ScoresFile | undefined;
let range: [number, number] = [0, 0];
let selectedEvent = -1;
let dragging = false;
let dragThreshold: number | undefined;
let shownWindow: { features: string[]; window: WindowReconstruction } | undefined;
let windowChart: Chart<'line'> | undefined;

const featureSelect = byId<HTMLSelectElement>('feature-select');
const kindSelect = byId<HTMLSelectElement>('threshold-kind');
const thresholdInput = byId<HTMLInputElement>('threshold-input');
const eventsList = byId<HTMLOListElement>('events-list');

/** x is a row index (series layout) or a sequence index (rows layout). */
const isSeries = () => scores?.layout === 'series';
const xCount = () => (scores ? (isSeries() ? scores.rows.line.length : scores.windows.score.length) : 0);
const threshold = () => dragThreshold ?? scores?.threshold.value ?? 0;

function xName(x: number): string {
  if (!scores) return String(x);
  const i = Math.max(0, Math.min(Math.round(x), xCount() - 1));
  const row = isSeries() ? i : scores.windows.firstRow[i];
  return scores.rows.timestamp?.[row] ?? `line ${scores.rows.line[row]}`;
}

/** Points of `ys` in the visible range, LTTB-decimated: 100k rows draw as fast as 2000, and zooming in shows every row. */
function visible(ys: ArrayLike<number | null>): Array<{ x: number; y: number }> {
  const [lo, hi] = range;
  const points: Array<{ x: number; y: number }> = [];
  for (let x = Math.max(0, Math.floor(lo)); x <= Math.min(ys.length - 1, Math.ceil(hi)); x++) points.push({ x, y: ys[x] ?? Number.NaN });
  return lttbIndices(points, DEFAULT_MAX_POINTS).map((i) => points[i]);
}

/** Shades events (and labels as a band along the bottom) behind the datasets. */
function spansPlugin(withLabels: boolean): Plugin<'line'> {
  return {
    id: 'tsaeSpans',
    beforeDatasetsDraw(chart) {
      if (!scores) return;
      const { ctx, chartArea, scales } = chart;
      const x = scales.x;
      const px = (v: number) => Math.max(chartArea.left, Math.min(chartArea.right, x.getPixelForValue(v)));
      const spanX = (first: number, last: number): [number, number] => (isSeries() ? [first, last] : [first, last]);
      ctx.save();
      scores.events.forEach((e, i) => {
        const [a, b] = isSeries() ? spanX(e.startRow, e.endRow) : spanX(e.firstWindow - 0.5, e.lastWindow + 0.5);
        ctx.fillStyle = withAlpha(palette.red, i === selectedEvent ? 0.35 : 0.18);
        ctx.fillRect(px(a), chartArea.top, Math.max(1, px(b) - px(a)), chartArea.bottom - chartArea.top);
      });
      if (withLabels && scores.labels && isSeries()) {
        ctx.fillStyle = withAlpha(palette.green, 0.7);
        for (const l of scores.labels.windows) ctx.fillRect(px(l.startRow), chartArea.bottom - 8, Math.max(2, px(l.endRow) - px(l.startRow)), 8);
      }
      ctx.restore();
    },
  };
}

const thresholdPlugin: Plugin<'line'> = {
  id: 'tsaeThreshold',
  afterDatasetsDraw(chart) {
    if (!scores) return;
    const { ctx, chartArea, scales } = chart;
    const y = scales.y.getPixelForValue(threshold());
    if (y < chartArea.top || y > chartArea.bottom) return;
    ctx.save();
    ctx.strokeStyle = palette.orange;
    ctx.lineWidth = dragging ? 2.5 : 1.5;
    ctx.setLineDash([6, 3]);
    ctx.beginPath();
    ctx.moveTo(chartArea.left, y);
    ctx.lineTo(chartArea.right, y);
    ctx.stroke();
    ctx.fillStyle = palette.orange;
    ctx.fillText(`threshold ${formatNumber(threshold())}`, chartArea.left + 4, y - 4);
    ctx.restore();
  },
};

function zoomOptions() {
  const onChange = ({ chart }: { chart: Chart }) => {
    range = [chart.scales.x.min, chart.scales.x.max];
    redraw();
  };
  return {
    limits: { x: { min: 0, max: Math.max(1, xCount() - 1), minRange: 10 } },
    zoom: { wheel: { enabled: true }, mode: 'x' as const, onZoomComplete: onChange },
    pan: { enabled: true, mode: 'x' as const, modifierKey: 'shift' as const, onPanComplete: onChange },
  };
}

function xAxis() {
  return axis(palette, scores?.timestampName ?? (isSeries() ? 'line' : 'sequence'), {
    type: 'linear',
    min: range[0],
    max: range[1],
    ticks: { color: palette.foreground, maxRotation: 0, autoSkip: true, maxTicksLimit: 8, callback: (v: number | string) => xName(Number(v)) },
  });
}

function makeChart(canvas: HTMLCanvasElement, label: string, colour: string, withLabels: boolean, extra: Plugin<'line'>[] = []): Chart<'line'> {
  const options = baseOptions<'line'>(palette);
  return new Chart(canvas, {
    type: 'line',
    data: { datasets: [{ label, data: [], borderColor: colour, backgroundColor: colour, borderWidth: 1, pointRadius: 0, spanGaps: false }] },
    options: {
      ...options,
      parsing: false,
      interaction: { mode: 'nearest', axis: 'x', intersect: false },
      scales: { x: xAxis(), y: axis(palette, label) },
      plugins: {
        ...options.plugins,
        tooltip: { intersect: false, callbacks: { title: (items) => (items[0] ? xName(items[0].parsed.x ?? 0) : '') } },
        zoom: zoomOptions(),
      },
    },
    plugins: [spansPlugin(withLabels), ...extra],
  });
}

const seriesChart = makeChart(byId<HTMLCanvasElement>('series-chart'), 'value', palette.blue, true);
const scoreChart = makeChart(byId<HTMLCanvasElement>('score-chart'), 'anomaly score', palette.purple, false, [thresholdPlugin]);
scoreChart.options.onClick = (event: ChartEvent, _elements: ActiveElement[], chart: Chart) => {
  if (!scores || event.x === null || dragMoved) return;
  const x = Math.round(chart.scales.x.getValueForPixel(event.x) ?? 0);
  openWindow(windowAt(x));
};

/** The window to open for x: in series layout the last window starting at or before that row. */
function windowAt(x: number): number {
  if (!scores) return 0;
  if (!isSeries()) return Math.max(0, Math.min(x, scores.windows.score.length - 1));
  const starts = scores.windows.firstRow;
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (starts[mid] <= x) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

function redraw(): void {
  if (!scores) return;
  const feature = Number(featureSelect.value) || 0;
  const values = scores.rows.values?.[feature];
  const seriesBox = byId('series-container');
  seriesBox.hidden = !isSeries() || !values;
  if (values) seriesChart.data.datasets[0].data = visible(values);
  seriesChart.data.datasets[0].label = scores.features[feature] ?? 'value';
  const ys = isSeries() && scores.rows.score ? scores.rows.score : scores.windows.score;
  scoreChart.data.datasets[0].data = visible(ys);
  // The threshold line stays in view when it is above every score (nothing flagged).
  (scoreChart.options.scales!.y as { suggestedMax?: number }).suggestedMax = threshold() * 1.05;
  for (const chart of [seriesChart, scoreChart]) {
    chart.options.scales!.x = xAxis();
    chart.update('none');
  }
  const box = byId('score-container');
  box.dataset.threshold = String(threshold());
  // Where the threshold line is, in CSS pixels from the canvas top (the e2e suite drags it).
  box.dataset.lineY = String(scoreChart.scales.y.getPixelForValue(threshold()));
  box.dataset.points = String(scoreChart.data.datasets[0].data.length);
  byId('threshold-value').textContent = `= ${formatNumber(threshold())}`;
}

function setRange(lo: number, hi: number): void {
  range = [Math.max(0, lo), Math.min(xCount() - 1, hi)];
  redraw();
}

function renderEvents(): void {
  if (!scores) return;
  clear(eventsList);
  const withLabels = scores.labels !== undefined && !scores.labels.anomalous;
  scores.events.forEach((e: AnomalyEvent, i) => {
    const hit = (e.labels?.length ?? 0) > 0;
    const li = el(
      'li',
      { class: `event-row${withLabels ? (hit ? ' hit' : ' outside') : ''}${i === selectedEvent ? ' selected' : ''}`, 'data-index': i, tabindex: 0 },
      el('div', { text: `${e.start} → ${e.end}` }),
      el('div', {
        class: 'muted',
        text: `peak ${formatNumber(e.peakScore)} · ${formatCount(e.lastWindow - e.firstWindow + 1, 'window')}${e.features.length ? ` · ${e.features.map((f) => `${f.feature} ${(f.share * 100).toFixed(0)}%`).join(', ')}` : ''}${withLabels ? (hit ? ` · label ${e.labels!.join(', ')}` : ' · outside the labels') : ''}`,
      }),
    );
    eventsList.append(li);
  });
  if (scores.events.length === 0) eventsList.append(el('li', { class: 'muted', text: 'No window is above the threshold.' }));
  eventsList.dataset.count = String(scores.events.length);
  renderMetrics();
}

function renderMetrics(): void {
  const dl = byId('metrics');
  clear(dl);
  const m = scores?.metrics;
  if (!scores?.labels || !m) {
    dl.append(el('dd', { class: 'muted no-labels', text: 'No labels: set evaluation.labels in the config, or score data with a label column.' }));
    return;
  }
  const row = (k: string, v: string) => dl.append(el('dt', { text: k }), el('dd', { text: v }));
  row('labels', scores.labels.source);
  if (m.events) {
    row('labelled windows hit', `${m.events.hits} of ${m.events.labelled}`);
    row('events outside labels', `${m.events.eventsOutside} of ${m.events.events}`);
    row('precision / recall / F1', `${m.events.precision.toFixed(3)} / ${m.events.recall.toFixed(3)} / ${m.events.f1.toFixed(3)}`);
  }
  if (m.nab) row('NAB score (standard)', m.nab.normalized.toFixed(1));
  if (m.windows) row('precision / recall / F1', `${m.windows.precision.toFixed(3)} / ${m.windows.recall.toFixed(3)} / ${m.windows.f1.toFixed(3)}`);
  if (m.auc !== undefined) row('ROC AUC (windows)', m.auc.toFixed(3));
}

/** What the score measures: the error, or (with a history) how far it is above the recent past. The axis title must stay short; the legend has room. */
function scoreNamesOf(s: ScoresFile): { axis: string; legend: string } {
  if (s.scoreKind === 'relative' && s.history) {
    return { axis: 'std above past', legend: `anomaly score: standard deviations above the ${s.history.lengths} window lengths before` };
  }
  return { axis: 'anomaly score', legend: s.smoothing ? `anomaly score: error averaged over ${s.smoothing.lengths} window lengths` : 'anomaly score: error' };
}

function openWindow(w: number): void {
  byId('window-caption').textContent = `Window ${w} (${xName(isSeries() ? scores!.windows.firstRow[w] : w)}): reconstructing...`;
  post({ type: 'openWindow', window: w });
}

function drawWindow(): void {
  windowChart?.destroy();
  windowChart = undefined;
  if (!shownWindow || !scores) return;
  const feature = Math.min(Number(featureSelect.value) || 0, shownWindow.features.length - 1);
  const w = shownWindow.window;
  byId('window-caption').textContent = `Window ${w.index} from ${xName(isSeries() ? scores.windows.firstRow[w.index] : w.index)}: score ${formatNumber(w.error)}`;
  byId('window-container').dataset.window = String(w.index);
  windowChart = drawReconstruction(byId<HTMLCanvasElement>('window-chart'), w, feature, shownWindow.features[feature], palette);
}

function showThresholdRule(rule: ThresholdRule): void {
  kindSelect.value = rule.kind;
  thresholdInput.value = String(rule.kind === 'quantile' ? rule.q : rule.kind === 'meanStd' || rule.kind === 'mad' ? rule.k : rule.value);
}

function init(message: Extract<HostToTimeline, { type: 'timelineInit' }>): void {
  scores = message.scores;
  state = { runDir: scores.runDir, ...(state?.feature !== undefined ? { feature: state.feature } : {}) };
  setState(state);
  byId('run-name').textContent = `Anomaly timeline: ${message.runName}`;
  byId('data-name').textContent = scores.dataFile;
  clear(featureSelect);
  scores.features.forEach((f, i) => featureSelect.append(el('option', { value: i, text: f })));
  featureSelect.value = String(Math.min(state.feature ?? 0, scores.features.length - 1));
  showThresholdRule(scores.threshold.rule);
  const scoreNames = scoreNamesOf(scores);
  scoreChart.options.scales!.y = axis(palette, scoreNames.axis);
  scoreChart.data.datasets[0].label = scoreNames.legend;
  for (const chart of [seriesChart, scoreChart]) chart.options.plugins!.zoom = zoomOptions();
  range = [0, Math.max(1, xCount() - 1)];
  redraw();
  renderEvents();
  document.body.dataset.ready = 'true';
}

function notice(level: 'info' | 'error', text: string): void {
  const box = byId('notice');
  box.hidden = false;
  box.textContent = text;
  box.dataset.level = level;
}

onMessage(isHostToTimeline, (message) => {
  switch (message.type) {
    case 'timelineInit':
      return init(message);
    case 'timelineEvents':
      if (!scores) return;
      scores.threshold = message.threshold;
      scores.events = message.events;
      if (message.metrics) scores.metrics = message.metrics;
      selectedEvent = -1;
      dragThreshold = undefined;
      showThresholdRule(message.threshold.rule);
      redraw();
      renderEvents();
      return;
    case 'timelineWindow':
      shownWindow = { features: message.features, window: message.window };
      return drawWindow();
    case 'notice':
      return notice(message.level, message.text);
  }
});

// Typed threshold.
byId('threshold-apply').addEventListener('click', () => {
  const v = Number(thresholdInput.value);
  if (thresholdInput.value.trim() === '' || !Number.isFinite(v)) return notice('error', `not a number: ${thresholdInput.value}`);
  const kind = kindSelect.value;
  if (kind === 'quantile' && !(v >= 0 && v <= 1)) return notice('error', 'a quantile is between 0 and 1');
  const rule: ThresholdRule = kind === 'quantile' ? { kind, q: v } : kind === 'meanStd' || kind === 'mad' ? { kind, k: v } : { kind: 'fixed', value: v };
  post({ type: 'setThreshold', rule });
});
thresholdInput.addEventListener('keydown', (e) => {
  if (e.key === 'Enter') byId('threshold-apply').click();
});

// Dragged threshold: grab the line (within 6 px), move, release to apply as a fixed value.
const scoreCanvas = byId<HTMLCanvasElement>('score-chart');
let dragMoved = false;
scoreCanvas.addEventListener('mousedown', (e) => {
  if (!scores || e.shiftKey) return;
  const y = scoreChart.scales.y.getPixelForValue(threshold());
  dragMoved = false;
  if (Math.abs(e.offsetY - y) <= 6) {
    dragging = true;
    e.preventDefault();
  }
});
scoreCanvas.addEventListener('mousemove', (e) => {
  if (!dragging) return;
  dragMoved = true;
  const value = scoreChart.scales.y.getValueForPixel(e.offsetY);
  if (value !== undefined && Number.isFinite(value)) {
    dragThreshold = Math.max(0, value);
    redraw();
  }
});
window.addEventListener('mouseup', () => {
  if (!dragging) return;
  dragging = false;
  if (dragMoved && dragThreshold !== undefined) post({ type: 'setThreshold', rule: { kind: 'fixed', value: dragThreshold } });
  // The click that ends a drag must not open a window.
  setTimeout(() => (dragMoved = false), 0);
});

eventsList.addEventListener('click', (e) => {
  const row = (e.target as HTMLElement).closest<HTMLElement>('[data-index]');
  if (!row || !scores) return;
  selectedEvent = Number(row.dataset.index);
  const ev = scores.events[selectedEvent];
  const [a, b] = isSeries() ? [ev.startRow, ev.endRow] : [ev.firstWindow, ev.lastWindow];
  const margin = Math.max(20, (b - a) * 2);
  setRange(a - margin, b + margin);
  renderEvents();
  openWindow(ev.peakWindow);
});
eventsList.addEventListener('keydown', (e) => {
  if (e.key === 'Enter' || e.key === ' ') (e.target as HTMLElement).click();
});

featureSelect.addEventListener('change', () => {
  if (state) setState((state = { ...state, feature: Number(featureSelect.value) }));
  redraw();
  drawWindow();
});
byId('reset-zoom').addEventListener('click', () => {
  for (const chart of [seriesChart, scoreChart]) chart.resetZoom('none');
  setRange(0, xCount() - 1);
});
byId('export-csv').addEventListener('click', () => post({ type: 'exportEvents', format: 'csv' }));
byId('export-json').addEventListener('click', () => post({ type: 'exportEvents', format: 'json' }));

watchTheme((p) => {
  palette = p;
  for (const chart of [seriesChart, scoreChart]) {
    chart.data.datasets[0].borderColor = chart === seriesChart ? p.blue : p.purple;
  }
  redraw();
  drawWindow();
});

post({ type: 'ready' });
