// Seeded randomness shared by the split and the trainer, so a seed reproduces a run exactly.

/** mulberry32: a tiny 32-bit PRNG with good statistical quality for shuffling. Returns [0, 1). */
export function createRng(seed: number): () => number {
  let state = Math.trunc(seed) >>> 0 || 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Fisher-Yates shuffle driven by `rng`; returns the same array for chaining. */
export function shuffleInPlace<T>(array: T[], rng: () => number): T[] {
  for (let i = array.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    const tmp = array[i];
    array[i] = array[j];
    array[j] = tmp;
  }
  return array;
}
