import { describe, expect, it } from 'vitest';
import { classifyPublishError, isDatabaseUnavailable, rowFailureAction, stateChangeMessage, type RelayState } from '../../../src/outbox/relay-decisions.js';

const named = (name: string, fields: Record<string, unknown> = {}) => Object.assign(new Error(name), { name, ...fields });

describe('a Kafka send error', () => {
  it.each([
    ['a refused connection', named('KafkaJSConnectionError', { code: 'ECONNREFUSED' }), 'infrastructure'],
    ['a closed connection', named('KafkaJSConnectionClosedError'), 'infrastructure'],
    ['a request timeout', named('KafkaJSRequestTimeoutError'), 'infrastructure'],
    ['retries exceeded on a connection error', named('KafkaJSNumberOfRetriesExceeded', { cause: named('KafkaJSConnectionError') }), 'infrastructure'],
    ['a leader change', named('KafkaJSProtocolError', { type: 'NOT_LEADER_OR_FOLLOWER' }), 'infrastructure'],
    ['an aggregate of broker errors with a network one', named('KafkaJSAggregateError', { errors: [named('KafkaJSProtocolError', { type: 'NETWORK_EXCEPTION' })] }), 'infrastructure'],
    ['a record too large', named('KafkaJSProtocolError', { type: 'MESSAGE_TOO_LARGE' }), 'row'],
    ['an invalid topic', named('KafkaJSProtocolError', { type: 'INVALID_TOPIC_EXCEPTION' }), 'row'],
    ['retries exceeded on an unknown topic', named('KafkaJSNumberOfRetriesExceeded', { cause: named('KafkaJSProtocolError', { type: 'UNKNOWN_TOPIC_OR_PARTITION' }) }), 'row'],
    ['a topic authorization failure', named('KafkaJSProtocolError', { type: 'TOPIC_AUTHORIZATION_FAILED' }), 'row'],
    ['something odd', 'a string', 'row'],
  ])('%s is a failure of the %s', (_name, error, expected) => {
    expect(classifyPublishError(error)).toBe(expected);
  });

  it('survives a cause cycle', () => {
    const a = named('KafkaJSError') as Error & { cause?: unknown };
    a.cause = a;
    expect(classifyPublishError(a)).toBe('row');
  });
});

describe('a database error', () => {
  it.each([
    [{ code: 'ECONNREFUSED' }, true],
    [{ code: '57P01', message: 'terminating connection due to administrator command' }, true],
    [{ code: '08006' }, true],
    [{ message: 'Connection terminated unexpectedly' }, true],
    [{ code: '42P01', message: 'relation does not exist' }, false],
    [{ code: '23505' }, false],
  ])('%j unavailable: %s', (error, expected) => {
    expect(isDatabaseUnavailable(error)).toBe(expected);
  });
});

describe('a failing row', () => {
  it.each([
    [0, 5, false],
    [3, 5, false],
    [4, 5, true],
    [0, 1, true],
  ])('a row that failed %i time(s) before, with %i attempts allowed, is dead: %s', (retryCount, maxAttempts, dead) => {
    expect(rowFailureAction(retryCount, maxAttempts, {}).dead).toBe(dead);
  });

  it('backs off within the policy\'s cap for its attempt', () => {
    const action = rowFailureAction(2, 5, { initialDelayMs: 100, maxDelayMs: 1000, random: () => 0.999 });
    expect(action).toEqual({ dead: false, delayMs: 399 });
  });
});

describe('state changes are logged once', () => {
  const states: RelayState[] = ['starting', 'running', 'kafka-unavailable', 'database-unavailable', 'stopped'];
  it.each(states)('no line when %s stays the same', (state) => {
    expect(stateChangeMessage(state, state)).toBeUndefined();
  });
  it('a line on every change, naming the outage and the resumption', () => {
    expect(stateChangeMessage('running', 'kafka-unavailable', 'ECONNREFUSED')).toMatch(/^Kafka is unavailable: ECONNREFUSED/);
    expect(stateChangeMessage('kafka-unavailable', 'running')).toBe('relay resumed (was kafka-unavailable)');
    expect(stateChangeMessage('starting', 'running')).toBe('relay running');
  });
});
