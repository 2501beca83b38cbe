import { Option, type Command } from 'commander';
import { EXIT } from '../exit-codes.js';
import { addDatabaseOptions, DATABASE_HELP, databaseConnection, databaseError, openPool, type DatabaseConnection, type DatabaseFlags } from '../database-options.js';
import { formatOption, positiveInteger, type CliIO } from '../io.js';
import { createReporter } from '../reporter.js';
import type { OutboxTable } from '../../outbox/table.js';
import type { Pool } from 'pg';

interface OutboxFlags extends DatabaseFlags {
  readonly format: 'text' | 'json';
}

/** Opens the database of an outbox command, runs `work`, and reports failures with the host only. */
async function withDatabase<T>(flags: DatabaseFlags, io: CliIO, work: (pool: Pool, table: OutboxTable, connection: DatabaseConnection) => Promise<T>): Promise<T> {
  const { outboxTable } = await import('../../outbox/table.js');
  const table = outboxTable(flags);
  const connection = databaseConnection(flags, io.env);
  const pool = await openPool(connection, 'nova-events-cli', 1);
  try {
    return await work(pool, table, connection);
  } catch (error) {
    throw databaseError(connection, table, error);
  } finally {
    await pool.end().catch(() => {});
  }
}

function formatAge(ms: number | null): string {
  if (ms === null) return 'none pending';
  return ms < 1000 ? `oldest ${ms} ms` : ms < 120_000 ? `oldest ${(ms / 1000).toFixed(1)} s` : `oldest ${Math.round(ms / 60_000)} min`;
}

/** Registers `nova-events outbox migrate|status|retry`. */
export function registerOutbox(program: Command, io: CliIO, setExit: (code: number) => void): void {
  const outbox = program
    .command('outbox')
    .description('the transactional outbox table: migrate, status, retry dead rows, Debezium settings')
    .addHelpText(
      'after',
      `
Examples:
  $ nova-events outbox migrate --print > migrations/0042_outbox.sql
  $ NOVA_OUTBOX_DATABASE_URL=postgres://postgres@127.0.0.1:5432/test nova-events outbox migrate
  $ nova-events outbox status --format json
  $ nova-events outbox retry --dead
  $ nova-events outbox connector > debezium-outbox.json`,
    );

  addDatabaseOptions(outbox.command('migrate').description('create the outbox schema, table and indexes (idempotent)'))
    .option('--print', 'print the SQL instead of running it (for teams whose migrations are their own)')
    .addOption(formatOption(['text', 'json']))
    .addHelpText('after', `${DATABASE_HELP}\n\nExit codes: 0 done, 2 usage error, 3 database failure.`)
    .action(async (flags: OutboxFlags & { print?: boolean }) => {
      const { outboxTable, migrationScript, migrationStatements } = await import('../../outbox/table.js');
      if (flags.print) {
        const table = outboxTable(flags);
        createReporter(io, flags.format).result({ table: table.qualified, statements: migrationStatements(table) }, () => migrationScript(table));
        setExit(EXIT.OK);
        return;
      }
      const { migrateOutbox } = await import('../../outbox/admin.js');
      const result = await withDatabase(flags, io, async (pool, table, connection) => ({ ...(await migrateOutbox(pool, table)), table: table.qualified, database: connection.display }));
      createReporter(io, flags.format).result(result, () => `outbox ${result.table} on ${result.database}: up to date (${result.statements} idempotent statements applied)\n`);
      setExit(EXIT.OK);
    });

  outbox
    .command('connector')
    .description("print the Kafka Connect settings of Debezium's Outbox Event Router for this table (JSON)")
    .addOption(new Option('--schema <name>', 'schema of the outbox table').default('public'))
    .addOption(new Option('--table <name>', 'name of the outbox table').default('outbox_events'))
    .addHelpText(
      'after',
      `
For teams that move from the relay to CDC: Debezium then publishes the same key, value and
headers (plus its own "id" header). Add the database connection settings (database.hostname,
database.user, ...) and POST it to Kafka Connect. Needs no database.

Example:
  $ nova-events outbox connector --schema content | jq '{name: "content-outbox", config: .}'`,
    )
    .action(async (flags: DatabaseFlags) => {
      const { outboxTable, debeziumConnectorConfig } = await import('../../outbox/table.js');
      io.stdout(`${JSON.stringify(debeziumConnectorConfig(outboxTable(flags)), null, 2)}\n`);
      setExit(EXIT.OK);
    });

  addDatabaseOptions(outbox.command('status').description('pending, dead and published rows, and the age of the oldest pending one'))
    .addOption(formatOption(['text', 'json']))
    .addHelpText('after', `${DATABASE_HELP}\n\nJSON: {"table","pending","dead","published","oldestPendingAgeMs"}.\n\nExit codes: 0 done, 2 usage error or no outbox table, 3 database failure.`)
    .action(async (flags: OutboxFlags) => {
      const { outboxStatus } = await import('../../outbox/admin.js');
      const status = await withDatabase(flags, io, (pool, table) => outboxStatus(pool, table));
      createReporter(io, flags.format).result(status, () => `outbox ${status.table}: ${status.pending} pending (${formatAge(status.oldestPendingAgeMs)}), ${status.dead} dead, ${status.published} published\n`);
      setExit(EXIT.OK);
    });

  addDatabaseOptions(outbox.command('retry').description('put dead rows back in the queue, oldest first'))
    .requiredOption('--dead', 'the rows to retry: the dead ones')
    .addOption(new Option('--limit <n>', 'at most this many rows').default('1000000'))
    .addOption(formatOption(['text', 'json']))
    .addHelpText('after', `${DATABASE_HELP}\n\nA re-queued row is published after the rows of its aggregate that were published meanwhile.\n\nExit codes: 0 done, 2 usage error or no outbox table, 3 database failure.`)
    .action(async (flags: OutboxFlags & { limit: string }) => {
      const { retryDeadRows } = await import('../../outbox/admin.js');
      const limit = positiveInteger(flags.limit, '--limit');
      const result = await withDatabase(flags, io, (pool, table) => retryDeadRows(pool, table, limit));
      createReporter(io, flags.format).result(result, () => `re-queued ${result.requeued} dead row(s)\n`);
      setExit(EXIT.OK);
    });
}
