// Messages between the extension and its webviews (the run dashboard `tsae.dashboard` and the
// side panel `tsae.runs`), in one place. Both sides validate what they receive with the guards
// below and drop anything that does not match: the webview trusts nothing it did not render, and
// the extension treats the webview like any other untrusted input (it may be stale after a reload).
//
// This file is compiled into the browser bundles too, so it may import only types (`../run/types`,
// `../diagnosis/types`) and the guard building blocks beside it.

import type { Diagnosis, InputSpaceError, TrialOutcome, TrialPlan } from '../diagnosis/types';
import { TRAINING_BACKENDS } from '../types';
import type { EpochMetrics, LatentsFile, ReconstructionsFile, RunFinding, RunStatus, RunSummary, TrainingBackend, WindowError, WindowReconstruction } from '../run/types';
import type { AnomalyEvent, EvaluationMetrics, ScoresFile, ThresholdRule } from '../scoring/types';
import {
  arrayOf,
  isBoolean,
  isCount,
  isLabel,
  isMatrix,
  isNullableNumber,
  isNumber,
  isNumberArray,
  isPositiveInteger,
  isPrimitiveMap,
  isRecord,
  isString,
  oneOf,
  optional,
} from './guards';

/** Everything a dashboard shows about one run. */
export interface RunData {
  /** Absolute path of the run folder; the dashboard keeps it in its state for revival. */
  runDir: string;
  summary: RunSummary;
  /** Every epoch so far, oldest first. A diverged loss arrives as NaN. */
  metrics: EpochMetrics[];
  reconstructions: ReconstructionsFile | null;
  latents: LatentsFile | null;
}

/** One row of the side panel. */
export interface RunListItem {
  runDir: string;
  name: string;
  status: RunStatus;
  backend: TrainingBackend;
  startedAt: string;
  epochs: number;
  trainLoss: number | null;
  valLoss: number | null;
  reconstructionError: number | null;
  findings: number;
  seconds: number;
  /** The config file the run trained (runs of one config are compared with each other). */
  configFile?: string;
  /** Why the run ended as it did (interrupted, failed, early stopping). */
  reason?: string;
  heldOutAuc?: number;
  /** The user's name, tags and note (notes.json). */
  label?: string;
  tags?: string[];
  note?: string;
  /** Short config diff to the previous run of the same config ("model.latent.size 8 → 16"). */
  configDiff?: string[];
  /** The run had not loaded its data or built its model (its backend is a placeholder, it has no epochs). */
  starting?: boolean;
}

/** Extension -> webview. */
export type HostToWebview =
  /** Dashboard: the whole run, sent in reply to every 'ready' (a hidden webview is rebuilt when shown). */
  | { type: 'init'; run: RunData; baseline?: RunData }
  /** Dashboard, while training: one more epoch. */
  | { type: 'epoch'; metrics: EpochMetrics }
  /** Dashboard, while training: the latest reconstructions (and the ranking of every window's error) replace the previous ones. */
  | { type: 'reconstructions'; epoch: number; features: string[]; windows: WindowReconstruction[]; ranking?: WindowError[] }
  /** Dashboard: the values of one ranked window, in reply to 'requestWindow' (a failure comes as an error notice). */
  | { type: 'window'; features: string[]; window: WindowReconstruction }
  /** Dashboard, while training: the latest latent vectors replace the previous ones. */
  | { type: 'latents'; epoch: number; vectors: number[][]; indices?: number[]; labels?: Array<number | string> }
  | { type: 'finding'; finding: RunFinding }
  /** Dashboard: the run's summary changed (finished, failed, cancelled); `message` says why it failed. */
  | { type: 'status'; summary: RunSummary; message?: string }
  /** Both: the outcome of a request the webview made (e.g. apply fix), so it can re-enable buttons. */
  | { type: 'notice'; level: 'info' | 'error'; text: string }
  /** Side panel: the workspace's runs, newest first. */
  | { type: 'runs'; runs: RunListItem[] }
  /** Side panel: the worst reconstructed window of the selected run (null: the run has none yet). */
  | { type: 'preview'; runDir: string; features: string[]; window: WindowReconstruction | null };

/** Webview -> extension. Runs are named by folder; the extension only acts on folders it listed. */
export type WebviewToHost =
  | { type: 'ready' }
  /** Dashboard: open the run's config and reveal the key a finding blames. */
  | { type: 'goToConfig'; code: string; configPath: string }
  /** Dashboard: apply the language server's quick fix for this finding, save, and train again. */
  | { type: 'applyFix'; code: string; configPath: string }
  /** Side panel. */
  | { type: 'selectRun'; runDir: string }
  | { type: 'openRun'; runDir: string }
  | { type: 'compareRuns'; runDirA: string; runDirB: string }
  /** Dashboard: show the rule page of a finding code (the docs shipped with the extension). */
  | { type: 'openRuleDocs'; code: string }
  /** Side panel: rename, tag or annotate a run (the extension asks for the text), or delete it. */
  | { type: 'editRun'; runDir: string; field: RunNoteField }
  | { type: 'deleteRun'; runDir: string }
  /** Side panel: continue an interrupted or cancelled run in its folder (tsae.resumeRun). */
  | { type: 'resumeRun'; runDir: string }
  /** Side panel: compare three or more runs in the comparison panel. */
  | { type: 'compareMany'; runDirs: string[] }
  /** Dashboard: score data with this run ("TSAE: Score Data with Run..." for the dashboard's run). */
  | { type: 'scoreRun' }
  /** Dashboard: the values of a ranked window that came without them (answered by 'window'). */
  | { type: 'requestWindow'; index: number; heldOut: boolean };

export type RunNoteField = 'label' | 'tags' | 'note';

/** One run in the comparison panel: its figures, its loss curve and its flattened config. */
export interface CompareRun {
  item: RunListItem;
  /** Per epoch: [epoch, training loss, validation loss]. */
  curve: Array<[number, number, number | null]>;
  config: Record<string, string | number | boolean | null>;
}

/** Extension -> comparison panel. */
export type HostToCompare = { type: 'compare'; runs: CompareRun[]; differing: string[] };

/** What the dashboard keeps with `setState`; the panel serializer reads `runDir`/`baselineDir` back. */
export interface DashboardState {
  runDir: string;
  baselineDir?: string;
  /** `index` of the selected window in reconstructions.json (of a held-out window when `selectedHeldOut`). */
  selectedWindow?: number;
  selectedHeldOut?: boolean;
  feature?: number;
  sort?: WindowSort;
}

export type WindowSort = 'error-desc' | 'error-asc' | 'index';

/** True for a finding code with a rule page (TSAE + 3 digits); never open a page named by arbitrary text. */
export function isRuleCode(code: unknown): code is string {
  return typeof code === 'string' && /^TSAE\d{3}$/.test(code);
}

// ---------------------------------------------------------------------------------------------
// Guards. Each checks every field's type; optional fields are checked when present.

const isSeverity = oneOf('error', 'warning', 'info', 'hint');
export const isRunStatus = oneOf<RunStatus>('running', 'completed', 'cancelled', 'failed', 'interrupted');
export const isBackend = oneOf<TrainingBackend>(...TRAINING_BACKENDS);

export function isEpochMetrics(v: unknown): v is EpochMetrics {
  return (
    isRecord(v) &&
    isNumber(v.epoch) &&
    isNumber(v.loss) &&
    isNullableNumber(v.valLoss) &&
    isNumber(v.lr) &&
    isNumber(v.seconds) &&
    (v.gradNorms === undefined || (isRecord(v.gradNorms) && Object.values(v.gradNorms).every(isNumber)))
  );
}

function isConfigChange(v: unknown): boolean {
  return isRecord(v) && isString(v.path) && 'value' in v;
}

function isConfigFix(v: unknown): boolean {
  return isRecord(v) && isString(v.title) && oneOf('safe', 'unsafe', 'suggestion')(v.safety) && Array.isArray(v.changes) && v.changes.length > 0 && v.changes.every(isConfigChange);
}

export function isTrialOutcome(v: unknown): v is TrialOutcome {
  return (
    isRecord(v) &&
    isNullableNumber(v.nmse) &&
    arrayOf(isString)(v.symptoms) &&
    isCount(v.epochs) &&
    isCount(v.trainWindows) &&
    isNumber(v.seconds) &&
    optional(isString)(v.failure) &&
    optional(isBoolean)(v.diverged) &&
    optional(isNumber)(v.overheadSeconds) &&
    optional(arrayOf(isString))(v.generic)
  );
}

export function isTrialPlan(v: unknown): v is TrialPlan {
  return isRecord(v) && isPositiveInteger(v.epochs) && isPositiveInteger(v.maxTrainWindows) && isNumber(v.timeoutSeconds) && v.timeoutSeconds > 0;
}

function isDiagnosisCandidate(v: unknown): boolean {
  return (
    isRecord(v) &&
    isString(v.source) &&
    isString(v.configPath) &&
    isString(v.title) &&
    isString(v.reason) &&
    Array.isArray(v.changes) &&
    v.changes.every(isConfigChange) &&
    arrayOf(isString)(v.explains) &&
    arrayOf(isString)(v.evidence) &&
    isNumber(v.score) &&
    oneOf('verified', 'refuted', 'inconclusive', 'untested')(v.verdict) &&
    optional(isTrialOutcome)(v.trial) &&
    optional(isNumber)(v.errorChange) &&
    optional(isBoolean)(v.staticError) &&
    optional(isBoolean)(v.fromRule) &&
    optional(isString)(v.why)
  );
}

function isDiagnosis(v: unknown): v is Diagnosis {
  return (
    isRecord(v) &&
    oneOf('verified', 'hypothesis', 'no-symptoms', 'skipped', 'cancelled')(v.status) &&
    arrayOf(isString)(v.symptoms) &&
    Array.isArray(v.candidates) &&
    v.candidates.every(isDiagnosisCandidate) &&
    optional(isTrialOutcome)(v.control) &&
    isNumber(v.margin) &&
    isNumber(v.budgetSeconds) &&
    isNumber(v.seconds) &&
    optional(isTrialPlan)(v.plan) &&
    arrayOf(isString)(v.notes) &&
    optional(arrayOf(isString))(v.staticHazards)
  );
}

function isInputSpaceError(v: unknown): v is InputSpaceError {
  return isRecord(v) && oneOf('validation', 'train')(v.set) && isCount(v.windows) && isNumber(v.scaledMse) && isNumber(v.originalMse) && isNumber(v.nmse);
}

export function isRunFinding(v: unknown): v is RunFinding {
  if (!isRecord(v)) return false;
  return (
    isString(v.code) &&
    isSeverity(v.severity) &&
    isString(v.message) &&
    isString(v.configPath) &&
    optional(isNumber)(v.epoch) &&
    optional(isPrimitiveMap)(v.data) &&
    (v.fix === undefined || isConfigFix(v.fix)) &&
    (v.certainty === undefined || v.certainty === 'hypothesis' || v.certainty === 'verified') &&
    optional(isString)(v.verification)
  );
}

export function isRunSummary(v: unknown): v is RunSummary {
  if (!isRecord(v)) return false;
  const w = v.windows;
  return (
    isRunStatus(v.status) &&
    isString(v.name) &&
    isString(v.configFile) &&
    isString(v.startedAt) &&
    isBackend(v.backend) &&
    isString(v.backendReason) &&
    isNumber(v.epochs) &&
    isNullableNumber(v.trainLoss) &&
    isNullableNumber(v.valLoss) &&
    isNumber(v.seconds) &&
    isRecord(w) &&
    isNumber(w.train) &&
    isNumber(w.validation) &&
    isNumber(w.heldOut) &&
    isNumber(v.parameters) &&
    isNumber(v.compressionRatio) &&
    optional(isNumber)(v.reconstructionError) &&
    optional(isString)(v.reason) &&
    arrayOf(isRunFinding)(v.findings) &&
    optional(isNumber)(v.heldOutAuc) &&
    optional(isString)(v.configHash) &&
    optional(isNumber)(v.restoredEpoch) &&
    optional(isNumber)(v.epochsPlanned) &&
    optional(isInputSpaceError)(v.inputSpaceError) &&
    optional(isDiagnosis)(v.diagnosis) &&
    optional(arrayOf((r: unknown): r is { at: string; fromEpoch: number } => isRecord(r) && isString(r.at) && isNumber(r.fromEpoch)))(v.resumes) &&
    (v.thresholds === undefined ||
      (isRecord(v.thresholds) && isNumber(v.thresholds.windows) && isRecord(v.thresholds.quantiles) && Object.values(v.thresholds.quantiles).every(isNumber)))
  );
}

export function isWindowReconstruction(v: unknown): v is WindowReconstruction {
  return (
    isRecord(v) &&
    isNumber(v.index) &&
    isNumber(v.start) &&
    optional(isString)(v.timestamp) &&
    optional(isLabel)(v.label) &&
    optional(isBoolean)(v.heldOut) &&
    isMatrix(v.input) &&
    isMatrix(v.output) &&
    isNumber(v.error) &&
    isNumberArray(v.stepError)
  );
}

export function isWindowError(v: unknown): v is WindowError {
  return (
    isRecord(v) && isCount(v.index) && isNumber(v.start) && optional(isString)(v.timestamp) && optional(isLabel)(v.label) && optional(isBoolean)(v.heldOut) && isNumber(v.error)
  );
}

export function isReconstructionsFile(v: unknown): v is ReconstructionsFile {
  return isRecord(v) && arrayOf(isString)(v.features) && v.units === 'original' && arrayOf(isWindowReconstruction)(v.windows) && optional(arrayOf(isWindowError))(v.ranking);
}

export function isLatentsFile(v: unknown): v is LatentsFile {
  return (
    isRecord(v) &&
    isNumber(v.size) &&
    isMatrix(v.vectors) &&
    isNumberArray(v.indices) &&
    optional(arrayOf(isLabel))(v.labels) &&
    optional(arrayOf(oneOf('validation', 'heldOut')))(v.sets)
  );
}

export function isRunData(v: unknown): v is RunData {
  return (
    isRecord(v) &&
    isString(v.runDir) &&
    isRunSummary(v.summary) &&
    arrayOf(isEpochMetrics)(v.metrics) &&
    (v.reconstructions === null || isReconstructionsFile(v.reconstructions)) &&
    (v.latents === null || isLatentsFile(v.latents))
  );
}

export function isRunListItem(v: unknown): v is RunListItem {
  return (
    isRecord(v) &&
    isString(v.runDir) &&
    isString(v.name) &&
    isRunStatus(v.status) &&
    isBackend(v.backend) &&
    isString(v.startedAt) &&
    isNumber(v.epochs) &&
    isNullableNumber(v.trainLoss) &&
    isNullableNumber(v.valLoss) &&
    isNullableNumber(v.reconstructionError) &&
    isNumber(v.findings) &&
    isNumber(v.seconds) &&
    optional(isString)(v.configFile) &&
    optional(isString)(v.reason) &&
    optional(isNumber)(v.heldOutAuc) &&
    optional(isString)(v.label) &&
    optional(arrayOf(isString))(v.tags) &&
    optional(isString)(v.note) &&
    optional(arrayOf(isString))(v.configDiff) &&
    optional(isBoolean)(v.starting)
  );
}

const isCurvePoint = (v: unknown): v is [number, number, number | null] => Array.isArray(v) && v.length === 3 && isNumber(v[0]) && isNumber(v[1]) && isNullableNumber(v[2]);
const isConfigScalar = (v: unknown): boolean => v === null || isString(v) || isNumber(v) || isBoolean(v);

function isCompareRun(v: unknown): v is CompareRun {
  return isRecord(v) && isRunListItem(v.item) && arrayOf(isCurvePoint)(v.curve) && isRecord(v.config) && Object.values(v.config).every(isConfigScalar);
}

/** Guards what the comparison panel receives. */
export function isHostToCompare(msg: unknown): msg is HostToCompare {
  return isRecord(msg) && msg.type === 'compare' && arrayOf(isCompareRun)(msg.runs) && arrayOf(isString)(msg.differing);
}

export function isHostToWebview(msg: unknown): msg is HostToWebview {
  if (!isRecord(msg)) return false;
  switch (msg.type) {
    case 'init':
      return isRunData(msg.run) && optional(isRunData)(msg.baseline);
    case 'epoch':
      return isEpochMetrics(msg.metrics);
    case 'reconstructions':
      return isNumber(msg.epoch) && arrayOf(isString)(msg.features) && arrayOf(isWindowReconstruction)(msg.windows) && optional(arrayOf(isWindowError))(msg.ranking);
    case 'window':
      return arrayOf(isString)(msg.features) && isWindowReconstruction(msg.window);
    case 'latents':
      return isNumber(msg.epoch) && isMatrix(msg.vectors) && optional(isNumberArray)(msg.indices) && optional(arrayOf(isLabel))(msg.labels);
    case 'finding':
      return isRunFinding(msg.finding);
    case 'status':
      return isRunSummary(msg.summary) && optional(isString)(msg.message);
    case 'notice':
      return oneOf('info', 'error')(msg.level) && isString(msg.text);
    case 'runs':
      return arrayOf(isRunListItem)(msg.runs);
    case 'preview':
      return isString(msg.runDir) && arrayOf(isString)(msg.features) && (msg.window === null || isWindowReconstruction(msg.window));
    default:
      return false;
  }
}

export function isWebviewToHost(msg: unknown): msg is WebviewToHost {
  if (!isRecord(msg)) return false;
  switch (msg.type) {
    case 'ready':
      return true;
    case 'goToConfig':
    case 'applyFix':
      return isString(msg.code) && isString(msg.configPath);
    case 'selectRun':
    case 'openRun':
      return isString(msg.runDir);
    case 'compareRuns':
      return isString(msg.runDirA) && isString(msg.runDirB);
    case 'openRuleDocs':
      return isRuleCode(msg.code);
    case 'editRun':
      return isString(msg.runDir) && (msg.field === 'label' || msg.field === 'tags' || msg.field === 'note');
    case 'deleteRun':
    case 'resumeRun':
      return isString(msg.runDir);
    case 'compareMany':
      return Array.isArray(msg.runDirs) && msg.runDirs.length >= 2 && msg.runDirs.length <= 20 && msg.runDirs.every(isString);
    case 'scoreRun':
      return true;
    case 'requestWindow':
      return isCount(msg.index) && isBoolean(msg.heldOut);
    default:
      return false;
  }
}

const isWindowSort = oneOf<WindowSort>('error-desc', 'error-asc', 'index');

/** Guards state coming back from `getState()` or a panel serializer (it may come from an older version). */
export function isDashboardState(v: unknown): v is DashboardState {
  return (
    isRecord(v) &&
    isString(v.runDir) &&
    optional(isString)(v.baselineDir) &&
    optional(isNumber)(v.selectedWindow) &&
    optional(isBoolean)(v.selectedHeldOut) &&
    optional(isNumber)(v.feature) &&
    optional(isWindowSort)(v.sort)
  );
}

// ---- Anomaly timeline (webview/timeline) ----

/** Extension -> timeline. */
export type HostToTimeline =
  /** The whole scores.json of the run, in reply to every 'ready'. */
  | { type: 'timelineInit'; runName: string; scores: ScoresFile }
  /** The threshold changed (typed, dragged, or by rule): the new events and metrics. */
  | { type: 'timelineEvents'; threshold: { rule: ThresholdRule; value: number }; events: AnomalyEvent[]; metrics?: EvaluationMetrics }
  /** The window the user clicked: input vs reconstruction in original units. */
  | { type: 'timelineWindow'; features: string[]; window: WindowReconstruction }
  | { type: 'notice'; level: 'info' | 'error'; text: string };

/** Timeline -> extension. */
export type TimelineToHost =
  | { type: 'ready' }
  | { type: 'setThreshold'; rule: ThresholdRule }
  /** Window index into scores.json's windows. */
  | { type: 'openWindow'; window: number }
  | { type: 'exportEvents'; format: 'csv' | 'json' };

/** What the timeline keeps with setState; the serializer reads runDir back. */
export interface TimelineState {
  runDir: string;
  feature?: number;
}

function isRule(v: unknown): v is ThresholdRule {
  if (!isRecord(v)) return false;
  if (v.kind === 'quantile') return isNumber(v.q) && v.q >= 0 && v.q <= 1;
  if (v.kind === 'meanStd' || v.kind === 'mad') return isNumber(v.k) && Number.isFinite(v.k);
  if (v.kind === 'fixed') return isNumber(v.value) && Number.isFinite(v.value);
  return false;
}

const isSpanBound = (v: unknown): v is string | number => isString(v) || isNumber(v);

function isAnomalyEvent(v: unknown): v is AnomalyEvent {
  return (
    isRecord(v) &&
    isSpanBound(v.start) &&
    isSpanBound(v.end) &&
    isCount(v.startRow) &&
    isCount(v.endRow) &&
    isCount(v.firstWindow) &&
    isCount(v.lastWindow) &&
    isNumber(v.peakScore) &&
    isCount(v.peakWindow) &&
    arrayOf((f: unknown): f is { feature: string; share: number } => isRecord(f) && isString(f.feature) && isNumber(f.share))(v.features) &&
    optional(arrayOf(isCount))(v.labels)
  );
}

function isMetrics(v: unknown): v is EvaluationMetrics {
  return (
    isRecord(v) &&
    optional(isNumber)(v.auc) &&
    isCount(v.positives) &&
    isCount(v.negatives) &&
    optional(isRecord)(v.events) &&
    optional(isRecord)(v.nab) &&
    optional(isRecord)(v.windows)
  );
}

const isNullableNumberArray = arrayOf(isNullableNumber);

/** scores.json as the timeline draws it: every per-window and per-row array present and of one length. */
function isCalibration(v: unknown): boolean {
  return (
    isRecord(v) &&
    isCount(v.windows) &&
    isRecord(v.quantiles) &&
    Object.values(v.quantiles).every(isNumber) &&
    optional(isNumber)(v.mean) &&
    optional(isNumber)(v.std) &&
    oneOf('train', 'validation')(v.set)
  );
}

export function isScoresFile(v: unknown): v is ScoresFile {
  if (!isRecord(v) || v.version !== 1 || !isString(v.runDir) || !isString(v.dataFile) || !oneOf('series', 'rows')(v.layout) || !arrayOf(isString)(v.features)) return false;
  if (!isPositiveInteger(v.windowLength) || !isPositiveInteger(v.stride) || !optional(isString)(v.timestampName)) return false;
  const t = v.threshold;
  if (!isRecord(t) || !isRule(t.rule) || !isNumber(t.value)) return false;
  const w = v.windows;
  if (!isRecord(w) || !arrayOf(isCount)(w.firstRow) || !arrayOf(isCount)(w.lastRow) || !isNumberArray(w.score)) return false;
  const n = w.score.length;
  if (w.firstRow.length !== n || w.lastRow.length !== n) return false;
  if (!optional(isMatrix)(w.featureScores) || !optional(arrayOf(isLabel))(w.labels)) return false;
  if (!optional(isNumberArray)(w.error) || (w.error !== undefined && (w.error as unknown[]).length !== n)) return false;
  const isSpan = (span: unknown) => span === undefined || (isRecord(span) && isNumber(span.lengths) && isPositiveInteger(span.windows));
  if (!oneOf('mse', 'relative')(v.scoreKind) || !isSpan(v.smoothing) || !isSpan(v.history)) return false;
  if (v.calibration !== undefined && !isCalibration(v.calibration)) return false;
  const r = v.rows;
  if (!isRecord(r) || !arrayOf(isCount)(r.line)) return false;
  const rows = r.line.length;
  const sized = (a: unknown[] | undefined) => a === undefined || a.length === rows;
  if (!optional(arrayOf(isString))(r.timestamp) || !optional(isNullableNumberArray)(r.score) || !optional(arrayOf(isNullableNumberArray))(r.values)) return false;
  if (!sized(r.timestamp as unknown[] | undefined) || !sized(r.score as unknown[] | undefined) || !(r.values === undefined || (r.values as unknown[][]).every(sized))) return false;
  if (w.lastRow.some((last) => last >= rows)) return false;
  if (!optional(isMatrix)(v.stepScores) || !arrayOf(isAnomalyEvent)(v.events)) return false;
  const labels = v.labels;
  const labelsOk =
    labels === undefined ||
    (isRecord(labels) &&
      isString(labels.source) &&
      arrayOf(
        (l: unknown): l is Record<string, unknown> => isRecord(l) && isCount(l.index) && isSpanBound(l.start) && isSpanBound(l.end) && isCount(l.startRow) && isCount(l.endRow),
      )(labels.windows) &&
      optional(arrayOf(isBoolean))(labels.anomalous));
  return labelsOk && optional(isMetrics)(v.metrics);
}

export function isHostToTimeline(msg: unknown): msg is HostToTimeline {
  if (!isRecord(msg)) return false;
  switch (msg.type) {
    case 'timelineInit':
      return isString(msg.runName) && isScoresFile(msg.scores);
    case 'timelineEvents':
      return isRecord(msg.threshold) && isRule(msg.threshold.rule) && isNumber(msg.threshold.value) && arrayOf(isAnomalyEvent)(msg.events) && optional(isMetrics)(msg.metrics);
    case 'timelineWindow':
      return arrayOf(isString)(msg.features) && isWindowReconstruction(msg.window);
    case 'notice':
      return oneOf('info', 'error')(msg.level) && isString(msg.text);
    default:
      return false;
  }
}

export function isTimelineToHost(msg: unknown): msg is TimelineToHost {
  if (!isRecord(msg)) return false;
  switch (msg.type) {
    case 'ready':
      return true;
    case 'setThreshold':
      return isRule(msg.rule);
    case 'openWindow':
      return isCount(msg.window);
    case 'exportEvents':
      return oneOf('csv', 'json')(msg.format);
    default:
      return false;
  }
}

export function isTimelineState(v: unknown): v is TimelineState {
  return isRecord(v) && isString(v.runDir) && optional(isCount)(v.feature);
}
