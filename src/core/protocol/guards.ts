// Building blocks of the message guards (webview and worker protocols). A guard checks one
// value's type completely; composite guards are built from these so every field of every
// message is checked the same way. Compiled into the browser bundles too: no imports.

export type Guard<T> = (v: unknown) => v is T;

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
export const isString = (v: unknown): v is string => typeof v === 'string';
export const isNonEmptyString = (v: unknown): v is string => typeof v === 'string' && v.length > 0;
/** NaN and Infinity are allowed: a diverged loss is data to show, not a malformed message. */
export const isNumber = (v: unknown): v is number => typeof v === 'number';
export const isFiniteNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
/** Counts and sizes: whole numbers >= 0. */
export const isCount = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 0;
/** Epochs, batches, 1-based lines and columns: whole numbers >= 1. */
export const isPositiveInteger = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 1;
export const isBoolean = (v: unknown): v is boolean => typeof v === 'boolean';
export const isNullableNumber = (v: unknown): v is number | null => v === null || isNumber(v);
export const isLabel = (v: unknown): v is number | string => isNumber(v) || isString(v);

export function arrayOf<T>(item: Guard<T>): Guard<T[]> {
  return (v: unknown): v is T[] => Array.isArray(v) && v.every(item);
}
export function optional<T>(guard: Guard<T>): Guard<T | undefined> {
  return (v: unknown): v is T | undefined => v === undefined || guard(v);
}
export function oneOf<T extends string>(...values: T[]): Guard<T> {
  return (v: unknown): v is T => typeof v === 'string' && (values as string[]).includes(v);
}

export const isNumberArray = arrayOf(isNumber);
export const isMatrix = arrayOf(isNumberArray);

/** A matrix whose rows all have `columns` entries (undefined: any, but all rows alike). */
export function isRectangular(v: unknown, columns?: number): v is number[][] {
  if (!isMatrix(v)) return false;
  const width = columns ?? v[0]?.length;
  return v.every((row) => row.length === width);
}

export function isPrimitiveMap(v: unknown): v is Record<string, number | string | boolean> {
  return isRecord(v) && Object.values(v).every((x) => isNumber(x) || isString(x) || isBoolean(x));
}
