import { describe, expect, it } from 'vitest';
import { cli, repoRoot } from '../../support/project.js';

const SECRET = 's3cret-kafka-pw';
const base = { PATH: process.env['PATH'], NOVA_OUTBOX_DATABASE_URL: 'postgres://u@127.0.0.1:1/db' };

describe('the Kafka options of every command that talks to the broker', () => {
  it.each([['relay'], ['lag'], ['topics plan'], ['topics apply']])('%s takes the same connection flags', async (command) => {
    const help = await cli([...command.split(' '), '--help']);
    for (const flag of ['--brokers', '--sasl-mechanism', '--sasl-username', '--ssl', '--ssl-ca-file']) expect(help.stdout).toContain(flag);
    expect(help.stdout).not.toContain('--sasl-password');
    expect(help.stdout).toContain('NOVA_KAFKA_PASSWORD');
  });

  it.each([
    ['relay', ['relay'], { NOVA_KAFKA_BROKERS: 'k:9092', NOVA_KAFKA_PASSWORD: SECRET }, /KAFKA_OPTION_INVALID: NOVA_KAFKA_PASSWORD is set but no SASL mechanism/],
    ['relay', ['relay', '--sasl-mechanism', 'kerberos'], { NOVA_KAFKA_BROKERS: 'k:9092', NOVA_KAFKA_USERNAME: 'u', NOVA_KAFKA_PASSWORD: SECRET }, /KAFKA_OPTION_INVALID: --sasl-mechanism must be one of/],
    ['lag', ['lag', '--group', 'g'], { NOVA_KAFKA_BROKERS: 'k:9092', NOVA_KAFKA_SASL_MECHANISM: 'plain', NOVA_KAFKA_PASSWORD: SECRET }, /KAFKA_OPTION_INVALID: the SASL username is missing/],
    ['lag', ['lag', '--group', 'g', '--max-lag', 'many'], { NOVA_KAFKA_BROKERS: 'k:9092' }, /--max-lag must be a non-negative whole number/],
    ['topics', ['topics', 'plan', '--topic-prefix', 'a b'], { NOVA_KAFKA_BROKERS: 'k:9092' }, /TOPIC_NAME_INVALID/],
    ['topics', ['topics', 'apply'], { NOVA_KAFKA_BROKERS: 'k:9092', NOVA_KAFKA_SSL: 'perhaps' }, /KAFKA_OPTION_INVALID: NOVA_KAFKA_SSL must be true or false/],
  ])('%s refuses a bad connection before connecting (exit 2, no password)', async (_name, args, env, message) => {
    const result = await cli(args, repoRoot, { ...base, ...env });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stdout + result.stderr).not.toContain(SECRET);
  });
});
