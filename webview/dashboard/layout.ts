// The dashboard's page skeleton. Every section is on one scrollable page (no tabs), so each chart
// is laid out and drawn as soon as its data arrives, and the e2e suite can find all of them.

import { el } from '../shared/dom';

/** Wraps a canvas in a sized box: chart.js with maintainAspectRatio off takes the box's size. */
function chartBox(canvasId: string, boxId: string, label: string, tall = false): HTMLElement {
  return el('div', { id: boxId, class: tall ? 'chart-box tall' : 'chart-box' }, el('canvas', { id: canvasId, role: 'img', 'aria-label': label }));
}

export function buildDashboardPage(root: HTMLElement): void {
  root.append(
    el(
      'header',
      { id: 'hdr' },
      el('h1', { id: 'run-name', text: 'TSAE run' }),
      el('span', { id: 'run-status', class: 'badge' }),
      el('button', { id: 'score-run', type: 'button', title: 'Score every window of a data file with this run and open the anomaly timeline', text: 'Score' }),
    ),
    el('div', { id: 'notice', role: 'status', hidden: true }),
    el(
      'section',
      { id: 'section-loss' },
      el('h2', { text: 'Loss' }),
      chartBox('loss-chart', 'loss-container', 'train and validation loss per epoch, log scale, with the learning rate'),
      el('p', { id: 'lr-caption', class: 'muted' }),
      el(
        'div',
        { id: 'grad-block', hidden: true },
        el(
          'h3',
          {},
          'Gradient norm per layer ',
          el('button', {
            id: 'grad-scale',
            type: 'button',
            class: 'secondary small',
            text: 'Linear axis',
            title: 'Switch between a log axis (zeros on the floor as ▲) and a linear one',
          }),
        ),
        chartBox('grad-chart', 'grad-container', 'global gradient norm of each trainable layer per epoch, log scale'),
      ),
    ),
    el(
      'section',
      { id: 'section-recon' },
      el('h2', { text: 'Reconstruction' }),
      el(
        'div',
        { class: 'controls' },
        el('label', { for: 'feature-select', text: 'Feature ' }),
        el('select', { id: 'feature-select' }),
        el('label', { for: 'sort-select', text: 'Sort ' }),
        el(
          'select',
          { id: 'sort-select' },
          el('option', { value: 'error-desc', text: 'worst first' }),
          el('option', { value: 'error-asc', text: 'best first' }),
          el('option', { value: 'index', text: 'by position' }),
        ),
        el('button', { id: 'prev-window', type: 'button', title: 'Previous window in this order', text: '◀ Prev' }),
        el('button', { id: 'next-window', type: 'button', title: 'Next window in this order', text: 'Next ▶' }),
        el('span', { id: 'window-caption', class: 'muted' }),
      ),
      el(
        'div',
        { class: 'recon-layout' },
        el('ol', { id: 'window-list', class: 'window-list', 'aria-label': 'windows sorted by reconstruction error' }),
        chartBox('recon-chart', 'recon-container', 'input and reconstruction of the selected window', true),
      ),
      el(
        'div',
        { id: 'error-block' },
        el('h3', { text: 'Reconstruction error per window' }),
        chartBox('error-chart', 'error-container', "histogram of the windows' reconstruction errors, validation and held-out windows apart"),
      ),
      el('p', { id: 'recon-empty', class: 'muted', text: 'No reconstructions yet.' }),
    ),
    el(
      'section',
      { id: 'section-latent' },
      el('h2', { text: 'Latent space' }),
      el('p', { id: 'dead-units', class: 'muted' }),
      el(
        'div',
        { class: 'latent-layout' },
        chartBox('latent-heatmap', 'latent-container', 'latent activations, windows by units; dead units are hatched', true),
        chartBox('pca-chart', 'pca-container', 'latent vectors projected on their first two principal components', true),
      ),
      el(
        'div',
        { id: 'latent-scale', class: 'colour-scale', 'aria-label': 'colour scale of the latent heatmap' },
        el('span', { class: 'muted', text: 'activation ' }),
        el('span', { id: 'latent-scale-min' }),
        el('span', { id: 'latent-scale-bar', class: 'bar' }),
        el('span', { id: 'latent-scale-max' }),
      ),
      el('p', { id: 'latent-empty', class: 'muted', text: 'No latent vectors yet.' }),
    ),
    el(
      'section',
      { id: 'section-compare', hidden: true },
      el('h2', { id: 'compare-title', text: 'Comparison' }),
      el('p', { id: 'compare-errors' }),
      chartBox('compare-chart', 'compare-container', 'sorted reconstruction errors of the baseline and this run'),
      el('div', { id: 'findings-diff' }),
    ),
    el('section', { id: 'section-summary' }, el('h2', { text: 'Summary' }), el('dl', { id: 'summary' }), el('h3', { text: 'Findings' }), el('ul', { id: 'findings' })),
    el('section', { id: 'section-diagnosis', hidden: true }, el('h2', { text: 'Diagnosis' }), el('div', { id: 'diagnosis' })),
  );
}
