import { delayFor, type BackoffPolicy } from '../util/retry.js';
import type { RuleId } from '../diagnostics/rules.js';

/** Rule id of an outbox row that failed on every attempt and was dead-lettered. */
export const OUTBOX_PUBLISH_FAILED = 'OUTBOX_PUBLISH_FAILED' satisfies RuleId;

/** What a relay is doing, for logging once per change and for health. */
export type RelayState = 'starting' | 'running' | 'kafka-unavailable' | 'database-unavailable' | 'stopped';

/** Why a send failed: the cluster is unreachable (retry later, rows untouched), or this row is refused. */
export type PublishFailure = 'infrastructure' | 'row';

const CONNECTION_ERRORS = new Set([
  'KafkaJSConnectionError',
  'KafkaJSConnectionClosedError',
  'KafkaJSRequestTimeoutError',
  'KafkaJSBrokerNotFound',
  'KafkaJSMetadataNotLoaded',
  'KafkaJSLockTimeout',
]);
const TRANSIENT_BROKER_ERRORS = new Set([
  'NETWORK_EXCEPTION',
  'REQUEST_TIMED_OUT',
  'LEADER_NOT_AVAILABLE',
  'NOT_LEADER_FOR_PARTITION',
  'NOT_LEADER_OR_FOLLOWER',
  'BROKER_NOT_AVAILABLE',
  'NOT_ENOUGH_REPLICAS',
  'NOT_ENOUGH_REPLICAS_AFTER_APPEND',
  'KAFKA_STORAGE_ERROR',
  'COORDINATOR_NOT_AVAILABLE',
  'CONCURRENT_TRANSACTIONS',
]);
const SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN']);

/**
 * Classifies a Kafka send error. A cluster that cannot be reached, or a broker-side transient
 * state, is infrastructure: it says nothing about the rows, so they must not spend attempts on
 * it (a long outage would otherwise dead-letter every pending event). Anything else (a topic
 * the broker refuses, a record too large, ...) is the row's own failure.
 */
export function classifyPublishError(error: unknown): PublishFailure {
  const seen = new Set<unknown>();
  const queue: unknown[] = [error];
  while (queue.length > 0) {
    const e = queue.shift();
    if (!e || typeof e !== 'object' || seen.has(e)) continue;
    seen.add(e);
    const { name, type, code, cause, errors } = e as { name?: unknown; type?: unknown; code?: unknown; cause?: unknown; errors?: unknown };
    if (typeof name === 'string' && CONNECTION_ERRORS.has(name)) return 'infrastructure';
    if (typeof type === 'string' && TRANSIENT_BROKER_ERRORS.has(type)) return 'infrastructure';
    if (typeof code === 'string' && SOCKET_CODES.has(code)) return 'infrastructure';
    queue.push(cause);
    if (Array.isArray(errors)) queue.push(...errors);
  }
  return 'row';
}

/** PostgreSQL error classes that mean the connection or server is gone (retry later). */
export function isDatabaseUnavailable(error: unknown): boolean {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  if (typeof code === 'string' && (SOCKET_CODES.has(code) || /^(08|57P|53)/.test(code))) return true;
  return typeof message === 'string' && /Connection terminated|connection .*(closed|ended)|Client has encountered a connection error|timeout exceeded when trying to connect/i.test(message);
}

/** What happens to a row whose send failed for its own reason. */
export function rowFailureAction(retryCount: number, maxAttempts: number, retry: BackoffPolicy): { readonly dead: true } | { readonly dead: false; readonly delayMs: number } {
  const attempts = retryCount + 1;
  return attempts >= maxAttempts ? { dead: true } : { dead: false, delayMs: delayFor(attempts, retry) };
}

/** The log line of a state change, or undefined when the state did not change. */
export function stateChangeMessage(from: RelayState, to: RelayState, detail?: string): string | undefined {
  if (from === to) return undefined;
  const why = detail ? `: ${detail}` : '';
  switch (to) {
    case 'running':
      return from === 'starting' ? 'relay running' : `relay resumed (was ${from})`;
    case 'kafka-unavailable':
      return `Kafka is unavailable${why}; rows stay in the outbox, retrying with backoff`;
    case 'database-unavailable':
      return `the database is unavailable${why}; retrying with backoff`;
    case 'stopped':
      return 'relay stopped';
    default:
      return undefined;
  }
}

/** Rows grouped by a key, each group in the order of the input. */
export function groupBy<T>(rows: readonly T[], keyOf: (row: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const row of rows) {
    const key = keyOf(row);
    const group = groups.get(key);
    if (group) group.push(row);
    else groups.set(key, [row]);
  }
  return groups;
}
