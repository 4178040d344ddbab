// The one list of static rules; the engine runs each on every config that resolves.
import type { Rule } from './types';
import { nonNegativeLatentActivation } from './tsae101-non-negative-latent-activation';
import { targetReducedOverTime } from './tsae102-target-reduced-over-time';
import { undersizedLatent } from './tsae103-undersized-latent';
import { learningRateOutOfRange } from './tsae104-learning-rate-out-of-range';
import { latentAsTimeAxis } from './tsae105-latent-as-time-axis';
import { unboundedCellActivation } from './tsae106-unbounded-cell-activation';
import { encoderWidensTowardBottleneck } from './tsae107-encoder-widens-toward-bottleneck';
import { statefulMisuse } from './tsae108-stateful-misuse';
import { unreachableOutputRange } from './tsae109-unreachable-output-range';
import { excessiveDropout } from './tsae110-excessive-dropout';
import { reversedTargetNotUnreversed } from './tsae111-reversed-target-not-unreversed';
import { unscaledInput } from './tsae112-unscaled-input';
import { unfilteredTrainingLabels } from './tsae113-unfiltered-training-labels';
import { constantInputColumn } from './tsae114-constant-input-column';
import { timestampGaps } from './tsae115-timestamp-gaps';
import { unorderedTimestamps } from './tsae116-unordered-timestamps';
import { badDataCells } from './tsae117-bad-data-cells';
import { valuesTooLarge } from './tsae118-values-too-large';
import { seriesScoringOnRows } from './tsae119-series-scoring-on-rows';

export const rules: Rule[] = [
  nonNegativeLatentActivation,
  targetReducedOverTime,
  undersizedLatent,
  learningRateOutOfRange,
  latentAsTimeAxis,
  unboundedCellActivation,
  encoderWidensTowardBottleneck,
  statefulMisuse,
  unreachableOutputRange,
  excessiveDropout,
  reversedTargetNotUnreversed,
  unscaledInput,
  unfilteredTrainingLabels,
  constantInputColumn,
  timestampGaps,
  unorderedTimestamps,
  badDataCells,
  valuesTooLarge,
  seriesScoringOnRows,
];
