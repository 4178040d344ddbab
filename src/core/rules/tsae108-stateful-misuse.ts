// TSAE108: stateful recurrent layers fed data that breaks the state's meaning (setup 5: a
// stateful seq2seq LSTM that stalls and gets worse with more layers).

import type { Finding } from '../types';
import { countTrainingWindows, trainingWindowsNote, type TrainingWindowCount } from './facts';
import { findingAt } from './report';
import type { Rule, RuleContext } from './types';
import { whenKnown } from './unknown';

/** Largest divisor of `count` that is at most `limit` (1 always divides). */
function largestDivisorAtMost(count: number, limit: number): number {
  for (let size = Math.min(limit, count); size > 1; size--) if (count % size === 0) return size;
  return 1;
}

/** The context as it would be with `windowing.stride` set to `stride`. */
function withStride(ctx: RuleContext, stride: number): RuleContext {
  return { ...ctx, config: { ...ctx.config, windowing: { ...ctx.config.windowing, stride } } };
}

function describeCount(windows: TrainingWindowCount, ctx: RuleContext): string {
  const { length } = ctx.config.windowing;
  // Counted as they will be once the stride fix is in: stateful windows never overlap.
  const stride = Math.max(ctx.config.windowing.stride, length);
  const held = [`${windows.validation} for validation`];
  if (windows.purged > 0) held.push(`${windows.purged} dropped for overlapping them`);
  const source =
    ctx.config.data.layout === 'rows'
      ? `${windows.rows} rows are ${windows.windows} sequences`
      : `${windows.rows} rows give ${windows.windows} windows of ${length} (stride ${stride})`;
  return `${source}, ${held.join(' and ')}, leaving ${windows.train} training windows`;
}

export const statefulMisuse: Rule = {
  code: 'TSAE108',
  name: 'stateful-misuse',
  title: 'Stateful layers with shuffled, overlapping or ragged batches',
  severity: 'warning',
  since: '0.1.0',
  fixAvailability: 'sometimes',
  explains: ['TSAE204', 'TSAE201', 'TSAE203'],
  summary:
    "model.stateful carries each sample's final state into the same position of the next batch, which only makes sense " +
    'when sample i of batch k+1 continues sample i of batch k. Shuffling, overlapping windows (stride < length) and a last ' +
    'batch of a different size all break that chain, so the state the model starts from belongs to unrelated data.',
  check(ctx) {
    const { model, training, windowing } = ctx.config;
    if (!model.stateful) return [];
    const findings: Finding[] = [];
    if (training.shuffle) {
      findings.push(
        findingAt(
          statefulMisuse,
          ctx,
          'training.shuffle',
          'model.stateful is true but training.shuffle is true: each batch starts from the state of windows that are no longer its predecessors. Set training.shuffle to false.',
          { fix: { path: 'training.shuffle', value: false, safety: 'safe' } },
        ),
      );
    }
    // The stride and batch checks need the windowing; unknown there (Python code), the shuffle check still stands.
    findings.push(
      ...whenKnown((): Finding[] => {
        const more: Finding[] = [];
        // Rows layout has one sequence per row; the stride only cuts windows out of a series.
        const overlapping = ctx.config.data.layout === 'series' && windowing.stride < windowing.length;
        // The batch size must divide the windows there will be once the stride is fixed too, so
        // that applying every fix of this rule leaves nothing for it to report.
        const windows = countTrainingWindows(overlapping ? withStride(ctx, windowing.length) : ctx);
        if (overlapping) {
          const before = countTrainingWindows(ctx);
          const consequence = before && windows && before.train !== windows.train ? ` This ${trainingWindowsNote(before.train, windows.train)}.` : '';
          more.push(
            findingAt(
              statefulMisuse,
              ctx,
              'windowing.stride',
              `model.stateful is true but windowing.stride ${windowing.stride} < windowing.length ${windowing.length}: consecutive windows overlap by ${windowing.length - windowing.stride} steps, so the carried state has already seen the next window's start. Set windowing.stride to ${windowing.length}.${consequence}`,
              {
                fix: {
                  path: 'windowing.stride',
                  value: windowing.length,
                  safety: 'unsafe',
                  ...(before && windows && before.train !== windows.train
                    ? { title: `Set windowing.stride to ${windowing.length} (${trainingWindowsNote(before.train, windows.train)})` }
                    : {}),
                },
              },
            ),
          );
        }
        if (windows && windows.train > 0 && windows.train % training.batchSize !== 0) {
          const rest = windows.train % training.batchSize;
          const divisor = largestDivisorAtMost(windows.train, training.batchSize);
          const advice =
            divisor > 1
              ? `Use a batch size that divides ${windows.train}, e.g. ${divisor}.`
              : `${windows.train} is prime: change the window count (data.maxRows, windowing) or the batch size.`;
          more.push(
            findingAt(
              statefulMisuse,
              ctx,
              'training.batchSize',
              `model.stateful is true but training.batchSize ${training.batchSize} does not divide the training windows: ${describeCount(windows, ctx)}${overlapping ? ` once windowing.stride is ${windowing.length}` : ''}, ` +
                `so the last batch has ${rest} and the state rows no longer line up. ${advice}`,
              {
                fix: divisor > 1 ? { path: 'training.batchSize', value: divisor, safety: 'suggestion' } : undefined,
                data: { trainingWindows: windows.train, batchSize: training.batchSize, lastBatch: rest },
              },
            ),
          );
        }
        return more;
      }, []),
    );
    return findings;
  },
};
