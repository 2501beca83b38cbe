import { Option, type Command } from 'commander';
import type { Pool } from 'pg';
import type { OutboxTable } from '../outbox/table.js';
import { redactSecrets } from '../registry/redact.js';
import { NovaError } from '../util/errors.js';
import type { RuleId } from '../diagnostics/rules.js';

/** Rule id of a database the outbox commands cannot reach or log in to. */
export const DATABASE_UNAVAILABLE = 'DATABASE_UNAVAILABLE' satisfies RuleId;

/** The database options of an outbox command line. */
export interface DatabaseFlags {
  readonly databaseUrl?: string;
  readonly schema?: string;
  readonly table?: string;
}

/** Adds `--database-url`, `--schema` and `--table` to a command. */
export function addDatabaseOptions(command: Command): Command {
  return command
    .addOption(new Option('--database-url <url>', 'PostgreSQL URL (else NOVA_OUTBOX_DATABASE_URL)'))
    .addOption(new Option('--schema <name>', 'schema of the outbox table').default('public'))
    .addOption(new Option('--table <name>', 'name of the outbox table').default('outbox_events'));
}

/** Help text on the database connection. */
export const DATABASE_HELP = `
Database: the URL from --database-url or NOVA_OUTBOX_DATABASE_URL
(postgres://user:password@host:5432/db; PGPASSWORD and the other libpq variables also work).
The password never appears in output; an unreachable database ends the command with exit 3.`;

/** A database connection: the URL, what may be shown of it, and the secret to redact. */
export interface DatabaseConnection {
  readonly url: string;
  /** host:port/database, without user or password. */
  readonly display: string;
  readonly password: string | undefined;
}

/** The connection from flags and environment. */
export function databaseConnection(flags: DatabaseFlags, env: Readonly<Record<string, string | undefined>>): DatabaseConnection {
  const url = flags.databaseUrl ?? env['NOVA_OUTBOX_DATABASE_URL'];
  if (!url) {
    throw new NovaError('DATABASE_URL_MISSING', 'no outbox database URL', {
      hint: 'pass --database-url, or set NOVA_OUTBOX_DATABASE_URL (e.g. postgres://postgres@127.0.0.1:5432/test)',
    });
  }
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new NovaError('DATABASE_URL_INVALID', 'the outbox database URL is not a valid URL', { hint: 'use postgres://user:password@host:5432/database' });
  }
  if (parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:') {
    throw new NovaError('DATABASE_URL_INVALID', `the outbox database URL must start with postgres:// (got ${parsed.protocol}//)`);
  }
  const password = parsed.password ? decodeURIComponent(parsed.password) : env['PGPASSWORD'];
  return { url, display: `${parsed.hostname}${parsed.port ? `:${parsed.port}` : ''}${parsed.pathname}`, password };
}

/** A node-postgres pool (pg is loaded here, by the outbox commands only). */
export async function openPool(connection: DatabaseConnection, applicationName: string, max = 4): Promise<Pool> {
  const { default: pg } = await import('pg');
  const pool = new pg.Pool({ connectionString: connection.url, application_name: applicationName, max, connectionTimeoutMillis: 10_000 });
  pool.on('error', () => {});
  return pool;
}

/** A database failure as the CLI reports it: the host, never the password; exit 3. */
export function databaseError(connection: DatabaseConnection, table: OutboxTable, error: unknown): NovaError {
  if (error instanceof NovaError) return error;
  const code = (error as { code?: unknown }).code;
  const text = redactSecrets(error instanceof Error ? error.message || String((error as { code?: unknown }).code) : String(error), [connection.password]);
  if (code === '42P01' || code === '3F000') {
    return new NovaError('OUTBOX_TABLE_MISSING', `the outbox table ${table.qualified} does not exist on ${connection.display}`, {
      hint: `run \`nova-events outbox migrate --schema ${table.schema}\``,
    });
  }
  return new NovaError(DATABASE_UNAVAILABLE, `the database at ${connection.display} failed: ${text}`, {
    hint: 'check --database-url / NOVA_OUTBOX_DATABASE_URL and that PostgreSQL is running',
    retriable: true,
  });
}
