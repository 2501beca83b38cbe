import type { NovaError } from '../../../src/util/errors.js';
import { exitCodeOf } from '../../../src/cli/exit-codes.js';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { kafkaConnectionFor } from '../../../src/cli/kafka-options.js';
import { kafkaConfig, redactingLogCreator } from '../../../src/kafka/client.js';
import {
  kafkaConnection,
  kafkaOptionsFromEnv,
  kafkaSettingsFromConfig,
  kafkaSettingsFromEnv,
  mergeKafkaSettings,
  resolveKafkaConnection,
} from '../../../src/kafka/connection.js';

const SECRET = 'pa55-w0rd-x';
const project = (kafka: unknown) => ({ root: '/srv/app', config: { kafka } });
const io = (env: Record<string, string | undefined> = {}) => ({ cwd: '/work/here', env });

describe('the Kafka connection', () => {
  it.each([
    ['the flag first', { brokers: 'flag:1' }, { NOVA_KAFKA_BROKERS: 'env:1', KAFKA_BROKERS: 'seed:1' }, { brokers: ['cfg:1'] }, ['flag:1']],
    ['then NOVA_KAFKA_BROKERS', {}, { NOVA_KAFKA_BROKERS: 'env:1,env:2', KAFKA_BROKERS: 'seed:1' }, { brokers: ['cfg:1'] }, ['env:1', 'env:2']],
    ["then the seeds' KAFKA_BROKERS", {}, { KAFKA_BROKERS: ' seed:1 , ' }, { brokers: ['cfg:1'] }, ['seed:1']],
    ['then the config file (a list)', {}, { NOVA_KAFKA_BROKERS: '' }, { brokers: ['cfg:1', 'cfg:2'] }, ['cfg:1', 'cfg:2']],
    ['then the config file (a string)', {}, {}, { brokers: 'cfg:1,cfg:2' }, ['cfg:1', 'cfg:2']],
    ['an IPv6 literal', { brokers: '[::1]:9092' }, {}, undefined, ['[::1]:9092']],
  ])('takes the brokers from %s', async (_name, flags, env, kafka, brokers) => {
    expect((await kafkaConnectionFor(flags, io(env), project(kafka))).brokers).toEqual(brokers);
  });

  it.each([
    ['the environment', {}, { NOVA_KAFKA_SASL_MECHANISM: 'SCRAM-SHA-512', NOVA_KAFKA_USERNAME: 'alice', NOVA_KAFKA_PASSWORD: SECRET }, undefined, { mechanism: 'scram-sha-512', username: 'alice', password: SECRET }],
    ['the config file', {}, {}, { sasl: { mechanism: 'plain', username: 'bob', password: SECRET } }, { mechanism: 'plain', username: 'bob', password: SECRET }],
    ['flags over the environment over the config file', { saslMechanism: 'scram_sha_256', saslUsername: 'carol' }, { NOVA_KAFKA_USERNAME: 'alice', NOVA_KAFKA_PASSWORD: SECRET }, { sasl: { mechanism: 'plain', username: 'bob', password: 'other' } }, { mechanism: 'scram-sha-256', username: 'carol', password: SECRET }],
  ])('reads SASL from %s', async (_name, flags, env, kafka, sasl) => {
    const connection = await kafkaConnectionFor({ brokers: 'b:9092', ...flags }, io(env), project(kafka));
    expect(connection.sasl).toEqual(sasl);
    expect(connection.display).toBe(`b:9092 (SASL_PLAINTEXT ${sasl.mechanism} as ${sasl.username})`);
    expect(connection.secrets).toEqual([sasl.password]);
  });

  it.each([
    ['nothing', {}, {}, undefined, false, undefined],
    ['--ssl', { ssl: true }, {}, undefined, true, undefined],
    ['NOVA_KAFKA_SSL=true', {}, { NOVA_KAFKA_SSL: 'true' }, undefined, true, undefined],
    ['a CA file from the flag (relative to the working folder, implies TLS)', { sslCaFile: 'ca.pem' }, {}, undefined, true, '/work/here/ca.pem'],
    ['a CA file from the config file (relative to the project root)', {}, {}, { caFile: 'certs/ca.pem' }, true, '/srv/app/certs/ca.pem'],
    ['a CA file from NOVA_KAFKA_CA_FILE', {}, { NOVA_KAFKA_CA_FILE: '/etc/ca.pem' }, undefined, true, '/etc/ca.pem'],
  ])('reads TLS from %s', async (_name, flags, env, kafka, ssl, caFile) => {
    const connection = await kafkaConnectionFor({ brokers: 'b:9093', ...flags }, io(env), project(kafka));
    expect({ ssl: connection.ssl, caFile: connection.caFile }).toEqual({ ssl, caFile });
  });

  it.each([
    ['no brokers anywhere', {}, {}, undefined, { rule: 'KAFKA_BROKERS_MISSING' }],
    ['a broker without a port', { brokers: 'kafka' }, {}, undefined, { rule: 'KAFKA_BROKERS_INVALID' }],
    ['a port beyond 65535', { brokers: 'kafka:70000' }, {}, undefined, { rule: 'KAFKA_BROKERS_INVALID' }],
    ['a URL for a broker', { brokers: 'kafka://h:9092' }, {}, undefined, { rule: 'KAFKA_BROKERS_INVALID' }],
    ['a config broker of the wrong type', {}, {}, { brokers: [9092] }, { rule: 'KAFKA_OPTION_INVALID', pointer: '/kafka/brokers/0', file: 'nova-events.config.json' }],
    ['a config section that is not an object', { brokers: 'b:1' }, {}, 'b:1', { rule: 'KAFKA_OPTION_INVALID', pointer: '/kafka' }],
    ['a config ssl that is a string', { brokers: 'b:1' }, {}, { ssl: 'yes' }, { rule: 'KAFKA_OPTION_INVALID', pointer: '/kafka/ssl' }],
    ['a config password that is a number', { brokers: 'b:1' }, {}, { sasl: { mechanism: 'plain', username: 'u', password: 1234 } }, { rule: 'KAFKA_OPTION_INVALID', pointer: '/kafka/sasl/password' }],
    ['an unknown mechanism from the environment', { brokers: 'b:1' }, { NOVA_KAFKA_SASL_MECHANISM: 'gssapi', NOVA_KAFKA_USERNAME: 'u', NOVA_KAFKA_PASSWORD: SECRET }, undefined, { rule: 'KAFKA_OPTION_INVALID', message: expect.stringMatching(/^NOVA_KAFKA_SASL_MECHANISM must be one of plain, scram-sha-256, scram-sha-512/) }],
    ['an unknown mechanism from the config file', { brokers: 'b:1' }, {}, { sasl: { mechanism: 'aws', username: 'u', password: SECRET } }, { rule: 'KAFKA_OPTION_INVALID', pointer: '/kafka/sasl/mechanism' }],
    ['a mechanism without a password', { brokers: 'b:1', saslMechanism: 'plain', saslUsername: 'u' }, {}, undefined, { rule: 'KAFKA_OPTION_INVALID', hint: expect.stringContaining('NOVA_KAFKA_PASSWORD') }],
    ['a mechanism without a user', { brokers: 'b:1' }, { NOVA_KAFKA_SASL_MECHANISM: 'plain', NOVA_KAFKA_PASSWORD: SECRET }, undefined, { rule: 'KAFKA_OPTION_INVALID' }],
    ['a password without a mechanism', { brokers: 'b:1' }, { NOVA_KAFKA_PASSWORD: SECRET }, undefined, { rule: 'KAFKA_OPTION_INVALID', message: expect.stringMatching(/^NOVA_KAFKA_PASSWORD/) }],
    ['NOVA_KAFKA_SSL that is not a boolean', { brokers: 'b:1' }, { NOVA_KAFKA_SSL: 'maybe' }, undefined, { rule: 'KAFKA_OPTION_INVALID', message: expect.stringMatching(/^NOVA_KAFKA_SSL must be true or false/) }],
    ['a CA file with TLS turned off', { brokers: 'b:1' }, { NOVA_KAFKA_SSL: 'false', NOVA_KAFKA_CA_FILE: '/ca.pem' }, undefined, { rule: 'KAFKA_OPTION_INVALID' }],
  ])('refuses %s (exit 2, naming where it came from, never the password)', async (_name, flags, env, kafka, expected) => {
    const error = await kafkaConnectionFor(flags, io(env), project(kafka)).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toMatchObject(expected);
    expect(exitCodeOf((error as NovaError).rule)).toBe(2);
    expect(JSON.stringify({ message: (error as Error).message, ...(error as object) })).not.toContain(SECRET);
  });

  it('reads the nearest config file when the command loaded no project', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nova-kafka-config-'));
    writeFileSync(join(dir, 'nova-events.config.json'), JSON.stringify({ kafka: { brokers: ['from-file:9092'], caFile: 'ca.pem' } }));
    const connection = await kafkaConnectionFor({}, { cwd: dir, env: {} });
    expect(connection).toMatchObject({ brokers: ['from-file:9092'], ssl: true, caFile: join(dir, 'ca.pem') });
  });

  it('merges layers field by field, the first that sets a field winning, and keeps where each came from', () => {
    const merged = mergeKafkaSettings(kafkaSettingsFromEnv({ NOVA_KAFKA_USERNAME: 'env-user' }), kafkaSettingsFromConfig({ brokers: 'c:1', sasl: { username: 'cfg', mechanism: 'plain' } }, 'f.json'));
    expect(merged).toMatchObject({ brokers: 'c:1', username: 'env-user', mechanism: 'plain' });
    expect(merged.sources).toMatchObject({ username: { field: 'NOVA_KAFKA_USERNAME' }, mechanism: { pointer: '/kafka/sasl/mechanism', file: 'f.json' } });
  });

  it.each([
    ['options without SASL', { brokers: ['a:1'] }, undefined],
    ['SASL options', { brokers: 'a:1,b:2', sasl: { mechanism: 'scram-sha-512', username: 'u', password: SECRET } }, { mechanism: 'scram-sha-512', username: 'u', password: SECRET }],
  ])('builds the kafkajs configuration of %s', (_name, options, sasl) => {
    const config = kafkaConfig(kafkaConnection(options));
    expect(config).toMatchObject({ brokers: options.brokers === 'a:1,b:2' ? ['a:1', 'b:2'] : ['a:1'], ssl: false, clientId: 'nova-events' });
    expect(config.sasl).toEqual(sasl);
  });

  it('reads the library options from the environment as the CLI does', () => {
    const options = kafkaOptionsFromEnv({ KAFKA_BROKERS: 'k:9092', NOVA_KAFKA_SASL_MECHANISM: 'plain', NOVA_KAFKA_USERNAME: 'u', NOVA_KAFKA_PASSWORD: SECRET, NOVA_KAFKA_SSL: '1' });
    expect(kafkaConnection(options)).toMatchObject({ brokers: ['k:9092'], ssl: true, sasl: { mechanism: 'plain', username: 'u', password: SECRET } });
    expect(() => kafkaConnection(kafkaOptionsFromEnv({ KAFKA_BROKERS: 'k:9092', NOVA_KAFKA_USERNAME: 'u' }))).toThrow(expect.objectContaining({ rule: 'KAFKA_OPTION_INVALID' }));
  });

  it('refuses a CA file it cannot read (exit 2)', () => {
    expect(() => kafkaConfig(kafkaConnection({ brokers: 'a:1', caFile: '/nonexistent/ca.pem' }))).toThrow(expect.objectContaining({ rule: 'KAFKA_CA_UNREADABLE' }));
  });

  it('keeps the password out of kafkajs log entries', () => {
    const written: unknown[] = [];
    const create = redactingLogCreator(() => (entry) => written.push(entry.log), [SECRET]);
    create(1)({ namespace: 'x', level: 1, label: 'ERROR', log: { timestamp: 't', message: `failed for ${SECRET}`, extra: { nested: SECRET } } });
    expect(JSON.stringify(written)).not.toContain(SECRET);
    expect(written).toEqual([{ timestamp: 't', message: 'failed for ***', extra: { nested: '***' } }]);
  });

  it('never shows the password in the display form', () => {
    const connection = resolveKafkaConnection({ brokers: 'a:1', mechanism: 'plain', username: 'u', password: SECRET });
    expect(connection.display).toBe('a:1 (SASL_PLAINTEXT plain as u)');
  });
});
