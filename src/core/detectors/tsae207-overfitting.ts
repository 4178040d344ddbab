// TSAE207: the validation loss rises while the training loss keeps falling.
//
// When early stopping put the best epoch's weights back, the model the run saved is the one from
// before the rise: the finding is then information about the data (too few windows for the model
// to train longer), not a failing model. No dropout on the latent vector is proposed: TSAE110
// flags any, and it cost reconstructions in our measurements (ECG5000: error +34 % at 0.1).

import type { EpochMetrics } from '../run/types';
import { configFix } from './blames';
import { percent } from './finding';
import type { Blame, Detector } from './types';

/** Epochs since the best validation loss before a rise counts as a trend, not noise (Prechelt 1998). */
export const OVERFIT_EPOCHS = 5;
/** The validation loss must be this far above its minimum (Prechelt's GL criterion at alpha = 20). */
export const OVERFIT_RATIO = 1.2;
/** The patience a fix proposes. */
export const SUGGESTED_PATIENCE = 5;

export const overfitting: Detector = {
  code: 'TSAE207',
  name: 'overfitting',
  title: 'Validation loss rising while training loss falls',
  severity: 'warning',
  kind: 'condition',
  summary: 'The validation loss has risen for several epochs while the training loss kept falling: the model memorises the training windows.',
  detect(input) {
    const epochs = (Array.isArray(input.history) ? input.history : []).filter(
      (e): e is EpochMetrics & { valLoss: number } => !!e && Number.isFinite(e.loss) && typeof e.valLoss === 'number' && Number.isFinite(e.valLoss),
    );
    if (epochs.length < OVERFIT_EPOCHS + 1) return undefined;
    let best = 0;
    epochs.forEach((e, i) => e.valLoss < epochs[best].valLoss && (best = i));
    const last = epochs[epochs.length - 1];
    const since = epochs.length - 1 - best;
    const ratio = epochs[best].valLoss > 0 ? last.valLoss / epochs[best].valLoss : 1;
    const trainFell = last.loss < epochs[best].loss;
    if (since < OVERFIT_EPOCHS || ratio <= OVERFIT_RATIO || !trainFell) return undefined;
    const bestEpoch = epochs[best].epoch;
    const restored = input.final && input.restoredEpoch === bestEpoch;
    const rise =
      `The validation loss is ${percent(ratio - 1)} above its minimum at epoch ${bestEpoch} and has not improved for ${since} epochs, ` +
      `while the training loss fell by ${percent(1 - last.loss / epochs[best].loss)}`;
    const measurement = restored
      ? `${rise}: the model overfitted after epoch ${bestEpoch}, and early stopping kept that epoch's weights, so the saved model is the one before the rise`
      : `${rise}: the model overfits`;
    return { measurement, data: { bestEpoch, bestValLoss: epochs[best].valLoss, valLoss: last.valLoss, ratio, epochsSinceBest: since, restored } };
  },
  severityOf(symptom) {
    return symptom.data.restored === true ? 'info' : 'warning';
  },
  blame({ config }) {
    const causes: Blame[] = [];
    if (!config.training?.earlyStopping) {
      causes.push({
        configPath: 'training.earlyStopping',
        reason: 'Training runs past the best epoch and nothing restores its weights.',
        fix: configFix(`Stop early (patience ${SUGGESTED_PATIENCE}) and keep the best weights`, 'training.earlyStopping', { patience: SUGGESTED_PATIENCE }),
      });
    }
    return causes;
  },
};
