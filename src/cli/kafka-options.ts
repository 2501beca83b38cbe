import { Option, type Command } from 'commander';
import { isAbsolute, resolve } from 'node:path';
import type { Admin, Kafka } from 'kafkajs';
import type { KafkaClientExtras } from '../kafka/client.js';
import { CONFIG_FILE, findProjectRoot } from '../contracts/discover.js';
import {
  KAFKA_ENV,
  kafkaSettingsFromConfig,
  kafkaSettingsFromEnv,
  mergeKafkaSettings,
  resolveKafkaConnection,
  SASL_MECHANISMS,
  type KafkaConnection,
  type KafkaSettings,
  type KafkaSettingName,
  type KafkaSettingSource,
} from '../kafka/connection.js';

/** The Kafka connection options of a command line (no password flag: a flag shows in the process list). */
export interface KafkaFlags {
  readonly brokers?: string;
  readonly saslMechanism?: string;
  readonly saslUsername?: string;
  readonly ssl?: boolean;
  readonly sslCaFile?: string;
}

/** Adds `--brokers`, `--sasl-mechanism`, `--sasl-username`, `--ssl` and `--ssl-ca-file` to a command. */
export function addKafkaOptions(command: Command): Command {
  return command
    .addOption(new Option('--brokers <list>', `Kafka bootstrap brokers, comma separated (else ${KAFKA_ENV.brokers}, ${KAFKA_ENV.brokersFallback}, kafka.brokers in ${CONFIG_FILE})`))
    .addOption(new Option('--sasl-mechanism <mechanism>', `SASL mechanism: ${SASL_MECHANISMS.join(', ')} (else ${KAFKA_ENV.mechanism})`))
    .addOption(new Option('--sasl-username <name>', `SASL user (else ${KAFKA_ENV.username}); the password only from ${KAFKA_ENV.password} or the config file`))
    .addOption(new Option('--ssl', `TLS to the brokers (else ${KAFKA_ENV.ssl}=true)`))
    .addOption(new Option('--ssl-ca-file <pem>', `CA certificates of the brokers (implies --ssl; else ${KAFKA_ENV.caFile})`));
}

/** Help text on where the Kafka connection comes from. */
export const KAFKA_HELP = `
Kafka connection: brokers from --brokers, ${KAFKA_ENV.brokers}, ${KAFKA_ENV.brokersFallback} or
kafka.brokers in ${CONFIG_FILE}; SASL from --sasl-mechanism/--sasl-username,
${KAFKA_ENV.mechanism} (${SASL_MECHANISMS.join(', ')}), ${KAFKA_ENV.username} and
${KAFKA_ENV.password}, or kafka.sasl in the config file; TLS from --ssl/--ssl-ca-file,
${KAFKA_ENV.ssl}=true and ${KAFKA_ENV.caFile}, or kafka.ssl/kafka.caFile. Flags first, then the
environment, then the config file. The password is never printed; a cluster that cannot be
reached or refuses the credentials ends the command with exit code 3.`;

function flagSettings(flags: KafkaFlags, cwd: string): KafkaSettings {
  const sources: Partial<Record<KafkaSettingName, KafkaSettingSource>> = {};
  const out: Record<string, unknown> = {};
  const set = (key: KafkaSettingName, value: unknown, field: string) => {
    if (value === undefined) return;
    out[key] = value;
    sources[key] = { field };
  };
  set('brokers', flags.brokers, '--brokers');
  set('mechanism', flags.saslMechanism, '--sasl-mechanism');
  set('username', flags.saslUsername, '--sasl-username');
  set('ssl', flags.ssl === true ? true : undefined, '--ssl');
  set('caFile', flags.sslCaFile !== undefined ? resolve(cwd, flags.sslCaFile) : undefined, '--ssl-ca-file');
  return { ...out, sources } as KafkaSettings;
}

/**
 * The connection from flags, environment and the config file's `kafka` section, in that order,
 * checked (a bad one is a usage error, exit 2, before anything connects). `config` is the
 * project's config when the command loaded one; otherwise the nearest config file above the
 * working folder is read, if there is one. A relative CA file in the config file is relative to
 * the project root.
 */
export async function kafkaConnectionFor(
  flags: KafkaFlags,
  io: { readonly cwd: string; readonly env: Readonly<Record<string, string | undefined>> },
  project?: { readonly root: string; readonly config: object },
): Promise<KafkaConnection> {
  let found = project;
  if (!found) {
    const root = findProjectRoot(io.cwd);
    if (root !== undefined) {
      const { readConfig } = await import('../contracts/load.js');
      found = { root, config: readConfig(root) };
    }
  }
  const fromConfig = kafkaSettingsFromConfig(found ? (found.config as { kafka?: unknown }).kafka : undefined, CONFIG_FILE);
  const configSettings = fromConfig.caFile !== undefined && found && !isAbsolute(fromConfig.caFile) ? { ...fromConfig, caFile: resolve(found.root, fromConfig.caFile) } : fromConfig;
  const env = kafkaSettingsFromEnv(io.env);
  const envSettings = env.caFile !== undefined ? { ...env, caFile: resolve(io.cwd, env.caFile) } : env;
  return resolveKafkaConnection(mergeKafkaSettings(flagSettings(flags, io.cwd), envSettings, configSettings));
}

/** kafkajs settings of a one-shot command: a short retry, so an unreachable cluster fails in seconds, not minutes. */
export const ONE_SHOT: KafkaClientExtras = { connectionTimeout: 3_000, retry: { retries: 2, initialRetryTime: 300, maxRetryTime: 2_000 } };

/** A kafkajs client for a CLI command, without kafkajs logging (kafkajs is loaded here, by the commands that talk to Kafka only). */
export async function kafkaClient(connection: KafkaConnection, clientId: string, extras: KafkaClientExtras = {}): Promise<Kafka> {
  const { createKafka } = await import('../kafka/client.js');
  const { logLevel } = await import('kafkajs');
  return createKafka(connection, { logLevel: logLevel.NOTHING, ...extras, clientId });
}

/**
 * Runs `work` with a connected kafkajs admin client and disconnects it after; a kafkajs failure
 * becomes KAFKA_UNAVAILABLE, KAFKA_AUTH_FAILED or KAFKA_REQUEST_FAILED (exit 3, no password),
 * saying what was being done.
 */
export async function withAdmin<T>(connection: KafkaConnection, clientId: string, work: (admin: Admin, step: (action: string) => void) => Promise<T>): Promise<T> {
  const { kafkaError } = await import('../kafka/errors.js');
  const admin = (await kafkaClient(connection, clientId, ONE_SHOT)).admin();
  let action = `connecting to ${connection.brokers.join(',')}`;
  try {
    await admin.connect();
    return await work(admin, (next) => {
      action = next;
    });
  } catch (error) {
    throw kafkaError(error, connection, action);
  } finally {
    await admin.disconnect().catch(() => {});
  }
}
