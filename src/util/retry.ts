/**
 * Exponential backoff with full jitter ("Exponential Backoff And Jitter", AWS Architecture
 * Blog): the delay before attempt n+1 is a random value in [0, min(max, initial * factor^(n-1))].
 * Jitter spreads the retries of many clients that failed together (a registry restart, a
 * consumer group hitting the same bad dependency) instead of sending them back in lockstep.
 */
export interface BackoffPolicy {
  /** The cap of the first delay, in milliseconds; 200 by default. */
  readonly initialDelayMs?: number;
  /** The longest delay, in milliseconds; 10 s by default. */
  readonly maxDelayMs?: number;
  /** Growth of the cap per attempt; 2 by default. */
  readonly factor?: number;
  /** `full` (default): uniform in [0, cap]; `none`: exactly the cap, for deterministic schedules. */
  readonly jitter?: 'full' | 'none';
  /** A number in [0, 1); `Math.random` by default (inject a seeded one in tests). */
  readonly random?: () => number;
}

/** A bounded retry: the backoff, how many attempts, which errors are worth another one. */
export interface RetryPolicy extends BackoffPolicy {
  /** Attempts in all, the first one included; at least 1. */
  readonly attempts: number;
  /** Whether an error may go away on another attempt; every error by default. */
  readonly retriable?: (error: unknown, attempt: number) => boolean;
  /** Waits; `setTimeout` by default (inject one in tests, or one that heartbeats). */
  readonly sleep?: (ms: number) => Promise<void>;
  /** Called before each wait with the error, the attempt that failed and the delay. */
  readonly onRetry?: (error: unknown, attempt: number, delayMs: number) => void;
}

const wait = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const finite = (value: number | undefined, fallback: number) => (value !== undefined && Number.isFinite(value) ? value : fallback);

/**
 * The delay after failed attempt `attempt` (1-based) and before the next one, in whole
 * milliseconds, never above `maxDelayMs`. Pure apart from `random`.
 */
export function delayFor(attempt: number, policy: BackoffPolicy = {}): number {
  const initial = Math.max(0, finite(policy.initialDelayMs, 200));
  const max = Math.max(0, finite(policy.maxDelayMs, 10_000));
  const factor = Math.max(1, finite(policy.factor, 2));
  const exponent = Number.isFinite(attempt) ? Math.max(0, Math.floor(attempt) - 1) : 0;
  // Capped before the power can overflow to Infinity.
  const cap = Math.min(max, initial * factor ** Math.min(exponent, 1023));
  if (policy.jitter === 'none') return Math.round(cap);
  const random = Math.min(Math.max(finite((policy.random ?? Math.random)(), 0), 0), 1);
  return Math.floor(random * cap);
}

/**
 * Runs `fn` until it resolves, an error is not retriable, or `attempts` are used; then throws
 * the last error. `fn` receives the attempt number (1-based).
 */
export async function retry<T>(fn: (attempt: number) => Promise<T>, policy: RetryPolicy): Promise<T> {
  const attempts = Number.isFinite(policy.attempts) ? Math.max(1, Math.floor(policy.attempts)) : 1;
  const sleep = policy.sleep ?? wait;
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn(attempt);
    } catch (error) {
      if (attempt >= attempts || !(policy.retriable?.(error, attempt) ?? true)) throw error;
      const delay = delayFor(attempt, policy);
      policy.onRetry?.(error, attempt, delay);
      await sleep(delay);
    }
  }
}
