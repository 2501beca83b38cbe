import pg from 'pg';
import { migrateOutbox } from '../../src/outbox/admin.js';
import { outboxTable, type OutboxTable } from '../../src/outbox/table.js';

/** The PostgreSQL the global setup found or started. */
export const databaseUrl = process.env['NOVA_OUTBOX_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';

/** A pool on the test database, tagged with `applicationName` (so a test can find and kill its connections). */
export function testPool(applicationName = 'nova-events-test', max = 10): pg.Pool {
  const pool = new pg.Pool({ connectionString: databaseUrl, application_name: applicationName, max });
  pool.on('error', () => {});
  return pool;
}

/** An outbox table in a schema of its own (one per test file or test), migrated. */
export async function freshOutbox(pool: pg.Pool, schema: string): Promise<OutboxTable> {
  const table = outboxTable({ schema });
  await migrateOutbox(pool, table);
  return table;
}

/** Drops a test's schema. */
export async function dropSchema(pool: pg.Pool, schema: string): Promise<void> {
  await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
}

/** Runs `work` in a transaction on one connection, committing on success. */
export async function inTransaction<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}

/** Terminates every backend of an application name (what a failover or an admin does to a relay). */
export async function terminateConnections(pool: pg.Pool, applicationName: string): Promise<number> {
  const { rows } = await pool.query('SELECT pg_terminate_backend(pid) AS killed FROM pg_stat_activity WHERE application_name = $1 AND pid <> pg_backend_pid()', [applicationName]);
  return rows.filter((r) => r.killed).length;
}
