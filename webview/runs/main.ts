// The side panel (webview view `tsae.runs`): the workspace's runs, newest first.
//
// Stable ids: #runs-list (li.run-row[data-run-dir], .selected; a checkbox .compare-pick per row),
// #open-run, #compare-runs (enabled with two or more runs ticked: two open the before/after
// dashboard, more the comparison panel), #resume-run (enabled for an interrupted or cancelled run
// that trained an epoch), #rename-run, #tag-run, #note-run, #delete-run (act on the selected run), #preview-title, #preview-chart (worst window of the selected run), #runs-empty, #notice.
// Each row shows the run's name (the user's own, else the config's), start time, duration, status
// (with why it ended when it did not complete), key figures, tags, note and the config diff to the
// previous run of the same config.
// document.body.dataset.ready = 'true' once the first list is drawn.

import './runs.css';
import type { HostToWebview, RunListItem } from '../../src/core/protocol/webview';
import type { WindowReconstruction } from '../../src/core/run/types';
import { formatNumber, formatSeconds } from '../../src/core/format';
import type { Chart } from '../shared/charts';
import { byId, clear, el } from '../shared/dom';
import { drawReconstruction } from '../shared/reconChart';
import { currentPalette, watchTheme } from '../shared/theme';
import { getState, onHostMessage, post, setState } from '../shared/vscodeApi';

interface RunsState {
  selected?: string;
}

const app = byId('app');
app.append(
  el(
    'div',
    { class: 'toolbar' },
    el('button', { id: 'open-run', type: 'button', disabled: true, text: 'Open', title: 'Open the selected run in a dashboard' }),
    el('button', { id: 'compare-runs', type: 'button', class: 'secondary', disabled: true, text: 'Compare', title: 'Tick two or more runs to compare them' }),
    el('button', { id: 'resume-run', type: 'button', class: 'secondary', disabled: true, text: 'Resume', title: 'Continue the selected interrupted or cancelled run' }),
  ),
  el(
    'div',
    { class: 'toolbar' },
    el('button', { id: 'rename-run', type: 'button', class: 'secondary', disabled: true, text: 'Rename', title: 'Give the selected run a name of its own' }),
    el('button', { id: 'tag-run', type: 'button', class: 'secondary', disabled: true, text: 'Tags', title: 'Tag the selected run' }),
    el('button', { id: 'note-run', type: 'button', class: 'secondary', disabled: true, text: 'Note', title: 'Write a note on the selected run' }),
    el('button', { id: 'delete-run', type: 'button', class: 'secondary', disabled: true, text: 'Delete', title: 'Move the selected run folder to the trash (asks first)' }),
  ),
  el('div', { id: 'notice', role: 'status', hidden: true }),
  el('p', { id: 'runs-empty', class: 'muted', hidden: true, text: 'No runs yet. Open a *.tsae.yaml config and run "TSAE: Train Autoencoder".' }),
  el('ul', { id: 'runs-list', 'aria-label': 'training runs, newest first' }),
  el('h3', { id: 'preview-title', class: 'muted' }),
  el(
    'div',
    { class: 'chart-box preview', id: 'preview-container' },
    el('canvas', { id: 'preview-chart', role: 'img', 'aria-label': 'worst reconstructed window of the selected run' }),
  ),
);

const saved = getState() as RunsState | undefined;
let selected: string | undefined = typeof saved?.selected === 'string' ? saved.selected : undefined;
const picked = new Set<string>();
let runs: RunListItem[] = [];
let preview: { features: string[]; window: WindowReconstruction | null } | undefined;
let previewChart: Chart<'line'> | undefined;
let palette = currentPalette();

const openButton = byId<HTMLButtonElement>('open-run');
const compareButton = byId<HTMLButtonElement>('compare-runs');
const resumeButton = byId<HTMLButtonElement>('resume-run');
resumeButton.addEventListener('click', () => selected && post({ type: 'resumeRun', runDir: selected }));
openButton.addEventListener('click', () => selected && post({ type: 'openRun', runDir: selected }));
compareButton.addEventListener('click', () => {
  const dirs = [...picked];
  if (dirs.length === 2) post({ type: 'compareRuns', runDirA: dirs[0], runDirB: dirs[1] });
  else if (dirs.length > 2) post({ type: 'compareMany', runDirs: dirs });
});
const runButtons = {
  'rename-run': () => selected && post({ type: 'editRun', runDir: selected, field: 'label' }),
  'tag-run': () => selected && post({ type: 'editRun', runDir: selected, field: 'tags' }),
  'note-run': () => selected && post({ type: 'editRun', runDir: selected, field: 'note' }),
  'delete-run': () => selected && post({ type: 'deleteRun', runDir: selected }),
};
for (const [id, action] of Object.entries(runButtons)) byId<HTMLButtonElement>(id).addEventListener('click', action);

const list = byId<HTMLUListElement>('runs-list');
list.addEventListener('click', (e) => {
  const target = e.target as HTMLElement;
  const row = target.closest<HTMLElement>('.run-row');
  const runDir = row?.dataset.runDir;
  if (!runDir) return;
  if (target instanceof HTMLInputElement && target.classList.contains('compare-pick')) {
    if (target.checked) picked.add(runDir);
    else picked.delete(runDir);
    updateButtons();
    return;
  }
  select(runDir);
});
list.addEventListener('keydown', (e) => {
  const runDir = (e.target as HTMLElement).closest<HTMLElement>('.run-row')?.dataset.runDir;
  if (!runDir || (e.target as HTMLElement).classList.contains('compare-pick')) return;
  if (e.key === 'Enter') post({ type: 'openRun', runDir });
  else if (e.key === ' ') {
    e.preventDefault();
    select(runDir);
  }
});
list.addEventListener('dblclick', (e) => {
  const runDir = (e.target as HTMLElement).closest<HTMLElement>('.run-row')?.dataset.runDir;
  if (runDir) post({ type: 'openRun', runDir });
});

function select(runDir: string): void {
  selected = runDir;
  setState({ selected } satisfies RunsState);
  renderList();
  post({ type: 'selectRun', runDir });
}

function updateButtons(): void {
  openButton.disabled = selected === undefined;
  for (const id of Object.keys(runButtons)) byId<HTMLButtonElement>(id).disabled = selected === undefined;
  compareButton.disabled = picked.size < 2;
  const run = runs.find((r) => r.runDir === selected);
  const resumable = run !== undefined && (run.status === 'interrupted' || run.status === 'cancelled') && run.epochs > 0;
  resumeButton.disabled = !resumable;
  resumeButton.title = resumable
    ? `Continue ${run.label ?? run.name} from its epoch ${run.epochs} checkpoint`
    : run && (run.status === 'interrupted' || run.status === 'cancelled')
      ? 'This run stopped before it finished an epoch: there is nothing to continue; train the config again'
      : 'Select an interrupted or cancelled run to continue it';
  compareButton.title = picked.size >= 2 ? `Compare the ${picked.size} ticked runs` : `Tick two or more runs to compare them (${picked.size} ticked)`;
}

function renderList(): void {
  clear(list);
  byId('runs-empty').hidden = runs.length > 0;
  for (const r of runs) {
    const isSelected = r.runDir === selected;
    const pick = el('input', { type: 'checkbox', class: 'compare-pick', title: 'Tick to compare', 'aria-label': `compare ${r.name}` });
    pick.checked = picked.has(r.runDir);
    list.append(
      el(
        'li',
        {
          class: `run-row status-${r.status}${isSelected ? ' selected' : ''}`,
          'data-run-dir': r.runDir,
          'aria-selected': isSelected ? 'true' : 'false',
          tabindex: 0,
          title: r.runDir,
        },
        pick,
        el(
          'div',
          { class: 'run-text' },
          el('div', { class: 'run-name', text: r.label ?? r.name, title: r.label ? `config: ${r.name}` : undefined }),
          el('div', {
            class: 'run-meta run-time muted',
            text: `${startTime(r.startedAt)} · ${formatSeconds(r.seconds)} · ${r.starting ? (r.status === 'running' ? 'loading data' : 'trained nothing') : `${r.epochs} epochs · ${r.backend}`}`,
          }),
          el('div', { class: `run-meta run-status status-${r.status}`, text: statusText(r) }),
          el('div', { class: 'run-meta run-figures muted', text: figures(r) }),
          r.tags && r.tags.length > 0 && el('div', { class: 'run-tags' }, ...r.tags.map((t) => el('span', { class: 'tag', text: t }))),
          r.note && el('div', { class: 'run-note', text: r.note }),
          r.configDiff && el('div', { class: 'run-diff muted', title: 'config changes since the previous run of this config', text: `Δ ${r.configDiff.join('; ')}` }),
        ),
      ),
    );
  }
  updateButtons();
}

/** The status, and why the run ended as it did (the reader's reasons already start with the status). */
function statusText(r: RunListItem): string {
  if (r.status === 'completed' || !r.reason) return r.status;
  return r.reason.startsWith(r.status) ? r.reason : `${r.status}: ${r.reason}`;
}

/** "Dec 6, 19:32": start times of runs from the same session differ by minutes. */
function startTime(iso: string): string {
  const t = new Date(iso);
  return Number.isNaN(t.getTime()) ? iso : t.toLocaleString(undefined, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });
}

function figures(r: RunListItem): string {
  const parts = [`val ${formatNumber(r.valLoss)}`, `loss ${formatNumber(r.trainLoss)}`];
  if (r.reconstructionError !== null) parts.push(`recon. ${formatNumber(r.reconstructionError)}`);
  if (r.heldOutAuc !== undefined) parts.push(`AUC ${formatNumber(r.heldOutAuc)}`);
  parts.push(`${r.findings} finding${r.findings === 1 ? '' : 's'}`);
  return parts.join(' · ');
}

function renderPreview(): void {
  previewChart?.destroy();
  previewChart = undefined;
  const title = byId('preview-title');
  const box = byId('preview-container');
  const w = preview?.window;
  box.hidden = !w;
  if (!preview || !w) {
    title.textContent = selected ? 'No reconstructions in this run yet.' : '';
    return;
  }
  title.textContent = `Worst window #${w.index}${w.heldOut ? ' (held-out)' : ''}: error ${formatNumber(w.error)}`;
  previewChart = drawReconstruction(byId<HTMLCanvasElement>('preview-chart'), w, 0, preview.features[0] ?? 'feature 0', palette, true);
}

function handle(message: HostToWebview): void {
  switch (message.type) {
    case 'runs': {
      runs = message.runs;
      const listed = new Set(runs.map((r) => r.runDir));
      for (const dir of [...picked]) if (!listed.has(dir)) picked.delete(dir);
      const reselect = selected !== undefined && listed.has(selected) && preview === undefined;
      if (selected !== undefined && !listed.has(selected)) selected = undefined;
      renderList();
      // After a reload the list comes first; ask for the preview of the run selected before.
      if (reselect && selected) post({ type: 'selectRun', runDir: selected });
      document.body.dataset.ready = 'true';
      return;
    }
    case 'preview':
      if (message.runDir !== selected) return;
      preview = { features: message.features, window: message.window };
      renderPreview();
      return;
    case 'notice': {
      const notice = byId('notice');
      notice.hidden = false;
      notice.className = `notice ${message.level}`;
      notice.textContent = message.text;
      return;
    }
    default:
      return; // dashboard messages
  }
}

watchTheme((next) => {
  palette = next;
  renderPreview();
});

onHostMessage(handle);
post({ type: 'ready' });
