// The comparison panel (three or more runs): a table of the config keys that differ and the key
// figures, the runs' loss curves overlaid (validation loss solid, training loss dashed, log
// scale), and a scatter of one chosen hyperparameter against validation loss, like TensorBoard's
// HParams view.
//
// Stable ids: #compare-table (th.run-col per run, tr[data-key] per differing key), #curves-chart,
// #hparam-select, #scatter-chart, #compare-empty. document.body.dataset.ready = 'true' once drawn.

import './compare.css';
import { isHostToCompare, type CompareRun, type HostToCompare } from '../../src/core/protocol/webview';
import { formatNumber, formatSeconds } from '../../src/core/format';
import { categoryColour, type Palette } from '../lib/colour';
import { axis, baseOptions, Chart, positiveOrNull } from '../shared/charts';
import { byId, clear, el } from '../shared/dom';
import { currentPalette, watchTheme } from '../shared/theme';

interface VsCodeApi {
  postMessage(message: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;
const api = acquireVsCodeApi();

const app = byId('app');
app.append(
  el('h2', { id: 'compare-title', text: 'Comparing runs' }),
  el('p', { id: 'compare-empty', class: 'muted', hidden: true, text: 'The runs could not be read.' }),
  el('div', { class: 'table-box' }, el('table', { id: 'compare-table' })),
  el('h3', { text: 'Loss per epoch (validation solid, training dashed)' }),
  el('div', { class: 'chart-box' }, el('canvas', { id: 'curves-chart', role: 'img', 'aria-label': 'loss curves of the compared runs' })),
  el('h3', {}, 'Validation loss against ', el('select', { id: 'hparam-select', 'aria-label': 'hyperparameter on the x axis' })),
  el('div', { class: 'chart-box' }, el('canvas', { id: 'scatter-chart', role: 'img', 'aria-label': 'validation loss against the chosen hyperparameter' })),
);

let data: HostToCompare | undefined;
let palette = currentPalette();
let curves: Chart<'line'> | undefined;
let scatter: Chart<'scatter'> | undefined;
const select = byId<HTMLSelectElement>('hparam-select');
select.addEventListener('change', () => drawScatter());

/** The user's name for a run; else the config's name and start time (runs of one config share a name). */
const nameOf = (r: CompareRun): string =>
  r.item.label ?? `${r.item.name} ${new Date(r.item.startedAt).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' })}`;

const FIGURES: Array<[string, (r: CompareRun) => string]> = [
  ['status', (r) => r.item.status],
  ['epochs', (r) => String(r.item.epochs)],
  ['duration', (r) => formatSeconds(r.item.seconds)],
  ['validation loss', (r) => formatNumber(r.item.valLoss)],
  ['training loss', (r) => formatNumber(r.item.trainLoss)],
  ['reconstruction error', (r) => formatNumber(r.item.reconstructionError)],
  ['held-out AUC', (r) => (r.item.heldOutAuc === undefined ? '-' : formatNumber(r.item.heldOutAuc))],
  ['findings', (r) => String(r.item.findings)],
];

function renderTable(d: HostToCompare): void {
  const table = byId<HTMLTableElement>('compare-table');
  clear(table);
  table.append(
    el(
      'tr',
      {},
      el('th', { text: '' }),
      ...d.runs.map((r, i) => el('th', { class: 'run-col', style: `border-top: 3px solid ${categoryColour(palette, i)}`, text: nameOf(r), title: r.item.runDir })),
    ),
  );
  for (const [label, value] of FIGURES) table.append(el('tr', { class: 'figure' }, el('th', { text: label }), ...d.runs.map((r) => el('td', { text: value(r) }))));
  if (d.differing.length === 0)
    table.append(el('tr', {}, el('th', { text: 'config' }), el('td', { colspan: d.runs.length, class: 'muted', text: 'identical configs (only the seed of chance differs)' })));
  for (const key of d.differing) {
    table.append(
      el('tr', { 'data-key': key }, el('th', { class: 'config-key', text: key }), ...d.runs.map((r) => el('td', { text: key in r.config ? String(r.config[key]) : '(unset)' }))),
    );
  }
}

function drawCurves(d: HostToCompare): void {
  curves?.destroy();
  const datasets = d.runs.flatMap((r, i) => {
    const colour = categoryColour(palette, i);
    // The first epochs are points too, so a run of one or two epochs is still visible.
    const common = { borderColor: colour, backgroundColor: colour, pointRadius: r.curve.length <= 3 ? 3 : 0, borderWidth: 2, spanGaps: true };
    return [
      { ...common, label: `${nameOf(r)} val`, data: r.curve.map(([epoch, , val]) => ({ x: epoch, y: positiveOrNull(val) })) },
      { ...common, label: `${nameOf(r)} train`, borderDash: [5, 4], borderWidth: 1, data: r.curve.map(([epoch, loss]) => ({ x: epoch, y: positiveOrNull(loss) })) },
    ];
  });
  curves = new Chart(byId<HTMLCanvasElement>('curves-chart'), {
    type: 'line',
    data: { datasets },
    options: {
      ...baseOptions<'line'>(palette),
      parsing: false,
      scales: { x: axis(palette, 'epoch', { type: 'linear', ticks: { color: palette.foreground, precision: 0 } }), y: axis(palette, 'loss (log)', { type: 'logarithmic' }) },
    },
  });
}

/** Keys whose values are numbers in every run: those can be an x axis. */
function numericKeys(d: HostToCompare): string[] {
  return d.differing.filter((k) => d.runs.every((r) => typeof r.config[k] === 'number'));
}

function fillSelect(d: HostToCompare): void {
  const keys = numericKeys(d);
  const previous = select.value;
  clear(select);
  for (const k of keys) select.append(el('option', { value: k, text: k }));
  if (keys.length === 0) select.append(el('option', { value: '', text: '(no numeric setting differs)' }));
  if (keys.includes(previous)) select.value = previous;
}

function drawScatter(): void {
  scatter?.destroy();
  scatter = undefined;
  if (!data) return;
  const key = select.value;
  const points = data.runs.map((r, i) => ({ x: key === '' ? i + 1 : (r.config[key] as number), y: r.item.valLoss ?? Number.NaN, name: nameOf(r), i }));
  scatter = new Chart(byId<HTMLCanvasElement>('scatter-chart'), {
    type: 'scatter',
    data: {
      datasets: points.map((p) => ({
        label: p.name,
        data: [{ x: p.x, y: p.y }],
        backgroundColor: categoryColour(palette, p.i),
        borderColor: categoryColour(palette, p.i),
        pointRadius: 6,
      })),
    },
    options: {
      ...baseOptions<'scatter'>(palette),
      // Grace keeps the extreme runs off the chart's edges.
      scales: { x: axis(palette, key === '' ? 'run' : key, { type: 'linear', grace: '10%' }), y: axis(palette, 'validation loss', { type: 'linear', grace: '10%' }) },
    },
  });
}

function render(): void {
  if (!data) return;
  byId('compare-empty').hidden = data.runs.length > 0;
  byId('compare-title').textContent = `Comparing ${data.runs.length} runs: ${data.differing.length} config key${data.differing.length === 1 ? ' differs' : 's differ'}`;
  renderTable(data);
  drawCurves(data);
  fillSelect(data);
  drawScatter();
  document.body.dataset.ready = 'true';
}

window.addEventListener('message', (event: MessageEvent<unknown>) => {
  if (!isHostToCompare(event.data)) {
    console.warn('TSAE: ignoring a malformed message from the extension');
    return;
  }
  data = event.data;
  render();
});

watchTheme((next: Palette) => {
  palette = next;
  render();
});

api.postMessage({ type: 'ready' });
