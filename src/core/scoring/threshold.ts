// The anomaly threshold from a rule: a quantile of the training windows' errors, mean + k std of
// them, median + k robust std of the scored data's own scores, or a fixed value. Training saves
// the quantiles (and mean/std) in thresholds.json.

import type { ErrorQuantiles } from '../run/types';
import { DEFAULT_SERIES_THRESHOLD_RULE, DEFAULT_THRESHOLD_RULE, defaultThresholdRule, type ThresholdRule } from './types';

/** A rule that cannot be applied (bad value, or the run saved too little to apply it). */
export class ThresholdError extends Error {}

/**
 * The threshold a rule gives. `training`: the run's windows' errors (or their smoothed scores);
 * `scored`: the window scores of the data being scored, which the 'mad' rule is computed on.
 */
export function thresholdValue(rule: ThresholdRule, training: ErrorQuantiles | undefined, scored?: ArrayLike<number>): number {
  const errors = (): ErrorQuantiles => {
    if (!training) throw new ThresholdError(`${describeRule(rule)} needs the training windows' errors`);
    return training;
  };
  switch (rule.kind) {
    case 'mad': {
      if (!Number.isFinite(rule.k)) throw new ThresholdError(`threshold k (median + k MAD) must be a number, got ${rule.k}`);
      if (!scored) throw new ThresholdError('median + k MAD needs the scored windows');
      const { median, mad } = robustSpread(scored);
      if (!Number.isFinite(median)) throw new ThresholdError('median + k MAD: no window has a finite score');
      return median + rule.k * mad;
    }
    case 'quantile':
      if (!(rule.q >= 0 && rule.q <= 1)) throw new ThresholdError(`threshold quantile must be between 0 and 1, got ${rule.q}`);
      return interpolateQuantile(errors(), rule.q);
    case 'meanStd': {
      if (!Number.isFinite(rule.k)) throw new ThresholdError(`threshold k (mean + k std) must be a number, got ${rule.k}`);
      const { mean, std } = errors();
      if (mean === undefined || std === undefined) {
        throw new ThresholdError('the run saved no mean and standard deviation of its training errors (runs before this version); use a quantile or a fixed threshold, or retrain');
      }
      return mean + rule.k * std;
    }
    case 'fixed':
      if (!Number.isFinite(rule.value)) throw new ThresholdError(`fixed threshold must be a finite number, got ${rule.value}`);
      return rule.value;
  }
}

/** 1.4826 x the median absolute deviation estimates the standard deviation of normally distributed values. */
export const MAD_TO_STD = 1.4826;

/**
 * Median and scaled median absolute deviation of the finite values: a centre and spread that a
 * minority of extreme values (anomalies among the scores) cannot drag, unlike mean and std.
 */
export function robustSpread(values: ArrayLike<number>): { median: number; mad: number } {
  const finite = Float64Array.from(values).filter(Number.isFinite).sort();
  if (finite.length === 0) return { median: Number.NaN, mad: Number.NaN };
  const med = medianSorted(finite);
  const deviations = finite.map((v) => Math.abs(v - med)).sort();
  return { median: med, mad: MAD_TO_STD * medianSorted(deviations) };
}

function medianSorted(sorted: Float64Array): number {
  const n = sorted.length;
  return n % 2 === 1 ? sorted[(n - 1) / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
}

/** The stored quantile, or a linear interpolation between the two stored ones around `q`. */
export function interpolateQuantile(thresholds: ErrorQuantiles, q: number): number {
  const points = Object.entries(thresholds.quantiles)
    .map(([k, v]) => [Number(k), v] as const)
    .filter(([k, v]) => Number.isFinite(k) && Number.isFinite(v))
    .sort((a, b) => a[0] - b[0]);
  if (points.length === 0) throw new ThresholdError('the run saved no usable error quantiles');
  if (q <= points[0][0]) return points[0][1];
  for (let i = 1; i < points.length; i++) {
    const [k1, v1] = points[i];
    if (q <= k1) {
      const [k0, v0] = points[i - 1];
      return k1 === k0 ? v1 : v0 + ((v1 - v0) * (q - k0)) / (k1 - k0);
    }
  }
  return points[points.length - 1][1];
}

/**
 * Parses a threshold as the CLI and the config write it: `quantile:0.99` (or `q0.99`),
 * `std:3` (mean + 3 std), `mad:8` (median + 8 MAD of the scored data), `fixed:0.2` or a bare number (fixed). Returns an error message otherwise.
 */
export function parseThresholdRule(text: string): ThresholdRule | { error: string } {
  const t = text.trim();
  const num = (s: string): number => (s.trim() === '' ? Number.NaN : Number(s));
  let m = /^(?:quantile:|q)(.*)$/i.exec(t);
  if (m) {
    const q = num(m[1]);
    return q >= 0 && q <= 1 ? { kind: 'quantile', q } : { error: `quantile must be between 0 and 1, got "${m[1]}"` };
  }
  m = /^(?:mad:|median\+)(.*?)(?:mad)?$/i.exec(t);
  if (m) {
    const k = num(m[1]);
    return Number.isFinite(k) ? { kind: 'mad', k } : { error: `median + k MAD needs a number k, got "${m[1]}"` };
  }
  m = /^(?:std:|mean\+)(.*?)(?:std)?$/i.exec(t);
  if (m) {
    const k = num(m[1]);
    return Number.isFinite(k) ? { kind: 'meanStd', k } : { error: `mean + k std needs a number k, got "${m[1]}"` };
  }
  m = /^(?:fixed:)?(.*)$/i.exec(t)!;
  const value = num(m[1]);
  return Number.isFinite(value) ? { kind: 'fixed', value } : { error: `expected quantile:Q, std:K, mad:K or a number, got "${text}"` };
}

export function describeRule(rule: ThresholdRule): string {
  switch (rule.kind) {
    case 'quantile':
      return `the ${rule.q} quantile of the training windows' errors`;
    case 'meanStd':
      return `mean + ${rule.k} std of the training windows' errors`;
    case 'mad':
      return `median + ${rule.k} MAD of the scored windows' own scores`;
    case 'fixed':
      return 'a fixed value';
  }
}

export { DEFAULT_SERIES_THRESHOLD_RULE, DEFAULT_THRESHOLD_RULE, defaultThresholdRule };
