// The diagnosis of a failed run (summary.diagnosis): the symptoms, the control trial, and each
// candidate cause with its verdict and the trial figures that back it. A candidate is shown as
// verified only when its trial proved it; everything else reads as a hypothesis.

import type { Diagnosis, DiagnosisCandidate, TrialOutcome } from '../../src/core/diagnosis/types';
import { formatNumber, formatSeconds, formatSignedPercent } from '../../src/core/format';
import { byId, clear, el } from '../shared/dom';

const STATUS_TEXT: Record<Diagnosis['status'], string> = {
  verified: 'cause verified by a trial',
  hypothesis: 'no cause verified: the findings are hypotheses',
  'no-symptoms': 'no symptoms to diagnose',
  skipped: 'not diagnosed',
  cancelled: 'diagnosis cancelled',
};

const VERDICT_TEXT: Record<DiagnosisCandidate['verdict'], string> = {
  verified: 'verified',
  refuted: 'refuted',
  inconclusive: 'inconclusive',
  untested: 'not tried',
};

export function renderDiagnosis(diagnosis: Diagnosis | undefined): void {
  const section = byId('section-diagnosis');
  const body = byId('diagnosis');
  clear(body);
  section.hidden = diagnosis === undefined;
  if (!diagnosis) return;
  const head = `${STATUS_TEXT[diagnosis.status]} (${diagnosis.symptoms.join(' ') || 'no symptoms'}; ${formatSeconds(diagnosis.seconds)})`;
  body.append(el('p', { class: `diagnosis-status diagnosis-${diagnosis.status}`, text: head }));
  if (diagnosis.plan) {
    const margin = Math.round(diagnosis.margin * 100);
    body.append(
      el('p', {
        class: 'muted',
        text: `Each trial trains ${diagnosis.plan.epochs} epochs on at most ${diagnosis.plan.maxTrainWindows} windows with one fix applied; verified means the trial cleared the symptom and its error is at least ${margin} % below the control's.`,
      }),
    );
  }
  if (diagnosis.control) body.append(el('p', { class: 'diagnosis-control', text: `Control (no change): ${outcomeText(diagnosis.control)}` }));
  if (diagnosis.candidates.length > 0) body.append(candidateTable(diagnosis.candidates));
  for (const note of diagnosis.notes) body.append(el('p', { class: 'muted diagnosis-note', text: note }));
}

// The reason and the "why not verified" sentence are often long: they get a full-width row under
// their candidate, so the figures stay in narrow columns beside the editor.
function candidateTable(candidates: readonly DiagnosisCandidate[]): HTMLElement {
  const columns = ['Verdict', 'Change', 'Explains', 'Trial', 'Error vs control'];
  const head = el('tr', {}, ...columns.map((h) => el('th', { text: h })));
  const rows = candidates.flatMap((c) => [
    el(
      'tr',
      { class: `candidate verdict-${c.verdict}`, 'data-config-path': c.configPath },
      el('td', {}, el('span', { class: `badge verdict-${c.verdict}`, text: VERDICT_TEXT[c.verdict] })),
      el('td', { class: 'config-path', text: c.title }),
      el('td', { text: c.explains.join(' ') }),
      el('td', { text: c.trial ? outcomeText(c.trial) : '-' }),
      el('td', { text: c.errorChange === undefined ? '-' : formatSignedPercent(c.errorChange) }),
    ),
    el(
      'tr',
      { class: 'candidate-why' },
      el('td', { class: 'muted', colspan: columns.length, text: `${c.source}: ${c.reason}${c.why ? ` (${c.verdict === 'untested' ? '' : 'unverified: '}${c.why})` : ''}` }),
    ),
  ]);
  return el('table', { class: 'diagnosis-candidates' }, el('thead', {}, head), el('tbody', {}, ...rows));
}

function outcomeText(outcome: TrialOutcome): string {
  if (outcome.failure && !outcome.diverged) return `did not finish (${outcome.failure})`;
  const error = outcome.nmse === null ? 'diverged' : `error ${formatNumber(outcome.nmse, 3)}`;
  const symptoms = outcome.symptoms.length > 0 ? outcome.symptoms.join(' ') : 'no symptoms';
  return `${error}, ${symptoms}; ${outcome.epochs} epochs on ${outcome.trainWindows} windows, ${formatSeconds(outcome.seconds)}`;
}
