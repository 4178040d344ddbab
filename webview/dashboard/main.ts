// The run dashboard (webview `tsae.dashboard`). One scrollable page, every section visible.
//
// Stable ids (the e2e suite and the extension-host tests rely on them):
//   #hdr              header; #run-name holds the run name, #run-status its status, #score-run
//                     the Score button ("TSAE: Score Data with Run..." for this run)
//   #notice           the last notice from the extension (hidden when none)
//   #loss-container   box of the loss chart; data-epochs = epochs drawn so far
//   #loss-chart       canvas: train/validation loss (log y) and learning rate (right axis, when
//                     it changes; else #lr-caption says the constant rate)
//   #grad-chart       canvas: gradient norm per layer (log y); #grad-block hidden when not measured
//   #feature-select, #sort-select, #prev-window, #next-window   reconstruction controls
//   #window-list      windows sorted by error (li.window-row[data-index], .selected)
//   #recon-chart      canvas: input vs reconstruction of the selected window, error shaded
//   #error-chart      canvas: histogram of window errors, validation vs held-out, threshold lines
//   #latent-heatmap   canvas: windows x latent units; dead units hatched and labelled "(dead)"
//   #dead-units       text naming the dead units
//   #pca-chart        canvas: latent vectors on PC1/PC2, coloured by label
//   #section-compare  comparison with a baseline run (hidden without one): #compare-chart,
//                     #findings-diff with #findings-cured, #findings-new, #findings-both
//   #summary          dl of the run's figures; #findings the list of findings (li.finding[data-code])
// document.body.dataset.ready = 'true' once the first run data is drawn.

import './dashboard.css';
import type { DashboardState, HostToWebview, RunData } from '../../src/core/protocol/webview';
import type { RunFinding } from '../../src/core/run/types';
import { findingKey } from '../lib/findings';
import { byId } from '../shared/dom';
import { currentPalette, watchTheme } from '../shared/theme';
import { getState, onHostMessage, post, setState } from '../shared/vscodeApi';
import { isDashboardState } from '../../src/core/protocol/webview';
import { CompareView } from './compareView';
import { ErrorHistogram, GradientChart } from './diagnosticCharts';
import { buildDashboardPage } from './layout';
import { LatentView } from './latentView';
import { LossChart } from './lossChart';
import { ReconView, type ReconSelection } from './reconView';
import { rankedWindows } from '../../src/core/run/windows';
import { enableFixButtons, renderFindings, renderSummary } from './summaryView';
import { renderDiagnosis } from './diagnosisView';

buildDashboardPage(byId('app'));
byId('score-run').addEventListener('click', () => post({ type: 'scoreRun' }));

const saved = getState();
let state: DashboardState | undefined = isDashboardState(saved) ? saved : undefined;
let palette = currentPalette();
let run: RunData | undefined;
let baseline: RunData | undefined;

const loss = new LossChart(byId<HTMLCanvasElement>('loss-chart'), byId('loss-container'), palette, true, byId('lr-caption'));
const recon = new ReconView(
  palette,
  { selectedWindow: state?.selectedWindow, selectedHeldOut: state?.selectedHeldOut, feature: state?.feature, sort: state?.sort },
  saveSelection,
  post,
);
const latent = new LatentView(palette);
const gradients = new GradientChart(palette);
const errors = new ErrorHistogram(palette);
const compare = new CompareView(palette, post);

function saveSelection(selection: ReconSelection): void {
  if (!state) return;
  state = { ...state, ...selection };
  setState(state);
}

function drawLoss(): void {
  if (!run) return;
  loss.set([{ label: baseline ? 'after' : run.summary.name, metrics: run.metrics }, ...(baseline ? [{ label: 'before', metrics: baseline.metrics, dashed: true }] : [])]);
}

function drawSummary(): void {
  if (!run) return;
  renderSummary(run.summary, run.metrics.length);
  renderFindings(run.summary.findings, post);
  renderDiagnosis(run.summary.diagnosis);
}

function addFinding(finding: RunFinding): void {
  if (!run) return;
  const key = findingKey(finding);
  if (run.summary.findings.some((f) => findingKey(f) === key && f.message === finding.message)) return;
  run.summary.findings.push(finding);
  drawSummary();
}

/** Info notices fade after this long; errors stay until the next notice. */
const INFO_NOTICE_MS = 8000;
let noticeTimer: ReturnType<typeof setTimeout> | undefined;

function showNotice(level: 'info' | 'error', text: string): void {
  const notice = byId('notice');
  notice.hidden = false;
  notice.className = `notice ${level}`;
  notice.textContent = text;
  clearTimeout(noticeTimer);
  if (level === 'info') noticeTimer = setTimeout(() => (notice.hidden = true), INFO_NOTICE_MS);
}

function handle(message: HostToWebview): void {
  switch (message.type) {
    case 'init': {
      run = message.run;
      baseline = message.baseline;
      state = { ...(state?.runDir === run.runDir ? state : {}), runDir: run.runDir, baselineDir: baseline?.runDir };
      setState(state);
      drawLoss();
      gradients.set(run.metrics);
      recon.set(run.reconstructions);
      errors.set(run.reconstructions ? rankedWindows(run.reconstructions) : [], run.summary.thresholds);
      latent.set(run.latents);
      compare.set(run, baseline);
      drawSummary();
      document.body.dataset.ready = 'true';
      return;
    }
    case 'epoch':
      // An epoch already in 'init' (posted while the page was loading) is not drawn twice.
      if (!run || run.metrics.some((m) => m.epoch === message.metrics.epoch)) return;
      run.metrics.push(message.metrics);
      run.summary.trainLoss = message.metrics.loss;
      run.summary.valLoss = message.metrics.valLoss;
      loss.refresh();
      gradients.refresh();
      renderSummary(run.summary, run.metrics.length);
      return;
    case 'reconstructions':
      if (!run) return;
      run.reconstructions = { features: message.features, units: 'original', windows: message.windows, ...(message.ranking ? { ranking: message.ranking } : {}) };
      recon.set(run.reconstructions);
      errors.set(rankedWindows(run.reconstructions), run.summary.thresholds);
      if (baseline) compare.set(run, baseline);
      return;
    case 'window':
      recon.addWindow(message.features, message.window);
      return;
    case 'latents':
      if (!run) return;
      run.latents = {
        size: message.vectors[0]?.length ?? 0,
        vectors: message.vectors,
        indices: message.indices ?? message.vectors.map((_, i) => i),
        labels: message.labels,
      };
      latent.set(run.latents);
      return;
    case 'finding':
      addFinding(message.finding);
      return;
    case 'status':
      if (!run) return;
      run.summary = message.summary;
      drawSummary();
      errors.set(run.reconstructions ? rankedWindows(run.reconstructions) : [], run.summary.thresholds);
      if (baseline) compare.set(run, baseline);
      if (message.message) showNotice(message.summary.status === 'failed' ? 'error' : 'info', message.message);
      return;
    case 'notice':
      showNotice(message.level, message.text);
      enableFixButtons();
      if (message.level === 'error') recon.requestFailed();
      return;
    case 'runs':
    case 'preview':
      return; // side-panel messages
  }
}

watchTheme((next) => {
  palette = next;
  loss.setPalette(palette);
  recon.setPalette(palette);
  latent.setPalette(palette);
  gradients.setPalette(palette);
  errors.setPalette(palette);
  compare.setPalette(palette);
});

onHostMessage(handle);
post({ type: 'ready' });
