// Shown when the dashboard compares a run with a baseline (after "Apply fix & retrain" or
// "Compare Runs"): reconstruction error before/after as sorted-error curves, and the findings
// diffed by code and config path (cured, new, still there).

import type { RunData, WebviewToHost } from '../../src/core/protocol/webview';
import type { RunFinding, RunSummary } from '../../src/core/run/types';
import { type Palette } from '../lib/colour';
import { diffFindings } from '../lib/findings';
import { formatNumber } from '../../src/core/format';
import { meanError, rankedWindows, sortedErrors } from '../../src/core/run/windows';
import { lttbSeries } from '../lib/decimate';
import { axis, baseOptions, Chart, positiveOrNull } from '../shared/charts';
import { byId, clear, el } from '../shared/dom';
import { findingItem } from './summaryView';

export class CompareView {
  private chart: Chart<'line'> | undefined;
  private baseline: RunData | undefined;
  private run: RunData | undefined;

  constructor(
    private palette: Palette,
    private readonly post: (m: WebviewToHost) => void,
  ) {}

  set(run: RunData, baseline: RunData | undefined): void {
    this.run = run;
    this.baseline = baseline;
    this.render();
  }

  setPalette(palette: Palette): void {
    this.palette = palette;
    this.render();
  }

  private render(): void {
    this.chart?.destroy();
    this.chart = undefined;
    const section = byId('section-compare');
    const { run, baseline } = this;
    section.hidden = !run || !baseline;
    if (!run || !baseline) return;
    // Runs of one config share a name; their start times tell them apart.
    const same = baseline.summary.name === run.summary.name;
    const label = (s: RunSummary): string =>
      same ? `${s.name} of ${new Date(s.startedAt).toLocaleString(undefined, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' })}` : s.name;
    byId('compare-title').textContent = `Comparison: ${label(baseline.summary)} (before) → ${label(run.summary)} (after)`;
    // Every window's error when the runs saved them (the saved values over-represent the worst).
    const before = baseline.reconstructions ? rankedWindows(baseline.reconstructions) : [];
    const after = run.reconstructions ? rankedWindows(run.reconstructions) : [];
    byId('compare-errors').textContent =
      `Mean reconstruction error per window: before ${formatNumber(meanError(before))}, after ${formatNumber(meanError(after))}. ` +
      `Validation loss: before ${formatNumber(baseline.summary.valLoss)}, after ${formatNumber(run.summary.valLoss)}.`;
    this.drawErrors(sortedErrors(before), sortedErrors(after));
    this.renderDiff(baseline.summary.findings, run.summary.findings);
  }

  private drawErrors(before: number[], after: number[]): void {
    const p = this.palette;
    // x is the window's rank as a share of windows, so runs with different window counts overlay.
    const curve = (errors: number[]) => lttbSeries(errors).map((pt) => ({ x: errors.length > 1 ? pt.x / (errors.length - 1) : 0, y: positiveOrNull(pt.y) }));
    const options = baseOptions<'line'>(p);
    this.chart = new Chart(byId<HTMLCanvasElement>('compare-chart'), {
      type: 'line',
      data: {
        datasets: [
          { label: 'before', data: curve(before), borderColor: p.muted, backgroundColor: p.muted, borderDash: [6, 4], borderWidth: 1.5, pointRadius: 0 },
          { label: 'after', data: curve(after), borderColor: p.green, backgroundColor: p.green, borderWidth: 1.5, pointRadius: 0 },
        ],
      },
      options: {
        ...options,
        parsing: false,
        scales: {
          x: axis(p, 'windows, best to worst (share)', { type: 'linear', min: 0, max: 1 }),
          y: axis(p, 'reconstruction error (log)', { type: 'logarithmic' }),
        },
      },
    });
  }

  private renderDiff(before: readonly RunFinding[], after: readonly RunFinding[]): void {
    const diff = diffFindings(before, after);
    const box = byId('findings-diff');
    clear(box);
    // Only the newer run's findings can be acted on: its config is the one on disk now.
    const group = (id: string, title: string, findings: RunFinding[], actionable: boolean) => {
      const list = el('ul', { class: 'findings-group' });
      if (findings.length === 0) list.append(el('li', { class: 'muted', text: 'none' }));
      for (const f of findings) list.append(findingItem(f, actionable ? this.post : undefined));
      return el('div', { id }, el('h3', { text: `${title} (${findings.length})` }), list);
    };
    box.append(
      group('findings-cured', 'Only before: cured', diff.onlyA, false),
      group('findings-new', 'Only after: new', diff.onlyB, true),
      group(
        'findings-both',
        'In both: still there',
        diff.both.map((x) => x.b),
        true,
      ),
    );
  }
}
