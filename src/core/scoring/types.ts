// Shapes of anomaly scoring: `scores.json` in a run folder, the threshold rules, events, labelled
// windows and the metrics against them. Browser-safe (no imports): the timeline webview reads
// these types, the core computes them (src/core/scoring/*), the CLI prints them.

/** How the anomaly threshold is chosen. */
export type ThresholdRule =
  /** The q quantile of the training windows' errors. */
  | { kind: 'quantile'; q: number }
  /** mean + k standard deviations of the training windows' errors (default k = 5). */
  | { kind: 'meanStd'; k: number }
  /** median + k robust standard deviations (1.4826 x MAD) of the scored data's own window scores (series default, k = 8). */
  | { kind: 'mad'; k: number }
  /** A fixed value in the score's units (MSE, scaled units). */
  | { kind: 'fixed'; value: number };

/**
 * Rows layout (one sequence per row, e.g. ECG5000 beats): mean + 5 std of the training windows'
 * errors. The scored rows may be mostly anomalies (ECG5000: 42 %), so only the training errors
 * describe normal. Over the 10 labelled cases of bench/anomaly/quality.ts the 0.99 quantile flagged
 * 37 events outside the labels (a long series has many windows past any fixed share of the
 * training ones); mean + 5 std flagged 6. Runs that saved no mean and std fall back to the 0.99 quantile.
 */
export const DEFAULT_THRESHOLD_RULE: ThresholdRule = { kind: 'meanStd', k: 5 };

/**
 * Series layout: median + 8 robust std of the scored series' own smoothed scores. Anomalies are
 * rare windows of a long series, so the median and the median absolute deviation describe the
 * normal windows however large the anomalies' scores are (mean and std do not: one anomaly drags
 * them), and they need no clean training period: a model trained on data with anomalies in it,
 * or on a period whose errors are not those of the rest of the series (a slowly wandering level),
 * still gets a threshold that separates. Reconstruction errors are skewed to the right (squared
 * errors), so normal windows reach further above the median than a normal distribution's would:
 * k = 8 rather than the 3.5 of the usual robust z-score. Chosen over the 10 labelled cases of
 * bench/anomaly/quality.ts (k = 5 .. 10 measured, see BENCHMARKS.md: with smoothing over 4
 * lengths the events outside the labels went from 7 at std:5 over 2 lengths to 1, the same 16 of
 * 19 windows hit), then checked on 6 generated series not used for the choice.
 */
export const DEFAULT_SERIES_THRESHOLD_RULE: ThresholdRule = { kind: 'mad', k: 8 };

/** The default rule for a layout (see the two constants). */
export function defaultThresholdRule(layout: 'series' | 'rows'): ThresholdRule {
  return layout === 'series' ? DEFAULT_SERIES_THRESHOLD_RULE : DEFAULT_THRESHOLD_RULE;
}
/** The default for runs that saved no mean and standard deviation of their errors. */
export const FALLBACK_THRESHOLD_RULE: ThresholdRule = { kind: 'quantile', q: 0.99 };

/** The evaluation settings that act along one series' time axis: scoring ignores them for rows (UCR), and TSAE119 says so. */
export const SERIES_ONLY_SCORING = ['smoothing', 'history'] as const;
export type SeriesOnlyScoring = (typeof SERIES_ONLY_SCORING)[number];

/**
 * A position in the data: `start`/`end` are timestamps as written in the file when the data has a
 * timestamp column, otherwise 1-based line numbers of the file. `startRow`/`endRow` are 0-based
 * indices into the scored rows (inclusive), what overlaps are computed on.
 */
export interface Span {
  start: string | number;
  end: string | number;
  startRow: number;
  endRow: number;
}

export interface FeatureShare {
  feature: string;
  /** Share of the event's squared error coming from this feature (0..1). */
  share: number;
}

/** Consecutive flagged windows merged. */
export interface AnomalyEvent extends Span {
  /** Window indices (into scores.json's windows), inclusive. */
  firstWindow: number;
  lastWindow: number;
  peakScore: number;
  peakWindow: number;
  /** Features by contribution, largest first (at most 3). */
  features: FeatureShare[];
  /** The labelled window(s) it overlaps, by index into `labels.windows` (with labels only). */
  labels?: number[];
}

export interface LabelWindow extends Span {
  /** NAB window number or the pair's position in the file, for messages. */
  index: number;
}

/** Where labels came from and what they say about the scored data. */
export interface LabelSet {
  source: string;
  /** Series: anomalous spans of rows. */
  windows: LabelWindow[];
  /** Rows layout: per scored window (sequence), true when it is an anomaly (its label is not a trained one). */
  anomalous?: boolean[];
}

export interface EventMetrics {
  /** Labelled windows overlapped by at least one event, of all labelled windows. */
  hits: number;
  labelled: number;
  /** Events overlapping no labelled window. */
  eventsOutside: number;
  events: number;
  precision: number;
  recall: number;
  f1: number;
  /** Per labelled window: how many events overlap it. */
  hitsPerWindow: number[];
}

export interface NabScore {
  /** Sum of the weighted detections (standard profile: tp 1, fp 0.11, fn 1). */
  raw: number;
  /** 100 * (raw - null) / (perfect - null) for this one file: 0 = no detections, 100 = perfect. */
  normalized: number;
  /** Rows at the start not scored (NAB's probation: 15% of rows, at most 750). */
  probationRows: number;
  truePositives: number;
  falsePositives: number;
  falseNegatives: number;
}

export interface EvaluationMetrics {
  /** ROC AUC of the window scores, windows overlapping a label (or anomalous sequences) as positives. */
  auc?: number;
  positives: number;
  negatives: number;
  /** Series labels: event-level precision/recall/F1 and the NAB score. */
  events?: EventMetrics;
  nab?: NabScore;
  /** Rows layout: window-level precision and recall at the threshold. */
  windows?: { precision: number; recall: number; f1: number; truePositives: number; falsePositives: number; falseNegatives: number };
}

/** Quantiles (and mean, std) of the run's own windows' scores; `set` says which windows. Same shape as thresholds.json. */
export interface Calibration {
  windows: number;
  quantiles: Record<string, number>;
  mean?: number;
  std?: number;
  /** Median and 1.4826 x median absolute deviation of the same scores (robust to anomalies among them). */
  median?: number;
  mad?: number;
  set: 'train' | 'validation';
  /** With a history: mean and std of the training windows' (smoothed) errors, what a window with too little history is compared with. */
  reference?: { mean: number; std: number };
}

/** `scores.json`: every window of a data file scored by a run. Arrays are per window unless named per step. */
export interface ScoresFile {
  version: 1;
  runDir: string;
  dataFile: string;
  createdAt: string;
  layout: 'series' | 'rows';
  features: string[];
  /** Name of the data's timestamp column, when it has one. */
  timestampName?: string;
  windowLength: number;
  stride: number;
  /**
   * What a window's score is. 'mse': the mean squared reconstruction error in scaled units (as
   * the training thresholds), smoothed when `smoothing` is set. 'relative': that error compared
   * with the windows before it, (error - their mean) / their std, over `history`.
   */
  scoreKind: 'mse' | 'relative';
  /**
   * Series layout: window scores are the mean error of `windows` neighbouring windows (centred,
   * `lengths` window lengths); absent when each window's score is its own error.
   */
  smoothing?: { lengths: number; windows: number };
  /** Series layout: the scores are relative to the `windows` windows (`lengths` window lengths) before each one (history.ts). */
  history?: { lengths: number; windows: number };
  /** The run's own windows scored the same way (smoothed): what the threshold rule is applied to. Absent: the training errors saved with the run. */
  calibration?: Calibration;
  threshold: { rule: ThresholdRule; value: number };
  windows: {
    /** Series layout: 0-based row index of the window's first row; rows layout: the window's (sequence's) row index. */
    firstRow: number[];
    lastRow: number[];
    score: number[];
    /** With smoothing or a history: each window's own error (mean squared error), before either. */
    error?: number[];
    /** Per window and feature, the mean squared error (only with more than one feature). */
    featureScores?: number[][];
    labels?: Array<number | string>;
  };
  /** Per scored row of the file. */
  rows: {
    line: number[];
    timestamp?: string[];
    /**
     * Series layout: per row, with smoothing the largest score of the windows covering it (above
     * the threshold exactly where an event is), else the mean step error of those windows (null
     * where none covers it).
     */
    score?: Array<number | null>;
    /** Per feature, the row's value in original units (series layout). */
    values?: number[][];
  };
  /** Rows layout: per window, the error per time step. */
  stepScores?: number[][];
  events: AnomalyEvent[];
  labels?: LabelSet;
  metrics?: EvaluationMetrics;
}
