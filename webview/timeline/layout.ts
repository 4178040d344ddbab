// The timeline's page skeleton (ids listed in main.ts).

import { el } from '../shared/dom';

function chartBox(canvasId: string, boxId: string, label: string, short = false): HTMLElement {
  return el('div', { id: boxId, class: short ? 'chart-box short' : 'chart-box' }, el('canvas', { id: canvasId, role: 'img', 'aria-label': label }));
}

export function buildTimelinePage(root: HTMLElement): void {
  root.append(
    el('header', { id: 'hdr' }, el('h1', { id: 'run-name', text: 'Anomaly timeline' }), el('span', { id: 'data-name', class: 'muted' })),
    el('div', { id: 'notice', class: 'notice', role: 'status', hidden: true }),
    el(
      'div',
      { class: 'controls' },
      el('label', { for: 'feature-select', text: 'Feature ' }),
      el('select', { id: 'feature-select' }),
      el('label', { for: 'threshold-kind', text: 'Threshold ' }),
      el(
        'select',
        { id: 'threshold-kind' },
        el('option', { value: 'quantile', text: 'quantile of training errors' }),
        el('option', { value: 'meanStd', text: 'mean + k std' }),
        el('option', { value: 'mad', text: 'median + k MAD of the scores' }),
        el('option', { value: 'fixed', text: 'fixed value' }),
      ),
      el('input', { id: 'threshold-input', type: 'number', step: 'any', 'aria-label': 'threshold parameter' }),
      el('button', { id: 'threshold-apply', type: 'button', text: 'Apply' }),
      el('span', { id: 'threshold-value', class: 'muted' }),
      el('button', { id: 'reset-zoom', type: 'button', class: 'secondary', title: 'Wheel zooms, shift+drag pans', text: 'Reset zoom' }),
    ),
    el(
      'div',
      { class: 'timeline-layout' },
      el(
        'div',
        {},
        chartBox('series-chart', 'series-container', 'the series over time, flagged events shaded, labelled windows as a band'),
        chartBox('score-chart', 'score-container', 'anomaly score over time with the threshold line; drag the line to move it', true),
        el('h2', { text: 'Window' }),
        el('p', { id: 'window-caption', class: 'muted', text: 'Click an event or a point of the score to see that window reconstructed.' }),
        chartBox('window-chart', 'window-container', 'input and reconstruction of the selected window', true),
      ),
      el(
        'aside',
        {},
        el('h2', { text: 'Events' }),
        el(
          'div',
          { class: 'controls' },
          el('button', { id: 'export-csv', type: 'button', class: 'secondary', text: 'Export CSV' }),
          el('button', { id: 'export-json', type: 'button', class: 'secondary', text: 'Export JSON' }),
        ),
        el('ol', { id: 'events-list', class: 'events', 'aria-label': 'events, in time order' }),
        el('h2', { text: 'Against labels' }),
        el('dl', { id: 'metrics' }),
      ),
    ),
  );
}
