import { migrationStatements, relayStatements, type OutboxTable } from './table.js';

/** The query part of a node-postgres client or pool. */
export interface AdminQueryable {
  query(text: string, values?: unknown[]): Promise<{ rows: Record<string, unknown>[]; rowCount: number | null }>;
}

/** The outbox's counts, for `nova-events outbox status`. */
export interface OutboxStatus {
  readonly table: string;
  readonly pending: number;
  readonly dead: number;
  readonly published: number;
  /** Age of the oldest pending row, or null when nothing is pending. */
  readonly oldestPendingAgeMs: number | null;
}

/**
 * Creates the outbox schema, table and indexes if missing. Runs in one transaction under an
 * advisory lock, so that two deploys migrating at once neither fail nor half-apply.
 */
export async function migrateOutbox(db: { connect(): Promise<AdminQueryable & { release(error?: Error | boolean): void }> }, table: OutboxTable): Promise<{ readonly statements: number }> {
  const client = await db.connect();
  let failure: Error | undefined;
  try {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [`nova-events migrate ${table.qualified}`]);
    const statements = migrationStatements(table);
    for (const statement of statements) await client.query(statement);
    await client.query('COMMIT');
    return { statements: statements.length };
  } catch (error) {
    failure = error as Error;
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  } finally {
    client.release(failure);
  }
}

/** Counts of pending, dead and published rows, and the oldest pending row's age. */
export async function outboxStatus(db: AdminQueryable, table: OutboxTable): Promise<OutboxStatus> {
  const [row] = (await db.query(relayStatements(table).status)).rows;
  const age = row?.['oldest_pending_age_ms'];
  return {
    table: table.qualified,
    pending: Number(row?.['pending'] ?? 0),
    dead: Number(row?.['dead'] ?? 0),
    published: Number(row?.['published'] ?? 0),
    oldestPendingAgeMs: age === null || age === undefined ? null : Math.round(Number(age)),
  };
}

/** Puts up to `limit` dead rows back in the queue, oldest first, with their attempts reset. */
export async function retryDeadRows(db: AdminQueryable, table: OutboxTable, limit: number): Promise<{ readonly requeued: number }> {
  const { rowCount } = await db.query(relayStatements(table).retryDead, [limit]);
  return { requeued: rowCount ?? 0 };
}
