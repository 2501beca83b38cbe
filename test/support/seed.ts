import { seededRandom as seededRandomFrom } from '../../src/util/seeded-random.js';

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
 * the same seed and label give the same sequence whatever else the run draws.
 */
export function seededRandom(label: string, seed = testSeed()): () => number {
  return seededRandomFrom(label, seed);
}
