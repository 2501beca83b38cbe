import { exitCodeOf } from '../../../src/cli/exit-codes.js';
import kafkajs from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { resolveKafkaConnection } from '../../../src/kafka/connection.js';
import { kafkaError } from '../../../src/kafka/errors.js';
import { NovaError } from '../../../src/util/errors.js';

const SECRET = 'hunter2-secret';
const connection = resolveKafkaConnection({ brokers: 'k:9094', mechanism: 'scram-sha-256', username: 'ops', password: SECRET });
const errors = kafkajs as unknown as Record<string, new (e: unknown, o?: object) => Error>;
const protocol = (type: string, retriable: boolean) => Object.assign(new Error(`The broker said ${type}`), { name: 'KafkaJSProtocolError', type, retriable });

describe('kafkajs failures', () => {
  it.each<[string, unknown, string]>([
    ['refused credentials', new errors['KafkaJSSASLAuthenticationError']!(`SASL SCRAM SHA256 authentication failed for ${SECRET}`), 'KAFKA_AUTH_FAILED'],
    ['refused credentials behind a retry error', new errors['KafkaJSNumberOfRetriesExceeded']!(new errors['KafkaJSSASLAuthenticationError']!('SASL failed'), { retryCount: 2, retryTime: 1 }), 'KAFKA_AUTH_FAILED'],
    ['a closed port', new errors['KafkaJSConnectionError']!('Connection error: connect ECONNREFUSED 127.0.0.1:1'), 'KAFKA_UNAVAILABLE'],
    ['retries exhausted on a connection error', new errors['KafkaJSNumberOfRetriesExceeded']!(new errors['KafkaJSConnectionError']!('Connection timeout'), { retryCount: 2, retryTime: 1 }), 'KAFKA_UNAVAILABLE'],
    ['a retriable broker error', protocol('LEADER_NOT_AVAILABLE', true), 'KAFKA_UNAVAILABLE'],
    ['a refused request', protocol('POLICY_VIOLATION', false), 'KAFKA_REQUEST_FAILED'],
    ['an aggregate of refusals', Object.assign(new Error('Topic creation errors'), { name: 'KafkaJSAggregateError', errors: [protocol('INVALID_PARTITIONS', false)] }), 'KAFKA_REQUEST_FAILED'],
    ['something else entirely', 'boom', 'KAFKA_UNAVAILABLE'],
  ])('reports %s with its rule, exit 3 and no password', (_name, error, rule) => {
    const reported = kafkaError(error, connection, 'reading the topics');
    expect(reported).toMatchObject({ rule });
    expect(exitCodeOf(reported.rule)).toBe(3);
    expect(reported.message).toContain('k:9094 (SASL_PLAINTEXT scram-sha-256 as ops)');
    expect(reported.message).toContain('while reading the topics');
    expect(`${reported.message} ${reported.hint}`).not.toContain(SECRET);
  });

  it('passes a NovaError through', () => {
    const own = new NovaError('KAFKA_BAD_RESPONSE', 'x');
    expect(kafkaError(own, connection, 'x')).toBe(own);
  });
});
