/**
 * A deterministic generator of numbers in [0, 1) for one purpose (`label`) from `seed`: the same
 * seed and label give the same sequence whatever else a run draws. Mulberry32 over an FNV-1a
 * hash of `seed:label`. Not for anything secret.
 */
export function seededRandom(label: string, seed: number): () => number {
  let state = 0x811c9dc5;
  for (const char of `${seed}:${label}`) state = Math.imul(state ^ char.codePointAt(0)!, 0x01000193);
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
