import { Option, type Command } from 'commander';
import { EXIT } from '../exit-codes.js';
import { addDatabaseOptions, DATABASE_HELP, databaseConnection, databaseError, openPool, type DatabaseFlags } from '../database-options.js';
import { positiveInteger, type CliIO } from '../io.js';
import { addKafkaOptions, KAFKA_HELP, kafkaClient, kafkaConnectionFor, type KafkaFlags } from '../kafka-options.js';

interface RelayFlags extends DatabaseFlags, KafkaFlags {
  readonly batchSize: string;
  readonly pollInterval: string;
  readonly maxAttempts: string;
  readonly retentionDays: string;
}

/** Registers `nova-events relay`. */
export function registerRelay(program: Command, io: CliIO, setExit: (code: number) => void): void {
  const command = program
    .command('relay')
    .description('publish committed outbox rows to Kafka, in order per key, until SIGTERM/SIGINT')
    .addOption(new Option('--batch-size <n>', 'rows claimed per batch').default('100'))
    .addOption(new Option('--poll-interval <ms>', 'polling fallback when no NOTIFY arrives').default('5000'))
    .addOption(new Option('--max-attempts <n>', 'attempts of a failing row before it is dead-lettered').default('5'))
    .addOption(new Option('--retention-days <n>', 'published rows older than this are deleted (0 keeps them)').default('30'));
  addKafkaOptions(addDatabaseOptions(command))
    .addHelpText(
      'after',
      `
Claims the oldest pending row of each aggregate (and the rows behind it) with FOR UPDATE SKIP
LOCKED, highest priority first, publishes them with the idempotent producer and the
Java-compatible partitioner, and marks them published once the broker acknowledged them. Any
number of relays may run at once; each key stays in commit order. Wakes on LISTEN/NOTIFY and
polls as a fallback. A failing row backs off and, after its last attempt, goes to
<topic>.dlq; its aggregate then moves on. While Kafka or the database is down the relay retries
with backoff, logging once per change. On SIGTERM/SIGINT it finishes the batch in flight and
exits 0.
${DATABASE_HELP}
${KAFKA_HELP}

Exit codes: 0 stopped by a signal, 2 usage error or no outbox table, 3 database failure.

Examples:
  $ NOVA_OUTBOX_DATABASE_URL=postgres://postgres@127.0.0.1:5432/test nova-events relay --brokers 127.0.0.1:19092
  $ nova-events relay --database-url postgres://relay@db:5432/content --schema content --batch-size 500`,
    )
    .action(async (flags: RelayFlags) => {
      const { outboxTable } = await import('../../outbox/table.js');
      const { createOutboxRelay } = await import('../../outbox/relay.js');
      const { redactSecrets } = await import('../../registry/redact.js');
      const table = outboxTable(flags);
      const connection = databaseConnection(flags, io.env);
      const kafka = await kafkaConnectionFor(flags, io);
      const batchSize = positiveInteger(flags.batchSize, '--batch-size');
      const pollIntervalMs = positiveInteger(flags.pollInterval, '--poll-interval');
      const maxAttempts = positiveInteger(flags.maxAttempts, '--max-attempts');
      const retentionDays = positiveInteger(flags.retentionDays, '--retention-days', { allowZero: true });
      const pool = await openPool(connection, 'nova-events-relay');
      const relay = createOutboxRelay({
        pool,
        kafka: await kafkaClient(kafka, 'nova-events-relay'),
        schema: table.schema,
        table: table.table,
        batchSize,
        pollIntervalMs,
        maxAttempts,
        retentionMs: retentionDays * 24 * 3600 * 1000,
        logger: (level, message) => io.stderr(`[relay] ${level}: ${redactSecrets(message, [connection.password, ...kafka.secrets])}\n`),
      });
      const stop = () => void relay.stop();
      process.once('SIGTERM', stop);
      process.once('SIGINT', stop);
      io.stderr(`relaying ${table.qualified} on ${connection.display} to ${kafka.display} (batch ${batchSize}, poll ${pollIntervalMs} ms)\n`);
      try {
        await relay.run();
      } catch (error) {
        throw databaseError(connection, table, error);
      } finally {
        process.removeListener('SIGTERM', stop);
        process.removeListener('SIGINT', stop);
        await pool.end().catch(() => {});
      }
      setExit(EXIT.OK);
    });
}
