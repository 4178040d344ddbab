// The reconstruction viewer: a window list sorted by error (worst first by default), a feature
// selector, prev/next, and input vs reconstruction of the selected window with its per-step error
// shaded. Selection survives reloads through the dashboard state.

import type { WindowSort } from '../../src/core/protocol/webview';
import type { ReconstructionsFile, WindowReconstruction } from '../../src/core/run/types';
import type { Palette } from '../lib/colour';
import { formatNumber } from '../../src/core/format';
import { sortWindows, stepWindow } from '../../src/core/run/windows';
import type { Chart } from '../shared/charts';
import { byId, clear, el } from '../shared/dom';
import { drawReconstruction } from '../shared/reconChart';

export interface ReconSelection {
  selectedWindow?: number;
  feature?: number;
  sort?: WindowSort;
}

/** The window list shows at most this many rows; reconstructions are capped upstream anyway. */
const MAX_LISTED_WINDOWS = 500;

export class ReconView {
  private data: ReconstructionsFile | null = null;
  private sorted: WindowReconstruction[] = [];
  private chart: Chart<'line'> | undefined;
  private readonly featureSelect = byId<HTMLSelectElement>('feature-select');
  private readonly sortSelect = byId<HTMLSelectElement>('sort-select');
  private readonly list = byId<HTMLOListElement>('window-list');

  constructor(
    private palette: Palette,
    private selection: ReconSelection,
    private readonly onSelectionChange: (s: ReconSelection) => void,
  ) {
    this.sortSelect.value = selection.sort ?? 'error-desc';
    this.featureSelect.addEventListener('change', () => this.select({ feature: Number(this.featureSelect.value) }));
    this.sortSelect.addEventListener('change', () => {
      this.selection.sort = this.sortSelect.value as WindowSort;
      this.resort();
      this.renderList();
      this.onSelectionChange(this.selection);
    });
    byId('prev-window').addEventListener('click', () => this.step(-1));
    byId('next-window').addEventListener('click', () => this.step(1));
    this.list.addEventListener('click', (e) => {
      const row = (e.target as HTMLElement).closest<HTMLElement>('[data-index]');
      if (row) this.select({ selectedWindow: Number(row.dataset.index) });
    });
    // Keyboard: arrows walk the list in its order, Enter/Space select the focused row.
    this.list.addEventListener('keydown', (e) => {
      if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
        e.preventDefault();
        this.step(e.key === 'ArrowDown' ? 1 : -1);
        this.list.querySelector<HTMLElement>('li.selected')?.focus();
      } else if (e.key === 'Enter' || e.key === ' ') {
        const row = (e.target as HTMLElement).closest<HTMLElement>('[data-index]');
        if (row) {
          e.preventDefault();
          this.select({ selectedWindow: Number(row.dataset.index) });
        }
      }
    });
  }

  set(data: ReconstructionsFile | null): void {
    this.data = data;
    this.resort();
    // A stale selection (the window is no longer sampled) falls back to the worst window.
    if (!this.sorted.some((w) => w.index === this.selection.selectedWindow)) this.selection.selectedWindow = this.sorted[0]?.index;
    const features = data?.features ?? [];
    if (this.selection.feature === undefined || this.selection.feature >= features.length) this.selection.feature = 0;
    clear(this.featureSelect);
    features.forEach((name, i) => this.featureSelect.append(el('option', { value: i, text: name })));
    this.featureSelect.value = String(this.selection.feature);
    this.render();
  }

  setPalette(palette: Palette): void {
    this.palette = palette;
    this.renderChart();
  }

  private resort(): void {
    this.sorted = sortWindows(this.data?.windows ?? [], this.selection.sort ?? 'error-desc');
  }

  private step(direction: number): void {
    const next = stepWindow(this.sorted, this.selection.selectedWindow ?? -1, direction);
    if (next) this.select({ selectedWindow: next.index });
  }

  private select(change: ReconSelection): void {
    Object.assign(this.selection, change);
    this.render();
    this.onSelectionChange(this.selection);
  }

  private render(): void {
    const empty = this.sorted.length === 0;
    byId('recon-empty').hidden = !empty;
    byId('section-recon').classList.toggle('empty', empty);
    this.renderList();
    this.renderChart();
  }

  private renderList(): void {
    clear(this.list);
    for (const w of this.sorted.slice(0, MAX_LISTED_WINDOWS)) {
      const selected = w.index === this.selection.selectedWindow;
      const tag = w.heldOut ? ' held-out' : '';
      const label = w.label !== undefined ? ` · label ${w.label}` : '';
      this.list.append(
        el(
          'li',
          { 'data-index': w.index, class: `window-row${selected ? ' selected' : ''}${tag}`, 'aria-selected': selected ? 'true' : 'false', tabindex: 0 },
          el('span', { class: 'window-name', text: `#${w.index} @${w.timestamp ?? w.start}${label}${w.heldOut ? ' · held-out' : ''}` }),
          el('span', { class: 'window-error', text: formatNumber(w.error) }),
        ),
      );
    }
  }

  private renderChart(): void {
    this.chart?.destroy();
    this.chart = undefined;
    const w = this.sorted.find((x) => x.index === this.selection.selectedWindow);
    const caption = byId('window-caption');
    if (!w || !this.data) {
      caption.textContent = '';
      return;
    }
    const rank = this.sorted.indexOf(w) + 1;
    caption.textContent = `window #${w.index} (${rank}/${this.sorted.length}), error ${formatNumber(w.error)}`;
    const feature = this.selection.feature ?? 0;
    this.chart = drawReconstruction(byId<HTMLCanvasElement>('recon-chart'), w, feature, this.data.features[feature] ?? `feature ${feature}`, this.palette);
  }
}
