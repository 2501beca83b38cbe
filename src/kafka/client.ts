import { readFileSync } from 'node:fs';
import { Kafka, logLevel as LogLevel, type KafkaConfig, type logCreator, type LogEntry, type SASLOptions } from 'kafkajs';
import { redactSecrets } from '../registry/redact.js';
import { NovaError } from '../util/errors.js';
import { KAFKA_CA_UNREADABLE, kafkaConnection, type KafkaConnection, type KafkaConnectionOptions } from './connection.js';

/** kafkajs settings `createKafka` passes through (everything but the connection itself). */
export type KafkaClientExtras = Omit<KafkaConfig, 'brokers' | 'sasl' | 'ssl'>;

const LABEL: Record<number, string> = { [LogLevel.ERROR]: 'ERROR', [LogLevel.WARN]: 'WARN', [LogLevel.INFO]: 'INFO', [LogLevel.DEBUG]: 'DEBUG' };

/** kafkajs's own console format: one JSON line per entry. */
const consoleLogCreator: logCreator = () => ({ namespace, level, log }) => {
  const line = JSON.stringify({ level: LABEL[level] ?? String(level), logger: 'kafkajs', ...(namespace ? { namespace } : {}), ...log });
  if (level === LogLevel.ERROR) console.error(line);
  else if (level === LogLevel.WARN) console.warn(line);
  else console.log(line);
};

/** A log creator whose entries never carry the connection's secrets (they are replaced by `***`). */
export function redactingLogCreator(inner: logCreator, secrets: readonly string[]): logCreator {
  if (secrets.length === 0) return inner;
  return (level) => {
    const write = inner(level);
    return (entry: LogEntry) => {
      const text = JSON.stringify(entry.log);
      const clean = redactSecrets(text, secrets);
      write(clean === text ? entry : { ...entry, log: JSON.parse(clean) as LogEntry['log'] });
    };
  };
}

/** The kafkajs configuration of a checked connection (the CA file, when there is one, is read here). */
export function kafkaConfig(connection: KafkaConnection, extras: KafkaClientExtras = {}): KafkaConfig {
  let ssl: KafkaConfig['ssl'] = connection.ssl;
  if (connection.caFile !== undefined) {
    try {
      ssl = { ca: [readFileSync(connection.caFile, 'utf8')] };
    } catch (error) {
      throw new NovaError(KAFKA_CA_UNREADABLE, `the Kafka CA file ${connection.caFile} cannot be read: ${(error as NodeJS.ErrnoException).code ?? String(error)}`, {});
    }
  }
  const sasl = connection.sasl ? ({ mechanism: connection.sasl.mechanism, username: connection.sasl.username, password: connection.sasl.password } as SASLOptions) : undefined;
  return {
    ...extras,
    clientId: extras.clientId ?? connection.clientId ?? 'nova-events',
    brokers: [...connection.brokers],
    ssl,
    ...(sasl ? { sasl } : {}),
    logCreator: redactingLogCreator(extras.logCreator ?? consoleLogCreator, connection.secrets),
  };
}

/**
 * A kafkajs client from nova-events's connection options: brokers, SASL (plain,
 * scram-sha-256, scram-sha-512) and TLS with a CA file, checked as the CLI checks them.
 * kafkajs's log lines never carry the password.
 *
 * ```ts
 * const kafka = createKafka({ ...kafkaOptionsFromEnv(process.env), clientId: 'feed-service' });
 * ```
 */
export function createKafka(options: KafkaConnectionOptions | KafkaConnection, extras: KafkaClientExtras = {}): Kafka {
  const connection = 'display' in options && 'secrets' in options ? (options as KafkaConnection) : kafkaConnection(options);
  return new Kafka(kafkaConfig(connection, extras));
}
