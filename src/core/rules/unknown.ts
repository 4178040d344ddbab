// Rules read a ResolvedConfig. A config file determines every field (defaults included), but a
// description read from Python code may not: a value the code computes at run time is unknown.
// Such a description is wrapped so that reading a field it does not hold throws
// UnknownInputError, and the engine keeps the rule silent: a rule whose input is unknown says
// nothing rather than guessing.

export class UnknownInputError extends Error {
  constructor(readonly configPath: string) {
    super(`${configPath} is unknown`);
    this.name = 'UnknownInputError';
  }
}

/**
 * A read-only view of `value` where reading a missing property throws UnknownInputError naming
 * its dotted path. Arrays keep their methods and length; only object fields the description
 * lacks are unknown.
 */
export function withUnknownInputs<T extends object>(value: T, base = ''): T {
  const cache = new Map<PropertyKey, unknown>();
  return new Proxy(value, {
    get(target, prop, receiver) {
      if (typeof prop === 'symbol') return Reflect.get(target, prop, receiver);
      const path = base === '' ? prop : `${base}.${prop}`;
      if (!(prop in target)) {
        if (Array.isArray(target)) return undefined;
        throw new UnknownInputError(path);
      }
      const child = Reflect.get(target, prop, receiver) as unknown;
      if (child === null || typeof child !== 'object') return child;
      if (!cache.has(prop)) cache.set(prop, withUnknownInputs(child as object, path));
      return cache.get(prop);
    },
    set() {
      return false;
    },
  });
}

/** `fn()`, or `fallback` when it reads an unknown input: lets one rule keep its independent checks apart. */
export function whenKnown<T>(fn: () => T, fallback: T): T {
  try {
    return fn();
  } catch (error) {
    if (error instanceof UnknownInputError) return fallback;
    throw error;
  }
}
