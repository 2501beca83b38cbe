import { Option, type Command } from 'commander';
import type { Kafka } from 'kafkajs';
import { NovaError } from '../util/errors.js';

/** The broker options of a command line. */
export interface KafkaFlags {
  readonly brokers?: string;
}

/** Adds `--brokers` to a command. */
export function addKafkaOptions(command: Command): Command {
  return command.addOption(new Option('--brokers <list>', 'Kafka bootstrap brokers, comma separated (else NOVA_KAFKA_BROKERS, else KAFKA_BROKERS)'));
}

/** The bootstrap brokers from flags and environment. */
export function kafkaBrokers(flags: KafkaFlags, env: Readonly<Record<string, string | undefined>>): string[] {
  const list = flags.brokers ?? env['NOVA_KAFKA_BROKERS'] ?? env['KAFKA_BROKERS'];
  const brokers = (list ?? '').split(',').map((b) => b.trim()).filter((b) => b.length > 0);
  if (brokers.length === 0) {
    throw new NovaError('KAFKA_BROKERS_MISSING', 'no Kafka brokers', { hint: 'pass --brokers host:9092, or set NOVA_KAFKA_BROKERS' });
  }
  const bad = brokers.find((b) => !/^[^\s:]+:\d{1,5}$/.test(b));
  if (bad !== undefined) throw new NovaError('KAFKA_BROKERS_INVALID', `the broker ${JSON.stringify(bad)} is not host:port`);
  return brokers;
}

/** A kafkajs client for a CLI command (kafkajs is loaded here, by the commands that talk to Kafka only). */
export async function kafkaClient(brokers: readonly string[], clientId: string): Promise<Kafka> {
  const { Kafka, logLevel } = await import('kafkajs');
  return new Kafka({ clientId, brokers: [...brokers], logLevel: logLevel.NOTHING });
}
