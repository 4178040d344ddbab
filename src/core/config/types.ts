// The config format's TypeScript view. schemas/tsae.schema.json is the source of truth for field
// names, defaults and docs; tests/core/config-schema.test.ts keeps this file and the schema in step.

export type Activation = 'linear' | 'tanh' | 'sigmoid' | 'hardSigmoid' | 'relu' | 'relu6' | 'elu' | 'selu' | 'softplus' | 'softsign';

export type DataFormat = 'csv' | 'ucr';
/** `series`: one long series cut into windows; `rows`: every row (UCR) is one sequence. */
export type DataLayout = 'series' | 'rows';
export type MissingValues = 'error' | 'drop' | 'interpolate';
export type Scaling = 'standard' | 'minmax' | 'none';
export type TaskType = 'reconstruct' | 'seq2seq';
export type CellType = 'lstm' | 'gru';
/** How the latent vector reaches the decoder. */
export type Bridge = 'repeat' | 'initialState' | 'sequence';
export type OptimizerName = 'adam' | 'sgd' | 'rmsprop' | 'adagrad';
export type LossName = 'mse' | 'mae';
export type LossReduction = 'mean' | 'sum';
/** `timeMean` reproduces the broadcast bug: the target is averaged over time before the loss. */
export type TargetReduction = 'none' | 'timeMean';
import { BACKEND_NAMES, type BackendName } from '../types';

export { BACKEND_NAMES, type BackendName } from '../types';

export function isBackendName(value: unknown): value is BackendName {
  return typeof value === 'string' && (BACKEND_NAMES as readonly string[]).includes(value);
}

export interface DataConfig {
  /** Path to the data file, relative to the config file. */
  path: string;
  format?: DataFormat;
  layout?: DataLayout;
  /** CSV: feature columns by header name (default: every numeric column but timestamp and label). */
  columns?: string[];
  /** CSV: name of the timestamp column. */
  timestamp?: string;
  /** CSV: label column name; UCR: label column index (default 0). */
  label?: string | number;
  /** Train only on rows/windows with these labels; the rest are held back and scored as anomalies. */
  trainLabels?: Array<number | string>;
  missing?: MissingValues;
  /** Read at most this many data rows. */
  maxRows?: number;
}

export interface WindowingConfig {
  length: number;
  stride?: number;
}

export interface PreprocessingConfig {
  scaling?: Scaling;
  /** Target range for minmax scaling. */
  range?: [number, number];
  /** Order of differencing applied before scaling (0 or 1); reconstructions are integrated back. */
  differencing?: 0 | 1;
}

export interface SplitConfig {
  /** Fraction of windows held out for validation. */
  validation?: number;
  seed?: number;
}

export interface TaskConfig {
  type?: TaskType;
  /** seq2seq: columns predicted from the input columns. */
  targetColumns?: string[];
}

export interface RecurrentLayerConfig {
  units: number;
  activation?: Activation;
  recurrentActivation?: Activation;
  dropout?: number;
  recurrentDropout?: number;
  bidirectional?: boolean;
}

export interface LatentConfig {
  size: number;
  activation?: Activation;
  dropout?: number;
}

export interface ModelConfig {
  cell?: CellType;
  encoder: RecurrentLayerConfig[];
  latent: LatentConfig;
  bridge?: Bridge;
  decoder: RecurrentLayerConfig[];
  outputActivation?: Activation;
  /** The decoder emits the window back to front (Srivastava et al. 2015). */
  reverseTarget?: boolean;
  /** Flip a reversed decoder output back before comparing it with the input (errors, plots, scores). */
  unreverseOutput?: boolean;
  stateful?: boolean;
}

export interface LearningRateDecay {
  /** Multiply the learning rate by this factor ... */
  factor: number;
  /** ... every this many epochs. */
  everyEpochs: number;
}

export interface EarlyStoppingConfig {
  patience: number;
  minDelta?: number;
}

export interface TrainingConfig {
  epochs?: number;
  batchSize?: number;
  optimizer?: OptimizerName;
  learningRate?: number;
  lrDecay?: LearningRateDecay;
  loss?: LossName;
  lossReduction?: LossReduction;
  targetReduction?: TargetReduction;
  shuffle?: boolean;
  earlyStopping?: EarlyStoppingConfig | false;
  seed?: number;
  /** Clip the global gradient norm to this value (0 = off). */
  clipNorm?: number;
}

export interface EvaluationConfig {
  /** Labelled anomalies for scoring: NAB combined_windows.json or a JSON array of [start, end] pairs, relative to the config file. */
  labels?: string;
  /** Default anomaly threshold rule: "quantile:Q", "std:K" (mean + K std) of the training windows' errors, "mad:K" (median + K MAD of the scored windows' scores) or a fixed number. */
  threshold?: string | number;
  /** Series layout: window scores averaged over this many window lengths around each window (0: none; default 4). */
  smoothing?: number;
  /** Series layout: scores relative to the scores of this many window lengths before each window (0: none). */
  history?: number;
}

/** A config as written by the user: optional fields may be absent. */
export interface TsaeConfig {
  $schema?: string;
  name?: string;
  description?: string;
  data: DataConfig;
  windowing: WindowingConfig;
  preprocessing?: PreprocessingConfig;
  split?: SplitConfig;
  task?: TaskConfig;
  model: ModelConfig;
  training?: TrainingConfig;
  evaluation?: EvaluationConfig;
}

type Required2<T> = { [K in keyof T]-?: Exclude<T[K], undefined> };

export type ResolvedRecurrentLayer = Required2<RecurrentLayerConfig>;

/** A config with every default from the schema filled in; what data, model and training code consume. */
export interface ResolvedConfig {
  name: string;
  description: string;
  data: Required2<Omit<DataConfig, 'columns' | 'timestamp' | 'label' | 'trainLabels' | 'maxRows'>> &
    Pick<DataConfig, 'columns' | 'timestamp' | 'label' | 'trainLabels' | 'maxRows'>;
  windowing: Required2<WindowingConfig>;
  preprocessing: Required2<PreprocessingConfig>;
  split: Required2<SplitConfig>;
  task: { type: TaskType; targetColumns?: string[] };
  model: {
    cell: CellType;
    encoder: ResolvedRecurrentLayer[];
    latent: Required2<LatentConfig>;
    bridge: Bridge;
    decoder: ResolvedRecurrentLayer[];
    outputActivation: Activation;
    reverseTarget: boolean;
    unreverseOutput: boolean;
    stateful: boolean;
  };
  training: Omit<Required2<TrainingConfig>, 'lrDecay' | 'earlyStopping'> & {
    lrDecay?: LearningRateDecay;
    earlyStopping?: Required2<EarlyStoppingConfig>;
  };
  /** Absolute label file path (`evaluation.labels` resolved against the config file); absent in older runs. */
  evaluation?: EvaluationConfig;
  /** Absolute path of the config file (used to resolve `data.path`). */
  configFile: string;
  /** Absolute path of the data file. */
  dataFile: string;
}
