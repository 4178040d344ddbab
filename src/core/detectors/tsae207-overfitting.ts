// TSAE207: the validation loss rises while the training loss keeps falling.

import type { ResolvedConfig } from '../config/types';
import type { EpochMetrics } from '../run/types';
import { makeFinding, percent, type Blame } from './finding';
import type { Detector } from './types';

/** Epochs since the best validation loss before a rise counts as a trend, not noise (Prechelt 1998). */
export const OVERFIT_EPOCHS = 5;
/** The validation loss must be this far above its minimum (Prechelt's GL criterion at alpha = 20). */
export const OVERFIT_RATIO = 1.2;
/** The patience a fix proposes. */
export const SUGGESTED_PATIENCE = 5;

export const overfitting: Detector = {
  code: 'TSAE207',
  title: 'overfitting',
  severity: 'warning',
  kind: 'condition',
  summary: 'The validation loss has risen for several epochs while the training loss kept falling: the model memorises the training windows.',
  detect(input) {
    const epochs = (Array.isArray(input.history) ? input.history : []).filter(
      (e): e is EpochMetrics & { valLoss: number } => !!e && Number.isFinite(e.loss) && typeof e.valLoss === 'number' && Number.isFinite(e.valLoss),
    );
    if (epochs.length < OVERFIT_EPOCHS + 1) return [];
    let best = 0;
    epochs.forEach((e, i) => e.valLoss < epochs[best].valLoss && (best = i));
    const last = epochs[epochs.length - 1];
    const since = epochs.length - 1 - best;
    const ratio = epochs[best].valLoss > 0 ? last.valLoss / epochs[best].valLoss : 1;
    const trainFell = last.loss < epochs[best].loss;
    if (since < OVERFIT_EPOCHS || ratio <= OVERFIT_RATIO || !trainFell) return [];
    const measurement =
      `The validation loss is ${percent(ratio - 1)} above its minimum at epoch ${epochs[best].epoch} and has not improved for ${since} epochs, ` +
      `while the training loss fell by ${percent(1 - last.loss / epochs[best].loss)}: the model overfits`;
    return [
      makeFinding(overfitting, input, measurement, blameOverfitting(input.config), {
        bestEpoch: epochs[best].epoch,
        bestValLoss: epochs[best].valLoss,
        valLoss: last.valLoss,
        ratio,
        epochsSinceBest: since,
      }),
    ];
  },
};

export function blameOverfitting(config: ResolvedConfig): Blame {
  if (!config.training?.earlyStopping) {
    return {
      configPath: 'training.epochs',
      reason: 'Training runs past the best epoch and nothing restores its weights.',
      fix: { title: `Stop early (patience ${SUGGESTED_PATIENCE}) and keep the best weights`, configPath: 'training.earlyStopping', value: { patience: SUGGESTED_PATIENCE } },
    };
  }
  const dropout = config.model?.latent?.dropout ?? 0;
  if (dropout === 0) {
    return {
      configPath: 'model.latent.dropout',
      reason: 'Early stopping keeps the best weights, but the model still memorises the windows; regularise the bottleneck.',
      fix: { title: 'Add dropout 0.2 on the latent vector', configPath: 'model.latent.dropout', value: 0.2 },
    };
  }
  return { configPath: 'training.earlyStopping', reason: 'Lower the patience, add data or shrink the model.' };
}
