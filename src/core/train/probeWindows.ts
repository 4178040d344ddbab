// The fixed sample of windows the runtime detectors and the live dashboard look at during a run
// (and a diagnosis trial at its end): chosen once, evenly over the validation windows (training
// windows when there are none), so every epoch is judged on the same windows.

import type { Dataset, WindowSetName } from '../data';
import type { DetectorInput } from '../detectors/types';
import type { BuiltModel } from '../model/build';
import type { EpochMetrics } from '../run/types';
import type { ResolvedConfig } from '../config/types';
import { range, toNested } from './batches';
import { evenSample, scoreWindows, windowAt } from './evaluate';
import { errorRanking, reconstructionRecords, worstAndSample } from './finalEvaluation';
import type { WindowError, WindowReconstruction } from '../run/types';
import { latentVectors } from './latentVectors';
import { referenceSets, type ReferenceSets } from './referenceSets';

const DETECTOR_WINDOWS = 64;
/** Windows shown live in the dashboard with their values: an even sample, and the worst ones of the ranking. */
const LIVE_WINDOWS = 16;
const LIVE_WORST = 8;

export class ProbeWindows {
  readonly set: WindowSetName;
  readonly detectorIndices: number[];
  readonly liveIndices: number[];
  readonly references: ReferenceSets;

  constructor(
    private readonly built: BuiltModel,
    private readonly config: ResolvedConfig,
    private readonly dataset: Dataset,
  ) {
    // A run without validation windows (tiny data) is judged on its training windows.
    this.set = dataset.validation.count > 0 ? 'validation' : 'train';
    this.detectorIndices = evenSample(dataset[this.set].count, DETECTOR_WINDOWS);
    this.liveIndices = evenSample(dataset[this.set].count, LIVE_WINDOWS);
    this.references = referenceSets(dataset);
  }

  /** What the detectors see now: the sample's inputs, targets, outputs and latents. */
  detectorInput(history: readonly EpochMetrics[], final: boolean, extra: Partial<DetectorInput> = {}): DetectorInput {
    const { built, config, dataset, set, detectorIndices: indices } = this;
    const scores = scoreWindows(built.model, config, dataset[set], this.references[set], indices);
    const windowsOf = (values: Dataset['train']) => indices.map((w) => windowAt(values.values, w, values.length, values.features));
    const seq2seq = this.references[set] !== dataset[set];
    return {
      config,
      history: [...history],
      inputs: windowsOf(dataset[set]),
      ...(seq2seq ? { targets: windowsOf(this.references[set]) } : {}),
      outputs: toNested(scores.outputs, indices.length, scores.length, scores.features),
      latents: latentVectors(built, config, dataset[set], indices),
      final,
      ...extra,
    };
  }

  /**
   * The dashboard's reconstructions now: every window of the set scored in one batched pass (the
   * ranking "worst first" orders), with the values of the worst few and of the even sample.
   */
  liveReconstructions(): { windows: WindowReconstruction[]; ranking?: WindowError[] } {
    const { dataset, set, references } = this;
    const all = scoreWindows(this.built.model, this.config, dataset[set], references[set], range(dataset[set].count));
    const windows = reconstructionRecords(dataset, set, worstAndSample(all, LIVE_WINDOWS, LIVE_WORST), references);
    // Training windows (a run too small for validation) are not what a saved run ranks.
    return set === 'validation' ? { windows, ranking: errorRanking(dataset, set, all) } : { windows };
  }

  liveLatents(): { vectors: number[][]; indices: number[]; labels?: Array<number | string> } {
    const labels = this.dataset[this.set].labels;
    return {
      vectors: latentVectors(this.built, this.config, this.dataset[this.set], this.liveIndices),
      indices: this.liveIndices,
      ...(labels ? { labels: this.liveIndices.map((i) => labels[i]) } : {}),
    };
  }
}
