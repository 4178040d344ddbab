// The run's summary (status, backend and why, epochs, losses, size, time) and its findings, each
// with a link to its rule page, "Go to config" and, when the detector proposes one, "Apply fix &
// retrain". Buttons only post messages; the extension decides what is allowed.

import { isRuleCode, type WebviewToHost } from '../../src/core/protocol/webview';
import type { RunFinding, RunSummary } from '../../src/core/run/types';
import { formatNumber, formatSeconds } from '../../src/core/format';
import { byId, clear, el } from '../shared/dom';

export function renderSummary(summary: RunSummary, epochsSeen: number): void {
  byId('run-name').textContent = summary.name;
  const status = byId('run-status');
  status.textContent = summary.status;
  status.className = `badge status-${summary.status}`;
  const rows: Array<[string, string]> = [
    ['Status', summary.reason ? `${summary.status}: ${summary.reason}` : summary.status],
    ['Config', summary.configFile],
    ['Started', new Date(summary.startedAt).toLocaleString()],
    ['Backend', `${summary.backend} (${summary.backendReason})`],
    ['Epochs', summary.status === 'running' ? `${epochsSeen} of ${summary.epochs}` : String(summary.epochs)],
    ['Train loss', formatNumber(summary.trainLoss)],
    ['Validation loss', formatNumber(summary.valLoss)],
    ['Reconstruction error', formatNumber(summary.reconstructionError)],
    ['Parameters', summary.parameters.toLocaleString('en-US')],
    ['Compression ratio', `${formatNumber(summary.compressionRatio)} : 1`],
    ['Windows', `${summary.windows.train} train, ${summary.windows.validation} validation, ${summary.windows.heldOut} held out`],
    ['Time', formatSeconds(summary.seconds)],
  ];
  if (summary.heldOutAuc !== undefined) rows.push(['Held-out ROC AUC', formatNumber(summary.heldOutAuc)]);
  if (summary.restoredEpoch !== undefined) rows.push(['Restored epoch', String(summary.restoredEpoch)]);
  const list = byId('summary');
  clear(list);
  for (const [term, value] of rows) list.append(el('dt', { text: term }), el('dd', { text: value }));
}

export function renderFindings(findings: readonly RunFinding[], post: (m: WebviewToHost) => void): void {
  const list = byId('findings');
  clear(list);
  if (findings.length === 0) {
    list.append(el('li', { class: 'muted', text: 'No findings: no detector fired on this run.' }));
    return;
  }
  for (const f of findings) list.append(findingItem(f, post));
}

/** One finding; without `post` it is shown read-only (a baseline's finding: the extension acts only on this run's). */
export function findingItem(f: RunFinding, post?: (m: WebviewToHost) => void): HTMLElement {
  // The rule page ships with the extension; the host opens it in the markdown preview.
  const code = post && isRuleCode(f.code) ? el('a', { href: '#', class: 'code', text: f.code, title: `What ${f.code} means` }) : el('span', { class: 'code', text: f.code });
  if (post && isRuleCode(f.code)) {
    code.addEventListener('click', (event) => {
      event.preventDefault();
      post({ type: 'openRuleDocs', code: f.code });
    });
  }
  const actions = el('div', { class: 'finding-actions' });
  if (post) {
    const goTo = el('button', { type: 'button', class: 'go-to-config', text: 'Go to config' });
    goTo.addEventListener('click', () => post({ type: 'goToConfig', code: f.code, configPath: f.configPath }));
    actions.append(goTo);
  }
  if (post && f.fix) {
    const apply = el('button', { type: 'button', class: 'apply-fix', title: f.fix.title, text: 'Apply fix & retrain' });
    apply.addEventListener('click', () => {
      // Disabled until the extension answers with a notice, so one click starts one run.
      apply.disabled = true;
      post({ type: 'applyFix', code: f.code, configPath: f.configPath });
    });
    actions.append(apply);
  }
  return el(
    'li',
    { class: `finding severity-${f.severity}`, 'data-code': f.code },
    el(
      'div',
      { class: 'finding-head' },
      code,
      el('span', { class: 'severity', text: f.severity }),
      el('span', { class: 'config-path', text: f.configPath }),
      f.epoch !== undefined && el('span', { class: 'muted', text: `epoch ${f.epoch}` }),
    ),
    el('div', { class: 'finding-message', text: f.message }),
    f.fix && el('div', { class: 'finding-fix muted', text: `Fix: ${f.fix.title}` }),
    actions,
  );
}

/** Re-enables the fix buttons after the extension reported how applying went. */
export function enableFixButtons(): void {
  for (const b of document.querySelectorAll<HTMLButtonElement>('button.apply-fix')) b.disabled = false;
}
