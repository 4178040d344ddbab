// TSAE103: a bottleneck too small for the window (setups 3 and 4: 14 steps x 5 features into a
// tiny hidden state; 59 features x 5 steps -> 1 unit). The hover shows the compression ratio
// "values per window : latent units" from this finding's data.

import type { Finding } from '../types';
import { MAX_COMPRESSION_RATIO, proposedLatentSize } from './compression';
import { formatNumber, inputFeatureCount } from './facts';
import { findingAt } from './report';
import type { Rule, RuleContext } from './types';

export { MAX_COMPRESSION_RATIO } from './compression';

export interface CompressionFacts {
  steps: number;
  features: number;
  valuesPerWindow: number;
  latentUnits: number;
  compressionRatio: number;
}

/** "values per window : latent units" for the config, when the number of features is known. */
export function compressionFacts(ctx: RuleContext, latentUnits = ctx.config.model.latent.size): CompressionFacts | undefined {
  const features = inputFeatureCount(ctx);
  if (features === undefined || features < 1 || latentUnits < 1) return undefined;
  const steps = ctx.config.windowing.length;
  const valuesPerWindow = steps * features;
  return { steps, features, valuesPerWindow, latentUnits, compressionRatio: valuesPerWindow / latentUnits };
}

export function describeCompression(facts: CompressionFacts): string {
  return `${facts.steps} steps x ${facts.features} feature${facts.features === 1 ? '' : 's'} = ${facts.valuesPerWindow} values per window : ${facts.latentUnits} latent unit${facts.latentUnits === 1 ? '' : 's'}, ${formatNumber(facts.compressionRatio)}:1 compression`;
}

function factsData(facts: CompressionFacts): Finding['data'] {
  return { ...facts, compressionRatio: Number(facts.compressionRatio.toFixed(2)) };
}

export const undersizedLatent: Rule = {
  code: 'TSAE103',
  name: 'undersized-latent',
  title: 'Latent state too small for the window',
  severity: 'warning',
  since: '0.1.0',
  fixAvailability: 'sometimes',
  explains: ['TSAE201', 'TSAE203', 'TSAE208', 'TSAE204'],
  summary:
    'The bottleneck has fewer units than the input has features, compresses more than ' +
    `${MAX_COMPRESSION_RATIO} input values per latent unit, or an encoder/decoder layer is narrower than the latent. ` +
    'Such a model cannot store the window and typically reconstructs only its mean or a smooth outline.',
  check(ctx) {
    const findings: Finding[] = [];
    const { model } = ctx.config;
    const latent = model.latent.size;
    const facts = compressionFacts(ctx);
    if (facts) {
      const problems: string[] = [];
      if (latent < facts.features) problems.push(`fewer latent units than the ${facts.features} features of a single step`);
      if (facts.compressionRatio > MAX_COMPRESSION_RATIO) problems.push(`more than ${MAX_COMPRESSION_RATIO}:1`);
      if (problems.length > 0) {
        const narrowest = Math.min(...[...model.encoder, ...model.decoder].map((layer) => layer.units * (layer.bidirectional ? 2 : 1)));
        const suggested = proposedLatentSize(facts.valuesPerWindow, facts.features);
        // Only suggest a size the layers around the bottleneck can carry; otherwise the fix would move the problem.
        const fix = suggested <= narrowest ? { path: 'model.latent.size', value: suggested, safety: 'suggestion' as const } : undefined;
        findings.push(
          findingAt(
            undersizedLatent,
            ctx,
            'model.latent.size',
            `model.latent.size ${latent}: ${describeCompression(facts)} (${problems.join(', ')}). ` + `Use at least ${suggested} latent units, or shorter windows.`,
            { fix, data: factsData(facts) },
          ),
        );
      }
    }
    for (const side of ['encoder', 'decoder'] as const) {
      model[side].forEach((layer, index) => {
        // A bidirectional layer passes both directions' outputs on.
        const width = layer.units * (layer.bidirectional ? 2 : 1);
        if (width >= latent) return;
        const through = compressionFacts(ctx, width);
        const ratio = through ? ` (${describeCompression(through)})` : '';
        findings.push(
          findingAt(
            undersizedLatent,
            ctx,
            `model.${side}.${index}.units`,
            `model.${side}.${index}.units is ${layer.units}, narrower than the ${latent}-unit latent: every window passes through ${width} units${ratio}, ` +
              `so the latent cannot hold more than that. Make the layer at least ${latent} units wide.`,
            {
              fix: { path: `model.${side}.${index}.units`, value: Math.ceil(latent / (layer.bidirectional ? 2 : 1)), safety: 'unsafe' },
              data: through ? factsData(through) : undefined,
            },
          ),
        );
      });
    }
    return findings;
  },
};
