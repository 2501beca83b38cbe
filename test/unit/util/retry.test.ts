import { describe, expect, it } from 'vitest';
import { delayFor, retry, type BackoffPolicy } from '../../../src/util/retry.js';

/** A seeded generator (mulberry32), so a failure replays exactly. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const DELAYS: [number, BackoffPolicy, number][] = [
  // attempt, policy, expected
    [1, { jitter: 'none' as const }, 200],
    [2, { jitter: 'none' as const }, 400],
    [3, { jitter: 'none' as const, initialDelayMs: 100, factor: 3 }, 900],
    [10, { jitter: 'none' as const }, 10_000],
    [5_000, { jitter: 'none' as const, maxDelayMs: 2_000 }, 2_000],
    [1, { random: () => 0.5 }, 100],
    [3, { random: () => 0.25, initialDelayMs: 1_000 }, 1_000],
    [3, { random: () => 0.999999, initialDelayMs: 1_000, maxDelayMs: 3_000 }, 2_999],
    [1, { random: () => 0 }, 0],
    [1, { random: () => Number.NaN }, 0],
    [Number.NaN, { jitter: 'none' as const }, 200],
    [2, { jitter: 'none' as const, initialDelayMs: Number.NaN }, 400],
];

describe('delayFor', () => {
  it.each(DELAYS)('attempt %s with %o waits %i ms', (attempt, policy, expected) => {
    expect(delayFor(attempt, policy)).toBe(expected);
  });

  it('stays within [0, cap] and is spread out (full jitter), for fixed seeds', () => {
    for (const seed of [1, 7, 42, 2026]) {
      const random = seeded(seed);
      const delays = Array.from({ length: 2_000 }, (_, i) => delayFor((i % 8) + 1, { random, initialDelayMs: 100, maxDelayMs: 5_000 }));
      delays.forEach((d, i) => {
        expect(Number.isInteger(d)).toBe(true);
        expect(d).toBeGreaterThanOrEqual(0);
        expect(d).toBeLessThanOrEqual(Math.min(5_000, 100 * 2 ** (i % 8)));
      });
      const firsts = delays.filter((_, i) => i % 8 === 0);
      expect(new Set(firsts).size).toBeGreaterThan(50);
    }
  });
});

describe('retry', () => {
  const failing = (times: number, error: unknown = new Error('boom')) => {
    const calls: number[] = [];
    return {
      calls,
      fn: async (attempt: number) => {
        calls.push(attempt);
        if (calls.length <= times) throw error;
        return 'ok';
      },
    };
  };
  const recorder = () => {
    const waits: number[] = [];
    return { waits, sleep: async (ms: number) => void waits.push(ms) };
  };

  it('returns once fn succeeds, waiting delayFor(n) between attempts', async () => {
    const { calls, fn } = failing(2);
    const { waits, sleep } = recorder();
    await expect(retry(fn, { attempts: 5, sleep, random: () => 0.5, initialDelayMs: 100 })).resolves.toBe('ok');
    expect(calls).toEqual([1, 2, 3]);
    expect(waits).toEqual([50, 100]);
  });

  it('throws the last error when the attempts are used up', async () => {
    const { calls, fn } = failing(10, new Error('still down'));
    const { waits, sleep } = recorder();
    await expect(retry(fn, { attempts: 3, sleep })).rejects.toThrow('still down');
    expect(calls).toEqual([1, 2, 3]);
    expect(waits).toHaveLength(2);
  });

  it('stops at an error the predicate calls final', async () => {
    const final = Object.assign(new Error('bad request'), { final: true });
    const { calls, fn } = failing(10, final);
    const { waits, sleep } = recorder();
    const seen: number[] = [];
    await expect(retry(fn, { attempts: 5, sleep, retriable: (e, attempt) => (seen.push(attempt), !(e as { final?: boolean }).final) })).rejects.toBe(final);
    expect(calls).toEqual([1]);
    expect(seen).toEqual([1]);
    expect(waits).toEqual([]);
  });

  it.each([0, -3, Number.NaN, 1.7])('makes one attempt when attempts is %s', async (attempts) => {
    const { calls, fn } = failing(10);
    await expect(retry(fn, { attempts, sleep: async () => undefined })).rejects.toThrow('boom');
    expect(calls).toEqual([1]);
  });

  it('reports each retry', async () => {
    const { fn } = failing(2);
    const events: string[] = [];
    await retry(fn, { attempts: 3, sleep: async () => undefined, jitter: 'none', onRetry: (e, attempt, delay) => events.push(`${(e as Error).message}@${attempt}+${delay}`) });
    expect(events).toEqual(['boom@1+200', 'boom@2+400']);
  });

  it('waits for real with the default sleep', async () => {
    const { fn } = failing(1);
    const started = Date.now();
    await retry(fn, { attempts: 2, jitter: 'none', initialDelayMs: 30 });
    expect(Date.now() - started).toBeGreaterThanOrEqual(25);
  });
});
