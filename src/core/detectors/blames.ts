// The causes runtime detectors can blame, each written once: a detector's `blame` lists the ones
// that fit its symptom in its order of likelihood. Every builder returns undefined when the
// config does not have the cause (a relu latent is only blamed when the latent is relu), so a
// list never names a key the user could not change for the better.

import type { ResolvedConfig } from '../config/types';
import type { EpochMetrics } from '../run/types';
import type { ConfigFix, FixSafety } from '../types';
import {
  activationRange,
  compressionRatioOf,
  defaultLearningRate,
  isReluFamily,
  isUnboundedActivation,
  learningRateOutOfRange,
  MAX_COMPRESSION_RATIO,
  proposedLatentSize,
} from './configFacts';
import { TARGET_COMPRESSION_RATIO } from '../rules/compression';
import { MAX_LAYER_DROPOUT, SUGGESTED_LAYER_DROPOUT } from '../rules/tsae110-excessive-dropout';
import { percent } from './finding';
import { finiteLosses, SLOPE_MIN_EPOCHS, stillImproving } from './history';
import { fractionOutside, type WindowPair } from './windows';
import type { Blame } from './types';

/** A global-norm clip of 1 is the value Pascanu et al. (2013) found robust for recurrent nets. */
export const SUGGESTED_CLIP_NORM = 1;

export function configFix(title: string, path: string, value: unknown, safety: FixSafety = 'unsafe'): ConfigFix {
  return { title, safety, changes: [{ path, value }] };
}

function blame(configPath: string, reason: string, fix?: ConfigFix): Blame {
  return fix ? { configPath, reason, fix } : { configPath, reason };
}

/** The learning rate, when it is outside the optimizer's usual range (the same band as TSAE104). */
export function blameLearningRate(config: ResolvedConfig, effect: (direction: 'low' | 'high') => string, only?: 'low' | 'high'): Blame | undefined {
  const direction = learningRateOutOfRange(config);
  if (direction === undefined || (only !== undefined && direction !== only)) return undefined;
  const lr = defaultLearningRate(config);
  const { optimizer, learningRate } = config.training;
  return blame(
    'training.learningRate',
    `Learning rate ${learningRate} is too ${direction} for ${optimizer}: ${effect(direction)}.`,
    configFix(`Use the ${optimizer} default learning rate ${lr}`, 'training.learningRate', lr),
  );
}

export function blameTargetReduction(config: ResolvedConfig): Blame | undefined {
  if (config.training?.targetReduction !== 'timeMean') return undefined;
  return blame(
    'training.targetReduction',
    'The loss compares each output step with the target averaged over time, so the mean is the best answer it can learn.',
    configFix('Compare every time step with its own target (targetReduction: none)', 'training.targetReduction', 'none'),
  );
}

export function blameSequenceBridge(config: ResolvedConfig, reason: string): Blame | undefined {
  if (config.model?.bridge !== 'sequence') return undefined;
  return blame('model.bridge', reason, configFix('Repeat the latent vector at every time step (bridge: repeat)', 'model.bridge', 'repeat'));
}

/**
 * A latent vector that squeezes more than MAX_COMPRESSION_RATIO values into each unit, or has
 * fewer units than features. `reason` gets the input values per latent unit, rounded.
 */
export function blameOvercompression(config: ResolvedConfig, features: number, reason: (valuesPerUnit: number) => string): Blame | undefined {
  const ratio = compressionRatioOf(config, features);
  const size = config.model?.latent?.size;
  if (ratio === undefined || typeof size !== 'number') return undefined;
  if (ratio <= MAX_COMPRESSION_RATIO && size >= features) return undefined;
  const proposed = proposedLatentSize(config.windowing.length * features, features);
  return blame(
    'model.latent.size',
    reason(Math.round(ratio)),
    configFix(`Widen the latent vector to ${proposed} units (at least one per feature, at most ${TARGET_COMPRESSION_RATIO}:1)`, 'model.latent.size', proposed),
  );
}

export function blameReluLatent(config: ResolvedConfig): Blame | undefined {
  const activation = config.model?.latent?.activation;
  if (!isReluFamily(activation)) return undefined;
  return blame(
    'model.latent.activation',
    `A ${activation} unit whose input is negative for every window outputs 0 and gets no gradient, so it never recovers.`,
    configFix('Use a linear latent activation', 'model.latent.activation', 'linear'),
  );
}

export function blameUnscaledInput(config: ResolvedConfig, effect: string): Blame | undefined {
  if (config.preprocessing?.scaling !== 'none') return undefined;
  return blame('preprocessing.scaling', `The inputs are not scaled: ${effect}.`, configFix('Standardise the inputs (scaling: standard)', 'preprocessing.scaling', 'standard'));
}

export function blameStatefulShuffle(config: ResolvedConfig): Blame | undefined {
  if (!config.model?.stateful || !config.training?.shuffle) return undefined;
  return blame(
    'training.shuffle',
    'Stateful layers carry the state from one batch to the next, but shuffled batches are not consecutive, so the carried state is noise.',
    configFix('Keep batches in order (shuffle: false)', 'training.shuffle', false, 'safe'),
  );
}

/**
 * Heavy dropout on the latent vector, or above TSAE110's limit in recurrent layers (inputs or
 * recurrent state): the decoder sees a different code at every step. The layer fix lowers every
 * such rate at once to the value TSAE110 proposes, so the static and the runtime fix agree.
 */
export function blameHeavyDropout(config: ResolvedConfig, latentThreshold = 0.5): Blame | undefined {
  const latent = config.model?.latent?.dropout ?? 0;
  if (latent >= latentThreshold) {
    return blame(
      'model.latent.dropout',
      `Dropout ${latent} on the latent vector erases most of the code the decoder must rebuild the window from.`,
      configFix('Remove the latent dropout (dropout: 0)', 'model.latent.dropout', 0),
    );
  }
  const heavy: Array<{ path: string; rate: number }> = [];
  for (const side of ['encoder', 'decoder'] as const) {
    const layers = Array.isArray(config.model?.[side]) ? config.model[side] : [];
    layers.forEach((l, index) => {
      for (const key of ['dropout', 'recurrentDropout'] as const) {
        const rate = l?.[key] ?? 0;
        if (rate > MAX_LAYER_DROPOUT) heavy.push({ path: `model.${side}.${index}.${key}`, rate });
      }
    });
  }
  if (heavy.length === 0) return undefined;
  const fix: ConfigFix = {
    title: `Lower the dropout to ${SUGGESTED_LAYER_DROPOUT}${heavy.length > 1 ? ` (${heavy.map((h) => h.path).join(', ')})` : ''}`,
    safety: 'unsafe',
    changes: heavy.map((h) => ({ path: h.path, value: SUGGESTED_LAYER_DROPOUT })),
  };
  const first = heavy[0];
  return blame(first.path, `Dropout ${first.rate} at ${first.path} drops most of what the layer sees at every step, so too little of the window reaches the bottleneck.`, fix);
}

/** A reversed decoder output compared with the input without flipping it back (TSAE111). */
export function blameUnreversedOutput(config: ResolvedConfig): Blame | undefined {
  if (!config.model?.reverseTarget || config.model.unreverseOutput) return undefined;
  return blame(
    'model.unreverseOutput',
    'The decoder is trained on the reversed window but its output is compared with the window as is, so a perfect model looks wrong.',
    configFix('Flip the output back before comparing (unreverseOutput: true)', 'model.unreverseOutput', true, 'safe'),
  );
}

/**
 * Every recurrent layer whose cell activation is unbounded (relu, elu, softplus, linear ...; the
 * same test as TSAE106), set to tanh in one fix: curing the encoder while the decoder's state can
 * still grow cures nothing. The blamed key is the first such layer.
 */
export function blameUnboundedCell(config: ResolvedConfig): Blame | undefined {
  const paths: string[] = [];
  const names = new Set<string>();
  for (const side of ['encoder', 'decoder'] as const) {
    const layers = Array.isArray(config.model?.[side]) ? config.model[side] : [];
    layers.forEach((l, index) => {
      if (!isUnboundedActivation(l?.activation)) return;
      paths.push(`model.${side}.${index}.activation`);
      names.add(String(l.activation));
    });
  }
  if (paths.length === 0) return undefined;
  const fix: ConfigFix = {
    title: paths.length === 1 ? 'Use tanh inside the cell' : `Use tanh inside the cells (${paths.join(', ')})`,
    safety: 'unsafe',
    changes: paths.map((path) => ({ path, value: 'tanh' })),
  };
  return blame(paths[0], `An unbounded activation (${[...names].join(', ')}) inside a recurrent cell lets the state grow at every step.`, fix);
}

export function blameMissingClip(config: ResolvedConfig, reason: string): Blame | undefined {
  if (config.training?.clipNorm > 0) return undefined;
  return blame('training.clipNorm', reason, configFix(`Clip the gradient norm at ${SUGGESTED_CLIP_NORM}`, 'training.clipNorm', SUGGESTED_CLIP_NORM));
}

/** "Train longer" asks for at least this many more epochs: a couple more say little. */
export const MIN_EXTRA_EPOCHS = 10;

/** The epochs "train longer" proposes after a run of `epochsRun`: twice as many, at least MIN_EXTRA_EPOCHS more. */
export function longerEpochs(epochsRun: number): number {
  return epochsRun + Math.max(epochsRun, MIN_EXTRA_EPOCHS);
}

/**
 * "Train longer", sized from the epochs the run actually trained (a CLI --epochs or early
 * stopping can make that differ from training.epochs), and only when the loss curve supports it:
 * still falling at the end, or too short (under SLOPE_MIN_EPOCHS) to have a slope at all, where it
 * stays a hypothesis for a trial to decide. A run that stalled or diverged gets no such advice.
 */
export function blameTooFewEpochs(config: ResolvedConfig, history: readonly EpochMetrics[], what: string): Blame | undefined {
  const epochs = config.training?.epochs;
  const ran = finiteLosses(history).length;
  if (!(typeof epochs === 'number' && epochs > 0) || ran === 0) return undefined;
  const tooShort = ran < SLOPE_MIN_EPOCHS;
  if (!tooShort && !stillImproving(history)) return undefined;
  const proposed = longerEpochs(ran);
  const ranText = `${ran} epoch${ran === 1 ? '' : 's'}`;
  return blame(
    'training.epochs',
    tooShort
      ? `Only ${ranText} ran, too few to tell whether the loss had settled; ${what} may need more epochs.`
      : `The loss was still falling when training ended after ${ranText}; ${what} may need more epochs.`,
    configFix(`Train for ${proposed} epochs (this run trained ${ran})`, 'training.epochs', proposed),
  );
}

export function defined<T>(items: Array<T | undefined>): T[] {
  return items.filter((item): item is T => item !== undefined);
}

/** More than this share of targets outside the output activation's range is a cause on its own. */
export const UNREACHABLE_SHARE = 0.05;

/**
 * Blames `model.outputActivation` when more than UNREACHABLE_SHARE of the targets lie outside
 * what it can emit: no weights reach them, so the loss has a floor and those values are lost.
 */
export function blameUnreachableTargets(config: ResolvedConfig, pairs: WindowPair[]): Blame | undefined {
  const [lo, hi] = activationRange(config.model?.outputActivation);
  const outside = fractionOutside(pairs, lo, hi);
  if (outside === undefined || outside <= UNREACHABLE_SHARE) return undefined;
  return blame(
    'model.outputActivation',
    `${percent(outside)} of the targets lie outside [${lo}, ${hi}], the range of outputActivation ${config.model.outputActivation}; no weights can reach them.`,
    configFix('Use a linear output activation', 'model.outputActivation', 'linear'),
  );
}
