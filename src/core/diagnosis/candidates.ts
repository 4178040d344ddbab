// The candidate causes of a failed run, ranked. Candidates are the static hazards of the config
// that can explain a symptom (each rule declares which symptoms it explains) and every cause the
// detectors listed; both carry a fix. A static hazard that explains the symptom ranks above a
// detector's generic blame, measured evidence moves a candidate up or down, and a candidate that
// explains several of the run's symptoms gains over one that explains a single one. The generic
// "train longer" is not a property of the config: it ranks after every specific cause, whatever
// its score, and is what remains when nothing in the config explains the symptom.

import type { ResolvedConfig } from '../config/types';
import { valueAt } from '../config/validate';
import { isTrainLonger } from '../detectors/configFacts';
import { rules } from '../rules/index';
import type { RunFinding } from '../run/types';
import type { ConfigFix, Finding } from '../types';
import { estimateTrainingMemory } from '../model/memory';
import { LEARNING_RATE_RANGES } from '../rules/tsae104-learning-rate-out-of-range';
import { formatNumber } from '../format';
import { evidenceFor, type RunEvidence } from './evidence';
import type { DiagnosisCandidate } from './types';

/** A static hazard that explains a symptom starts here; a detector's first cause one point lower. */
const STATIC_PRIOR = 3;
const DETECTOR_PRIOR = 2;
/** Each later place in a detector's own list costs this much, down to four places. */
const RANK_STEP = 0.25;
/** Each further symptom a candidate explains adds this much. */
const EXTRA_SYMPTOM = 0.5;
/** A rule's fix it marks as a suggestion (one of several ways out, e.g. a batch size) ranks below its sure fixes. */
const SUGGESTION_PENALTY = 0.5;
/** Hazards fixed together score just below their best single fix, so that unproven the single fix is the hypothesis. */
const TOGETHER_DISCOUNT = 0.01;
/** A static hazard that a detector also names for the symptom it measured (and the reverse) gains this much. */
const CORROBORATED = 0.5;

interface Draft {
  candidate: DiagnosisCandidate;
  prior: number;
  /** Proposed by a static rule, by a detector, or both. */
  by: Set<'rule' | 'detector'>;
}

export function rankCandidates(symptoms: readonly RunFinding[], staticFindings: readonly Finding[], config: ResolvedConfig, evidence: RunEvidence): DiagnosisCandidate[] {
  const codes = new Set(symptoms.map((s) => s.code));
  const drafts = new Map<string, Draft>();
  const propose = (source: string, fix: ConfigFix, explains: string[], prior: number, reason: string, staticError = false) => {
    const why = `${source}: ${reason}`;
    const key = JSON.stringify(fix.changes);
    const existing = drafts.get(key);
    const by = /^TSAE1/.test(source) ? 'rule' : 'detector';
    if (existing) {
      existing.by.add(by);
      existing.candidate.explains = [...new Set([...existing.candidate.explains, ...explains])];
      if (!existing.candidate.evidence.includes(why)) existing.candidate.evidence.push(why);
      existing.prior = Math.max(existing.prior, prior);
      if (staticError) existing.candidate.staticError = true;
      return;
    }
    drafts.set(key, {
      prior,
      by: new Set([by]),
      candidate: {
        source,
        configPath: fix.changes[0].path,
        title: fix.title,
        reason,
        changes: fix.changes,
        explains,
        evidence: [why],
        score: 0,
        verdict: 'untested',
        ...(staticError ? { staticError } : {}),
      },
    });
  };

  const byRule = new Map<string, Array<{ finding: Finding; fix: ConfigFix; explained: string[] }>>();
  /** The keys each rule's sure fix (not its suggestions) changes: what may be put together (a sized value may change later). */
  const sureFixes = new Set<string>();
  for (const finding of staticFindings) {
    const rule = rules.find((r) => r.code === finding.code);
    const explained = (rule?.explains ?? []).filter((code) => codes.has(code));
    if (!finding.fix || finding.fix.changes.length === 0 || explained.length === 0) continue;
    if (finding.fix.safety === 'suggestion') {
      propose(finding.code, finding.fix, explained, STATIC_PRIOR - SUGGESTION_PENALTY, finding.message, finding.severity === 'error');
      continue;
    }
    byRule.set(finding.code, [...(byRule.get(finding.code) ?? []), { finding, fix: finding.fix, explained }]);
  }
  // The same hazard in several places (elu in the encoder and in the decoder): fixing one of them
  // leaves the other to cause the symptom, so a rule's sure fixes are proposed together, as one.
  for (const [code, found] of byRule) {
    const error = found.some((f) => f.finding.severity === 'error');
    if (found.length === 1) {
      propose(code, found[0].fix, found[0].explained, STATIC_PRIOR, found[0].finding.message, error);
      sureFixes.add(pathsOf(found[0].fix.changes));
      continue;
    }
    const changes = found.flatMap((f) => f.fix.changes).filter((c, i, all) => all.findIndex((o) => o.path === c.path) === i);
    const fix: ConfigFix = { title: `Apply every ${code} fix: ${found.map((f) => lowerFirst(f.fix.title)).join('; ')}`, safety: 'unsafe', changes };
    propose(code, fix, found[0].explained, STATIC_PRIOR, found.map((f) => f.finding.message).join(' '), error);
    sureFixes.add(pathsOf(fix.changes));
  }
  for (const symptom of symptoms) {
    (symptom.causes ?? []).forEach((cause, place) => {
      if (!cause.fix || cause.fix.changes.length === 0) return;
      propose(symptom.code, cause.fix, [symptom.code], DETECTOR_PRIOR - RANK_STEP * Math.min(place, 4), cause.reason);
    });
  }

  for (const draft of drafts.values()) sizeLearningRate(draft.candidate, config, evidence);
  const ranked = [...drafts.values()].map(({ candidate, prior, by }) => {
    const facts = candidate.changes.flatMap((change) => evidenceFor(change, valueAt(config, change.path), evidence));
    if (by.has('rule')) candidate.fromRule = true;
    if (by.size === 2) facts.push({ weight: CORROBORATED, sentence: 'both the linter and the runtime detector name this change' });
    const score = prior + EXTRA_SYMPTOM * (candidate.explains.length - 1) + facts.reduce((sum, f) => sum + f.weight, 0);
    return { ...candidate, score, evidence: [...candidate.evidence, ...facts.map((f) => `${f.weight > 0 ? 'for' : 'against'}: ${f.sentence}`)] };
  });
  ranked.sort((a, b) => Number(isGeneric(a)) - Number(isGeneric(b)) || b.score - a.score);
  const together = hazardsTogether(ranked, codes, sureFixes);
  return together ? [together, ...ranked] : ranked;
}

/**
 * Two hazards of different kinds that each explain the same symptom mask each other in a trial:
 * fixing one leaves the other to cause the symptom (unscaled input read by relu cells: scaling
 * alone cut the error by 100 % and the relu cells still lost the peaks), so no trial of a single
 * fix can clear it, and a user who applies one fix still sees the failure. Their sure fixes are
 * therefore also proposed as one candidate, tried first; it is blamed on the best-ranked of them,
 * and the single fixes follow it, so a trial can still show that one alone is enough (a verified
 * single fix is blamed before it, compareVerified). Left out: suggestions (one of several ways
 * out), and fixes that change the windows (stride, length, data): a trial of those trains on
 * other windows than the control, so it cannot show what the other fixes do. Unproven, it yields
 * to the single fixes as the hypothesis: the smaller change is the likelier explanation.
 */
function hazardsTogether(ranked: readonly DiagnosisCandidate[], symptoms: ReadonlySet<string>, sureFixes: ReadonlySet<string>): DiagnosisCandidate | undefined {
  const hazards = ranked.filter((c) => c.fromRule && !isGeneric(c) && sureFixes.has(pathsOf(c.changes)) && !c.changes.some((change) => /^(windowing|data)\./.test(change.path)));
  let members: DiagnosisCandidate[] = [];
  for (const code of symptoms) {
    const explaining = hazards.filter((h) => h.explains.includes(code));
    if (new Set(explaining.map((h) => h.source)).size > Math.max(1, new Set(members.map((m) => m.source)).size)) members = explaining;
  }
  if (members.length < 2) return undefined;
  const changes: ConfigFix['changes'] = [];
  for (const change of members.flatMap((m) => m.changes)) if (!changes.some((c) => c.path === change.path)) changes.push(change);
  const [first] = members;
  return {
    source: members.map((m) => m.source).join('+'),
    configPath: first.configPath,
    title: `Fix these ${members.length} hazards together: ${members.map((m) => lowerFirst(m.title)).join('; ')}`,
    reason: `each of these explains the symptom, and a trial of one fix alone still has the others: ${members.map((m) => m.reason).join(' ')}`,
    changes,
    explains: [...new Set(members.flatMap((m) => m.explains))],
    evidence: members.flatMap((m) => m.evidence),
    score: first.score - TOGETHER_DISCOUNT,
    verdict: 'untested',
    fromRule: true,
    ...(members.some((m) => m.staticError) ? { staticError: true } : {}),
  };
}

/**
 * Adam and RMSprop scale each parameter's step by its own gradient history, so their default rate
 * suits most models. Plain SGD steps by the gradient itself: the rate that works depends on the
 * model's gradient scale (0.01, its Keras default, left a collapsed LSTM autoencoder collapsed
 * where about 0.8 trained it). A raise of SGD's rate is therefore sized from the run's own
 * gradients: the rate at which an SGD step has the length of the step Adam's default takes,
 * about ADAM_STEP per parameter, so ADAM_STEP * sqrt(parameters) / typical gradient norm, within
 * TSAE104's range for SGD and one significant digit.
 */
const ADAM_STEP = LEARNING_RATE_RANGES.adam.default;

function sizeLearningRate(candidate: DiagnosisCandidate, config: ResolvedConfig, evidence: RunEvidence): void {
  const change = candidate.changes.find((c) => c.path === 'training.learningRate');
  const current = config.training?.learningRate;
  const range = LEARNING_RATE_RANGES[config.training?.optimizer];
  if (!change || config.training?.optimizer !== 'sgd' || !range || typeof current !== 'number' || typeof change.value !== 'number' || change.value <= current) return;
  const norm = evidence.gradientNorm;
  if (norm === undefined || !(norm > 0)) return;
  const parameters = sgdParameters(config, evidence);
  if (parameters === undefined) return;
  const raw = Math.min(range.max, Math.max(range.min, (ADAM_STEP * Math.sqrt(parameters)) / norm));
  const sized = Number(raw.toPrecision(1));
  if (!(sized > current) || sized === change.value) return;
  change.value = sized;
  // The rule's and detector's words propose the default; the fix is now sized, so the reason says so.
  candidate.reason = `${candidate.reason.replace(/\s*Use [^.]*default [^]*$/, '')} Raise it to ${formatNumber(sized)}: at that rate an SGD step is as long as Adam's default step for this run's gradients.`;
  candidate.title = `Raise the learning rate to ${formatNumber(sized)} (sized from this run's gradients for sgd)`;
  candidate.evidence.push(
    `sized: a typical gradient norm of ${formatNumber(Number(norm.toPrecision(3)))} over ${formatNumber(parameters)} parameters; ` +
      `at ${formatNumber(sized)} an SGD step is as long as the step Adam's default ${formatNumber(ADAM_STEP)} takes`,
  );
}

function sgdParameters(config: ResolvedConfig, evidence: RunEvidence): number | undefined {
  const features = evidence.inputFeatures ?? config.data?.columns?.length ?? 1;
  const outputs = config.task?.targetColumns?.length ?? features;
  try {
    return estimateTrainingMemory(config, { inputFeatures: features, outputFeatures: outputs }).parameters;
  } catch {
    return undefined;
  }
}

/** "Train longer": no key of the config is at fault, the run only stopped early. */
export function isGeneric(candidate: Pick<DiagnosisCandidate, 'changes'>): boolean {
  return isTrainLonger(candidate.changes);
}

/** The keys a fix changes, as one string. */
function pathsOf(changes: ConfigFix['changes']): string {
  return changes.map((c) => c.path).join('\n');
}

function lowerFirst(text: string): string {
  return text.length > 0 ? text[0].toLowerCase() + text.slice(1) : text;
}
