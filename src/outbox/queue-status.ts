import type { AdminQueryable } from './admin.js';
import type { OutboxTable } from './table.js';

/** What the relay's queue gauges show: pending and dead rows, and the oldest pending row's age. */
export interface QueueStatus {
  readonly pending: number;
  readonly dead: number;
  /** Null when nothing is pending. */
  readonly oldestPendingAgeMs: number | null;
}

/**
 * The relay's periodic gauge query. Lighter than `outboxStatus`: it never counts published rows
 * (up to the retention period's worth), only the pending and dead ones, each through its partial
 * index, so its cost follows the backlog, not the table.
 */
export function queueStatusStatement(t: OutboxTable): string {
  const pending = 'published_at IS NULL AND dead_at IS NULL';
  return `SELECT (SELECT count(*) FROM ${t.qualified} WHERE ${pending}) AS pending,
  (SELECT count(*) FROM ${t.qualified} WHERE dead_at IS NOT NULL) AS dead,
  extract(epoch FROM now() - (SELECT min(created_at) FROM ${t.qualified} WHERE ${pending})) * 1000 AS oldest_pending_age_ms`;
}

/** Runs the gauge query. */
export async function queueStatus(db: AdminQueryable, t: OutboxTable, statement = queueStatusStatement(t)): Promise<QueueStatus> {
  const [row] = (await db.query(statement)).rows;
  const age = row?.['oldest_pending_age_ms'];
  return {
    pending: Number(row?.['pending'] ?? 0),
    dead: Number(row?.['dead'] ?? 0),
    oldestPendingAgeMs: age === null || age === undefined ? null : Math.max(0, Number(age)),
  };
}
