// The causes runtime detectors can blame, each written once: a detector's `blame` lists the ones
// that fit its symptom in its order of likelihood. Every builder returns undefined when the
// config does not have the cause (a relu latent is only blamed when the latent is relu), so a
// list never names a key the user could not change for the better.

import type { ResolvedConfig } from '../config/types';
import type { EpochMetrics } from '../run/types';
import type { ConfigFix, FixSafety } from '../types';
import { activationRange, compressionRatioOf, defaultLearningRate, isReluFamily, learningRateOutOfRange, MAX_COMPRESSION_RATIO, proposedLatentSize } from './configFacts';
import { TARGET_COMPRESSION_RATIO } from '../rules/compression';
import { percent } from './finding';
import { stillImproving } from './history';
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

/** Heavy dropout on the latent vector (or a layer): the decoder sees a different code every step. */
export function blameHeavyDropout(config: ResolvedConfig, threshold = 0.5): Blame | undefined {
  const latent = config.model?.latent?.dropout ?? 0;
  if (latent >= threshold) {
    return blame(
      'model.latent.dropout',
      `Dropout ${latent} on the latent vector erases most of the code the decoder must rebuild the window from.`,
      configFix('Lower the latent dropout to 0.1', 'model.latent.dropout', 0.1),
    );
  }
  for (const side of ['encoder', 'decoder'] as const) {
    const layers = Array.isArray(config.model?.[side]) ? config.model[side] : [];
    const index = layers.findIndex((l) => (l?.dropout ?? 0) >= threshold);
    if (index >= 0) {
      const path = `model.${side}.${index}.dropout`;
      return blame(path, `Dropout ${layers[index].dropout} in ${side} layer ${index} drops most of its inputs at every step.`, configFix('Lower the dropout to 0.2', path, 0.2));
    }
  }
  return undefined;
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

/** The first recurrent layer with a relu-family cell activation, whose state can grow without bound. */
export function blameReluCell(config: ResolvedConfig): Blame | undefined {
  for (const side of ['encoder', 'decoder'] as const) {
    const layers = Array.isArray(config.model?.[side]) ? config.model[side] : [];
    const index = layers.findIndex((l) => isReluFamily(l?.activation));
    if (index >= 0) {
      const path = `model.${side}.${index}.activation`;
      return blame(path, 'An unbounded activation inside a recurrent cell lets the state grow at every step.', configFix('Use tanh inside the cell', path, 'tanh'));
    }
  }
  return undefined;
}

export function blameMissingClip(config: ResolvedConfig, reason: string): Blame | undefined {
  if (config.training?.clipNorm > 0) return undefined;
  return blame('training.clipNorm', reason, configFix(`Clip the gradient norm at ${SUGGESTED_CLIP_NORM}`, 'training.clipNorm', SUGGESTED_CLIP_NORM));
}

/**
 * "Train longer", only when the loss curve says training was still making progress when it
 * ended: offering more epochs to a run that has stalled (or diverged) makes nothing better.
 */
export function blameTooFewEpochs(config: ResolvedConfig, history: readonly EpochMetrics[], what: string): Blame | undefined {
  const epochs = config.training?.epochs;
  if (!(typeof epochs === 'number' && epochs > 0) || !stillImproving(history)) return undefined;
  return blame(
    'training.epochs',
    `The loss was still falling when training ended; ${what} may need more epochs.`,
    configFix(`Train for ${epochs * 2} epochs`, 'training.epochs', epochs * 2),
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
