// The reconstruction viewer: a window list sorted by error (worst first by default), a feature
// selector, prev/next, and input vs reconstruction of the selected window with its per-step error
// shaded. Selection survives reloads through the dashboard state.
//
// The list ranks every validation (and held-out) window by its error (reconstructions.json's
// `ranking`); the run saves the values of the worst windows and of an even sample. A selected
// window without values is asked for ('requestWindow') and drawn when 'window' brings them.

import type { WebviewToHost, WindowSort } from '../../src/core/protocol/webview';
import type { ReconstructionsFile, WindowError, WindowReconstruction } from '../../src/core/run/types';
import type { Palette } from '../lib/colour';
import { formatNumber } from '../../src/core/format';
import { rankedWindows, sameWindow, sortWindows, stepWindow } from '../../src/core/run/windows';
import type { Chart } from '../shared/charts';
import { byId, clear, el } from '../shared/dom';
import { drawReconstruction } from '../shared/reconChart';

export interface ReconSelection {
  selectedWindow?: number;
  selectedHeldOut?: boolean;
  feature?: number;
  sort?: WindowSort;
}

/** The window list shows at most this many rows (of the current order); every window is still ranked. */
const MAX_LISTED_WINDOWS = 500;

const keyOf = (w: Pick<WindowError, 'index' | 'heldOut'>): string => `${w.heldOut ? 'h' : 'v'}${w.index}`;

export class ReconView {
  private data: ReconstructionsFile | null = null;
  private sorted: WindowError[] = [];
  /** Values by window key: the ones the data carries, and the ones fetched on demand (with the data generation they were fetched in). */
  private readonly values = new Map<string, { window: WindowReconstruction; generation: number }>();
  private generation = 0;
  private readonly pending = new Set<string>();
  private chart: Chart<'line'> | undefined;
  private readonly featureSelect = byId<HTMLSelectElement>('feature-select');
  private readonly sortSelect = byId<HTMLSelectElement>('sort-select');
  private readonly list = byId<HTMLOListElement>('window-list');

  constructor(
    private palette: Palette,
    private selection: ReconSelection,
    private readonly onSelectionChange: (s: ReconSelection) => void,
    private readonly post: (msg: WebviewToHost) => void,
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
      if (row) this.select(rowSelection(row));
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
          this.select(rowSelection(row));
        }
      }
    });
  }

  set(data: ReconstructionsFile | null): void {
    this.data = data;
    this.generation++;
    // Values the data carries replace fetched ones; a fetched window keeps its values (from an
    // earlier checkpoint while the run trains) until it is selected again.
    for (const [key, entry] of this.values) if (!data || !this.sortedHasKey(data, key) || entry.generation < 0) this.values.delete(key);
    for (const w of data?.windows ?? []) this.values.set(keyOf(w), { window: w, generation: -1 });
    this.resort();
    // A stale selection (the window is no longer ranked) falls back to the worst window.
    if (!this.sorted.some((w) => sameWindow(w, this.current()))) this.setSelected(this.sorted[0]);
    const features = data?.features ?? [];
    if (this.selection.feature === undefined || this.selection.feature >= features.length) this.selection.feature = 0;
    clear(this.featureSelect);
    features.forEach((name, i) => this.featureSelect.append(el('option', { value: i, text: name })));
    this.featureSelect.value = String(this.selection.feature);
    this.render();
  }

  /** Values of a window asked for with 'requestWindow'. */
  addWindow(features: string[], window: WindowReconstruction): void {
    const key = keyOf(window);
    this.pending.delete(key);
    if (!this.data || features.length !== this.data.features.length || !this.sorted.some((w) => keyOf(w) === key)) return;
    this.values.set(key, { window, generation: this.generation });
    if (sameWindow(window, this.current())) this.renderChart();
  }

  /** A request failed (the extension said so in a notice): the window may be asked for again. */
  requestFailed(): void {
    this.pending.clear();
  }

  setPalette(palette: Palette): void {
    this.palette = palette;
    this.renderChart();
  }

  private sortedHasKey(data: ReconstructionsFile, key: string): boolean {
    return rankedWindows(data).some((w) => keyOf(w) === key);
  }

  private current(): Pick<WindowError, 'index' | 'heldOut'> {
    return { index: this.selection.selectedWindow ?? -1, heldOut: this.selection.selectedHeldOut === true };
  }

  private setSelected(w: Pick<WindowError, 'index' | 'heldOut'> | undefined): void {
    this.selection.selectedWindow = w?.index;
    this.selection.selectedHeldOut = w?.heldOut === true ? true : undefined;
  }

  private resort(): void {
    this.sorted = sortWindows(this.data ? rankedWindows(this.data) : [], this.selection.sort ?? 'error-desc');
  }

  private step(direction: number): void {
    const next = stepWindow(this.sorted, this.selection.selectedWindow ?? -1, direction, this.selection.selectedHeldOut === true);
    if (next) this.select({ selectedWindow: next.index, selectedHeldOut: next.heldOut === true ? true : undefined });
  }

  private select(change: ReconSelection): void {
    Object.assign(this.selection, change);
    if ('selectedWindow' in change) {
      if (!('selectedHeldOut' in change)) this.selection.selectedHeldOut = undefined;
      // Selected again: a window fetched before the latest data (an earlier epoch) is fetched anew.
      const key = keyOf(this.current());
      const entry = this.values.get(key);
      if (entry && entry.generation >= 0 && entry.generation < this.generation) this.values.delete(key);
    }
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
    const current = this.current();
    const shown = this.sorted.slice(0, MAX_LISTED_WINDOWS);
    // The selected window stays listed even when it is beyond the cap in this order.
    const selected = this.sorted.find((w) => sameWindow(w, current));
    if (selected && !shown.includes(selected)) shown.push(selected);
    for (const w of shown) {
      const isSelected = sameWindow(w, current);
      const label = w.label !== undefined ? ` · label ${w.label}` : '';
      this.list.append(
        el(
          'li',
          {
            'data-index': w.index,
            ...(w.heldOut ? { 'data-held-out': 'true' } : {}),
            class: `window-row${isSelected ? ' selected' : ''}${w.heldOut ? ' held-out' : ''}`,
            'aria-selected': isSelected ? 'true' : 'false',
            tabindex: 0,
          },
          el('span', { class: 'window-name', text: `#${w.index} @${w.timestamp ?? w.start}${label}${w.heldOut ? ' · held-out' : ''}` }),
          el('span', { class: 'window-error', text: formatNumber(w.error) }),
        ),
      );
    }
    const more = this.sorted.length - shown.length;
    if (more > 0) this.list.append(el('li', { class: 'window-more muted', text: `… ${more} more windows (change the order to see them)` }));
  }

  private renderChart(): void {
    this.chart?.destroy();
    this.chart = undefined;
    const current = this.current();
    const ranked = this.sorted.find((x) => sameWindow(x, current));
    const caption = byId('window-caption');
    if (!ranked || !this.data) {
      caption.textContent = '';
      return;
    }
    const rank = this.sorted.indexOf(ranked) + 1;
    const name = `window #${ranked.index}${ranked.heldOut ? ' (held-out)' : ''} (${rank}/${this.sorted.length}), error ${formatNumber(ranked.error)}`;
    const key = keyOf(ranked);
    const values = this.values.get(key)?.window;
    if (!values) {
      caption.textContent = `${name}: reconstructing…`;
      if (!this.pending.has(key)) {
        this.pending.add(key);
        this.post({ type: 'requestWindow', index: ranked.index, heldOut: ranked.heldOut === true });
      }
      return;
    }
    // A window fetched from another checkpoint (a training run) or changed data says so.
    const differs = Math.abs(values.error - ranked.error) > 1e-4 * Math.max(Math.abs(ranked.error), 1e-12);
    const stale = differs ? ` (drawn with error ${formatNumber(values.error)}: the model or data changed since it was ranked)` : '';
    caption.textContent = name + stale;
    const feature = this.selection.feature ?? 0;
    this.chart = drawReconstruction(byId<HTMLCanvasElement>('recon-chart'), values, feature, this.data.features[feature] ?? `feature ${feature}`, this.palette);
  }
}

function rowSelection(row: HTMLElement): ReconSelection {
  return { selectedWindow: Number(row.dataset.index), selectedHeldOut: row.dataset.heldOut === 'true' ? true : undefined };
}
