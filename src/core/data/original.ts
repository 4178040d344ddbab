// Mapping model-space windows (scaled, maybe differenced) back to the data's units, for plots,
// reconstruction files and `tsae eval`, which only has the saved scaler.json.

import type { ScalerFile } from '../run/types';
import { integrate } from './differencing';
import { invertScaler } from './scaling';

export interface OriginalUnitsContext {
  scaler: ScalerFile;
  /**
   * With differencing: the original value (per feature) just before the window's first step.
   * Without it a differenced window can only be shown as steps, so it is required then.
   */
  anchor?: ArrayLike<number>;
}

/** Undo scaling, then differencing, for one [time][feature] window. */
export function toOriginalUnits(windowScaled: number[][], context: OriginalUnitsContext): number[][] {
  const { scaler, anchor } = context;
  const features = scaler.features.length;
  if (windowScaled.some((row) => row.length !== features)) {
    throw new RangeError(`toOriginalUnits expects ${features} features per step (${scaler.features.join(', ')})`);
  }
  const flat = invertScaler(scaler, windowScaled.flat());
  const rows = windowScaled.map((_, t) => flat.slice(t * features, (t + 1) * features));
  if (scaler.differencing === 0) return rows;
  if (!anchor || anchor.length !== features) {
    throw new RangeError(`the data was differenced: toOriginalUnits needs the ${features} value(s) just before the window as its anchor`);
  }
  return integrate(rows, anchor);
}
