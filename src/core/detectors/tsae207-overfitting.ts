// TSAE207: the validation loss rises while the training loss keeps falling.

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
    const measurement =
      `The validation loss is ${percent(ratio - 1)} above its minimum at epoch ${epochs[best].epoch} and has not improved for ${since} epochs, ` +
      `while the training loss fell by ${percent(1 - last.loss / epochs[best].loss)}: the model overfits`;
    return { measurement, data: { bestEpoch: epochs[best].epoch, bestValLoss: epochs[best].valLoss, valLoss: last.valLoss, ratio, epochsSinceBest: since } };
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
    if ((config.model?.latent?.dropout ?? 0) === 0) {
      causes.push({
        configPath: 'model.latent.dropout',
        reason: 'Nothing regularises the bottleneck, so the model memorises the training windows.',
        fix: configFix('Add dropout 0.2 on the latent vector', 'model.latent.dropout', 0.2),
      });
    }
    return causes;
  },
};
