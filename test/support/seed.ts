/** The seed of the tests' random samples when NOVA_TEST_SEED is not set. */
export const DEFAULT_TEST_SEED = 20261201;

/** The seed in force: NOVA_TEST_SEED (an integer), else the fixed default. */
export function testSeed(): number {
  const text = process.env['NOVA_TEST_SEED'];
  if (text === undefined || text.trim() === '') return DEFAULT_TEST_SEED;
  const seed = Number(text);
  if (!Number.isSafeInteger(seed)) throw new Error(`NOVA_TEST_SEED must be an integer, got ${JSON.stringify(text)}`);
  return seed;
}

/**
 * A deterministic generator of numbers in [0, 1) for one purpose (`label`), from the test seed:
 * the same seed and label give the same sequence whatever else the run draws. Mulberry32 over
 * an FNV-1a hash of `seed:label`.
 */
export function seededRandom(label: string, seed = testSeed()): () => number {
  let state = 0x811c9dc5;
  for (const char of `${seed}:${label}`) state = Math.imul(state ^ char.codePointAt(0)!, 0x01000193);
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
