// Public face of the data pipeline: read a CSV or UCR file, clean, difference, window, split and
// scale it as the resolved config says. Everything else in src/core/data is an implementation detail.

export type { WindowSet, WindowSetName, Dataset, DataRows, LoadOptions } from './types';
export { DataError } from './errors';
export { createRng, shuffleInPlace } from './random';
export { applyScaler, invertScaler, fitScaler } from './scaling';
export { difference, integrate } from './differencing';
export { windowToRows } from './windowing';
export { toOriginalUnits, type OriginalUnitsContext } from './original';
export { loadDataset } from './load';
