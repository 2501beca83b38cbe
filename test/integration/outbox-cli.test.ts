import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createOutbox } from '../../src/index.js';
import { outboxTable } from '../../src/outbox/table.js';
import { cli, repoRoot } from '../support/project.js';
import { databaseUrl, dropSchema, inTransaction, testPool } from './postgres.js';
import { brokers, createTopics, kafka, readRaw, registerAll, registryUrl, runId, specs, topicsFor } from './support.js';

const pool = testPool('nova-outbox-cli-test');
const schema = `outbox_cli_${runId()}`;
const env = { ...process.env, NOVA_OUTBOX_DATABASE_URL: databaseUrl };

afterAll(async () => {
  await dropSchema(pool, schema);
  await pool.end();
});

describe('nova-events outbox', () => {
  it('migrate creates the table, and running it again changes nothing', async () => {
    const first = await cli(['outbox', 'migrate', '--schema', schema], repoRoot, env);
    expect(first.code).toBe(0);
    expect(first.stdout).toContain(`outbox "${schema}"."outbox_events" on `);
    const again = await cli(['outbox', 'migrate', '--schema', schema, '--format', 'json'], repoRoot, env);
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ table: `"${schema}"."outbox_events"`, statements: 7 });
    const { rows } = await pool.query('SELECT count(*)::int AS n FROM information_schema.tables WHERE table_schema = $1', [schema]);
    expect(rows[0].n).toBe(1);
  });

  it('migrate --print needs no database and prints the same DDL', async () => {
    const printed = await cli(['outbox', 'migrate', '--print', '--schema', 'content'], repoRoot, { ...process.env, NOVA_OUTBOX_DATABASE_URL: undefined });
    expect(printed.code).toBe(0);
    expect(printed.stdout).toContain('CREATE TABLE IF NOT EXISTS "content"."outbox_events"');
  });

  it('status counts pending, dead and published rows; retry --dead re-queues the dead ones', async () => {
    await registerAll(specs.filter((s) => s.type === 'post.liked'));
    const outbox = createOutbox({ registry: { url: registryUrl }, schema, events: ['post.liked'] });
    await outbox.connect();
    await inTransaction(pool, async (tx) => {
      for (let i = 0; i < 3; i++) await outbox.enqueue(tx, 'post.liked', { post_id: randomUUID(), user_id: randomUUID(), liked_at: new Date() });
    });
    const table = outboxTable({ schema });
    await pool.query(`UPDATE ${table.qualified} SET dead_at = now(), retry_count = 5 WHERE seq = (SELECT min(seq) FROM ${table.qualified})`);
    const status = await cli(['outbox', 'status', '--schema', schema, '--format', 'json'], repoRoot, env);
    expect(status.code).toBe(0);
    const parsed = JSON.parse(status.stdout);
    expect(parsed).toMatchObject({ pending: 2, dead: 1, published: 0 });
    expect(parsed.oldestPendingAgeMs).toBeGreaterThanOrEqual(0);
    const text = await cli(['outbox', 'status', '--schema', schema], repoRoot, env);
    expect(text.stdout).toMatch(/2 pending \(oldest \d+ m?s\), 1 dead, 0 published/);
    const retried = await cli(['outbox', 'retry', '--dead', '--schema', schema], repoRoot, env);
    expect(retried.stdout).toBe('re-queued 1 dead row(s)\n');
    expect(JSON.parse((await cli(['outbox', 'status', '--schema', schema, '--format', 'json'], repoRoot, env)).stdout)).toMatchObject({ pending: 3, dead: 0 });
    const { rows } = await pool.query(`SELECT retry_count FROM ${table.qualified} ORDER BY seq LIMIT 1`);
    expect(rows[0].retry_count).toBe(0);
  });

  it.each([
    ['an unreachable database', ['outbox', 'status'], 'postgres://relay:s3cretPassw0rd@127.0.0.1:1/test', 3, /DATABASE_UNAVAILABLE: the database at 127\.0\.0\.1:1\/test failed/],
    ['a wrong password-less user on a missing database', ['outbox', 'status'], 'postgres://nobody:s3cretPassw0rd@127.0.0.1:5432/no_such_db_x', 3, /DATABASE_UNAVAILABLE: the database at 127\.0\.0\.1:5432\/no_such_db_x failed/],
    ['no URL at all', ['outbox', 'status'], undefined, 2, /DATABASE_URL_MISSING/],
    ['a URL of another scheme', ['outbox', 'status'], 'mysql://u:s3cretPassw0rd@h/db', 2, /must start with postgres:\/\//],
    ['a schema that is not an identifier', ['outbox', 'status', '--schema', 'a;drop'], databaseUrl, 2, /OUTBOX_IDENTIFIER_INVALID/],
    ['a table that was never migrated', ['outbox', 'status', '--schema', 'never_migrated_x'], databaseUrl, 2, /OUTBOX_TABLE_MISSING.*\n.*outbox migrate/],
    ['a relay without brokers', ['relay', '--schema', 'x'], databaseUrl, 2, /KAFKA_BROKERS_MISSING/],
    ['a relay with a bad batch size', ['relay', '--batch-size', '0', '--brokers', '127.0.0.1:1'], databaseUrl, 2, /--batch-size must be a positive whole number/],
  ])('%s exits with its code', async (_name, args, url, exitCode, message) => {
    const result = await cli(args as string[], repoRoot, { ...process.env, NOVA_OUTBOX_DATABASE_URL: url as string | undefined, NOVA_KAFKA_BROKERS: undefined, KAFKA_BROKERS: undefined });
    expect(result.code).toBe(exitCode);
    expect(result.stderr).toMatch(message as RegExp);
    expect(result.stdout + result.stderr).not.toContain('s3cretPassw0rd');
  });
});

describe('nova-events relay', () => {
  it('publishes, then on SIGTERM finishes and exits 0', async () => {
    const run = runId();
    const relaySchema = `outbox_relay_${run}`;
    const topics = topicsFor(run);
    await createTopics(kafka(), [{ topic: topics['nova.content.events']!, numPartitions: 2 }]);
    expect((await cli(['outbox', 'migrate', '--schema', relaySchema], repoRoot, env)).code).toBe(0);
    try {
      const outbox = createOutbox({ registry: { url: registryUrl }, schema: relaySchema, topics, events: ['post.liked'] });
      await outbox.connect();
      const ids = await inTransaction(pool, async (tx) => {
        const enqueued: string[] = [];
        for (let i = 0; i < 10; i++) enqueued.push((await outbox.enqueue(tx, 'post.liked', { post_id: randomUUID(), user_id: randomUUID(), liked_at: new Date() })).eventId);
        return enqueued;
      });
      const child = spawn(process.execPath, [join(repoRoot, 'bin', 'nova-events.js'), 'relay', '--schema', relaySchema, '--brokers', brokers.join(','), '--poll-interval', '200'], {
        env: { ...env, NOVA_OUTBOX_DATABASE_URL: databaseUrl.replace('postgres://postgres@', 'postgres://postgres:n0tUsedPassw0rd@') },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stderr = '';
      child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      const received = await readRaw(kafka(), [topics['nova.content.events']!], 10);
      expect(new Set(received.map((m) => String(m.message.headers!['event_id'])))).toEqual(new Set(ids));
      child.kill('SIGTERM');
      const code = await new Promise<number | null>((resolve) => child.once('exit', (c) => resolve(c)));
      expect(code).toBe(0);
      expect(stderr).toContain(`relaying "${relaySchema}"."outbox_events" on 127.0.0.1:5432/test`);
      expect(stderr).toContain('relay stopped');
      expect(stderr).not.toContain('n0tUsedPassw0rd');
    } finally {
      await dropSchema(pool, relaySchema);
    }
  });
});
