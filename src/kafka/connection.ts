import { redactSecrets } from '../registry/redact.js';
import { NovaError } from '../util/errors.js';

/** Rule id of a connection that names no broker. */
export const KAFKA_BROKERS_MISSING = 'KAFKA_BROKERS_MISSING';
/** Rule id of a broker address that is not `host:port`. */
export const KAFKA_BROKERS_INVALID = 'KAFKA_BROKERS_INVALID';
/** Rule id of a Kafka connection setting of the wrong type, an unknown SASL mechanism, or SASL without its credentials. */
export const KAFKA_OPTION_INVALID = 'KAFKA_OPTION_INVALID';
/** Rule id of a TLS CA file that cannot be read. */
export const KAFKA_CA_UNREADABLE = 'KAFKA_CA_UNREADABLE';

/** The environment variables a Kafka connection is read from; `KAFKA_BROKERS` (the seeds' name) is the brokers' fallback. */
export const KAFKA_ENV = {
  brokers: 'NOVA_KAFKA_BROKERS',
  brokersFallback: 'KAFKA_BROKERS',
  mechanism: 'NOVA_KAFKA_SASL_MECHANISM',
  username: 'NOVA_KAFKA_USERNAME',
  password: 'NOVA_KAFKA_PASSWORD',
  ssl: 'NOVA_KAFKA_SSL',
  caFile: 'NOVA_KAFKA_CA_FILE',
} as const;

/** The SASL mechanisms a connection may use (kafkajs's names; `SCRAM-SHA-256` and the like are accepted too). */
export const SASL_MECHANISMS = ['plain', 'scram-sha-256', 'scram-sha-512'] as const;

/** A SASL mechanism. */
export type SaslMechanism = (typeof SASL_MECHANISMS)[number];

/**
 * How to reach a Kafka cluster: what `createKafka` takes and what every CLI command that talks
 * to the broker gathers from its flags, the environment and the config file's `kafka` section.
 */
export interface KafkaConnectionOptions {
  /** Bootstrap brokers, `host:port`, as a list or comma separated. */
  readonly brokers?: string | readonly string[];
  readonly clientId?: string;
  /** SASL authentication; the password never appears in output or logs. */
  readonly sasl?: { readonly mechanism: SaslMechanism | string; readonly username: string; readonly password: string };
  /** TLS to the brokers (implied by `caFile`). */
  readonly ssl?: boolean;
  /** PEM file of the CA certificates that sign the brokers' certificates. */
  readonly caFile?: string;
}

/**
 * One layer of connection settings (flags, environment or config file), flat so layers merge
 * field by field. `sources` names where each field came from (a flag, a variable or a JSON
 * pointer), for errors.
 */
export interface KafkaSettings {
  readonly brokers?: string | readonly string[];
  readonly clientId?: string;
  readonly mechanism?: string;
  readonly username?: string;
  readonly password?: string;
  readonly ssl?: boolean;
  readonly caFile?: string;
  readonly sources?: Readonly<Partial<Record<KafkaSettingName, KafkaSettingSource>>>;
}

/** The fields of a settings layer. */
export type KafkaSettingName = 'brokers' | 'clientId' | 'mechanism' | 'username' | 'password' | 'ssl' | 'caFile';

/** Where a setting came from: a flag or variable name, or a file and a JSON pointer into it. */
export interface KafkaSettingSource {
  readonly field: string;
  readonly file?: string;
  readonly pointer?: string;
}

/** A checked connection: brokers, authentication, TLS, what may be shown of it and what must never be. */
export interface KafkaConnection {
  readonly brokers: readonly string[];
  readonly clientId: string | undefined;
  readonly sasl: { readonly mechanism: SaslMechanism; readonly username: string; readonly password: string } | undefined;
  readonly ssl: boolean;
  readonly caFile: string | undefined;
  /** `brokers (SASL_SSL scram-sha-512 as alice)`: never the password. */
  readonly display: string;
  /** Every secret of the connection, removed from any text shown. */
  readonly secrets: readonly string[];
}

type Env = Readonly<Record<string, string | undefined>>;

function invalid(source: KafkaSettingSource | undefined, fallbackField: string, what: string, hint?: string): NovaError {
  const field = source?.field ?? fallbackField;
  return new NovaError(KAFKA_OPTION_INVALID, `${field} ${what}`, {
    ...(source?.file !== undefined ? { file: source.file } : {}),
    ...(source?.pointer !== undefined ? { pointer: source.pointer } : {}),
    ...(hint !== undefined ? { hint } : {}),
  });
}

function parseBoolean(text: string, source: KafkaSettingSource): boolean {
  const value = text.trim().toLowerCase();
  if (['1', 'true', 'yes', 'on'].includes(value)) return true;
  if (['0', 'false', 'no', 'off'].includes(value)) return false;
  throw invalid(source, source.field, `must be true or false (got ${JSON.stringify(text.slice(0, 40))})`);
}

/** The Kafka settings in the environment (`NOVA_KAFKA_*`, then `KAFKA_BROKERS`); empty variables count as unset. */
export function kafkaSettingsFromEnv(env: Env): KafkaSettings {
  const read = (name: string) => (env[name] ? env[name] : undefined);
  const sources: Partial<Record<KafkaSettingName, KafkaSettingSource>> = {};
  const out: Record<string, unknown> = {};
  const brokersVar = read(KAFKA_ENV.brokers) !== undefined ? KAFKA_ENV.brokers : KAFKA_ENV.brokersFallback;
  const pairs: Array<[KafkaSettingName, string]> = [
    ['brokers', brokersVar],
    ['mechanism', KAFKA_ENV.mechanism],
    ['username', KAFKA_ENV.username],
    ['password', KAFKA_ENV.password],
    ['caFile', KAFKA_ENV.caFile],
  ];
  for (const [key, name] of pairs) {
    const value = read(name);
    if (value === undefined) continue;
    out[key] = value;
    sources[key] = { field: name };
  }
  const ssl = read(KAFKA_ENV.ssl);
  if (ssl !== undefined) {
    sources.ssl = { field: KAFKA_ENV.ssl };
    out['ssl'] = parseBoolean(ssl, sources.ssl);
  }
  return { ...out, sources } as KafkaSettings;
}

/**
 * The `kafka` section of a config file (untrusted: every field is type-checked, and a wrong one
 * is a KAFKA_OPTION_INVALID naming its JSON pointer):
 * `{ brokers, clientId, sasl: { mechanism, username, password }, ssl, caFile }`.
 */
export function kafkaSettingsFromConfig(value: unknown, file: string): KafkaSettings {
  if (value === undefined) return {};
  const at = (pointer: string): KafkaSettingSource => ({ field: `"${pointer.slice(1).split('/').join('.')}" in ${file}`, file, pointer });
  const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
  if (!isObject(value)) throw invalid(at('/kafka'), 'kafka', 'must be an object');
  const sources: Partial<Record<KafkaSettingName, KafkaSettingSource>> = {};
  const out: Record<string, unknown> = {};
  const str = (key: KafkaSettingName, raw: unknown, pointer: string) => {
    if (raw === undefined) return;
    sources[key] = at(pointer);
    if (typeof raw !== 'string') throw invalid(sources[key], key, 'must be a string');
    out[key] = raw;
  };
  const brokers = value['brokers'];
  if (brokers !== undefined) {
    sources.brokers = at('/kafka/brokers');
    if (Array.isArray(brokers)) {
      brokers.forEach((b, i) => {
        if (typeof b !== 'string') throw invalid(at(`/kafka/brokers/${i}`), 'brokers', 'must be a string');
      });
      out['brokers'] = brokers as string[];
    } else if (typeof brokers === 'string') out['brokers'] = brokers;
    else throw invalid(sources.brokers, 'brokers', 'must be a list of host:port strings or a comma-separated string');
  }
  str('clientId', value['clientId'], '/kafka/clientId');
  str('caFile', value['caFile'], '/kafka/caFile');
  if (value['ssl'] !== undefined) {
    sources.ssl = at('/kafka/ssl');
    if (typeof value['ssl'] !== 'boolean') throw invalid(sources.ssl, 'ssl', 'must be true or false');
    out['ssl'] = value['ssl'];
  }
  const sasl = value['sasl'];
  if (sasl !== undefined) {
    if (!isObject(sasl)) throw invalid(at('/kafka/sasl'), 'sasl', 'must be an object with mechanism, username and password');
    str('mechanism', sasl['mechanism'], '/kafka/sasl/mechanism');
    str('username', sasl['username'], '/kafka/sasl/username');
    str('password', sasl['password'], '/kafka/sasl/password');
  }
  return { ...out, sources } as KafkaSettings;
}

/** The settings of a `KafkaConnectionOptions` object (the library's form), each field type-checked. */
export function kafkaSettingsFromOptions(options: KafkaConnectionOptions): KafkaSettings {
  if (options === null || typeof options !== 'object') throw invalid(undefined, 'kafka options', 'must be an object with brokers');
  const sasl = options.sasl as unknown;
  if (sasl !== undefined && (sasl === null || typeof sasl !== 'object')) throw invalid({ field: 'sasl' }, 'sasl', 'must be an object with mechanism, username and password');
  const s = (sasl ?? {}) as Record<string, unknown>;
  const fields: Array<[KafkaSettingName, string, unknown]> = [
    ['brokers', 'brokers', options.brokers],
    ['clientId', 'clientId', options.clientId],
    ['mechanism', 'sasl.mechanism', s['mechanism']],
    ['username', 'sasl.username', s['username']],
    ['password', 'sasl.password', s['password']],
    ['ssl', 'ssl', options.ssl],
    ['caFile', 'caFile', options.caFile],
  ];
  const out: Record<string, unknown> = {};
  const sources: Partial<Record<KafkaSettingName, KafkaSettingSource>> = {};
  for (const [key, field, value] of fields) {
    if (value === undefined || (value === '' && field.startsWith('sasl.'))) continue;
    sources[key] = { field };
    const ok = key === 'ssl' ? typeof value === 'boolean' : key === 'brokers' ? typeof value === 'string' || Array.isArray(value) : typeof value === 'string';
    if (!ok) throw invalid(sources[key], field, key === 'ssl' ? 'must be true or false' : key === 'brokers' ? 'must be a list of host:port strings' : 'must be a string');
    out[key] = value;
  }
  return { ...out, sources } as KafkaSettings;
}

/** Layers of settings merged field by field, the first layer that sets a field winning (flags, then environment, then config). */
export function mergeKafkaSettings(...layers: readonly KafkaSettings[]): KafkaSettings {
  const out: Record<string, unknown> = {};
  const sources: Record<string, KafkaSettingSource> = {};
  for (const layer of layers) {
    for (const [key, value] of Object.entries(layer)) {
      if (key === 'sources' || value === undefined || out[key] !== undefined) continue;
      out[key] = value;
      const source = layer.sources?.[key as KafkaSettingName];
      if (source) sources[key] = source;
    }
  }
  return { ...out, sources } as KafkaSettings;
}

/** The mechanism's canonical name, or undefined when it is not one of SASL_MECHANISMS. */
function saslMechanism(text: string): SaslMechanism | undefined {
  const name = text.trim().toLowerCase().replace(/_/g, '-');
  return (SASL_MECHANISMS as readonly string[]).includes(name) ? (name as SaslMechanism) : undefined;
}

/**
 * Checks merged settings and works out the connection (pure: the CA file is read by the
 * client builder). Every failure is a usage error (exit 2) naming the flag, variable or
 * pointer the bad value came from.
 */
export function resolveKafkaConnection(settings: KafkaSettings): KafkaConnection {
  const src = settings.sources ?? {};
  const list = typeof settings.brokers === 'string' ? settings.brokers.split(',') : [...(settings.brokers ?? [])];
  const brokers = list.map((b) => b.trim()).filter((b) => b.length > 0);
  if (brokers.length === 0) {
    throw new NovaError(KAFKA_BROKERS_MISSING, 'no Kafka brokers', {
      hint: `pass --brokers host:9092, or set ${KAFKA_ENV.brokers} (or kafka.brokers in the config file)`,
    });
  }
  const bad = brokers.find((b) => !/^(\[[0-9a-fA-F:.]+\]|[^\s:[\]/,@]+):\d{1,5}$/.test(b) || Number(b.slice(b.lastIndexOf(':') + 1)) > 65535);
  if (bad !== undefined) {
    throw new NovaError(KAFKA_BROKERS_INVALID, `the broker ${JSON.stringify(bad.slice(0, 200))}${src.brokers ? ` (${src.brokers.field})` : ''} is not host:port`, {
      ...(src.brokers?.file !== undefined ? { file: src.brokers.file } : {}),
      ...(src.brokers?.pointer !== undefined ? { pointer: src.brokers.pointer } : {}),
    });
  }
  let sasl: KafkaConnection['sasl'];
  const { mechanism: rawMechanism, username, password } = settings;
  if (rawMechanism !== undefined) {
    const mechanism = saslMechanism(rawMechanism);
    if (!mechanism) {
      throw invalid(src.mechanism, 'the SASL mechanism', `must be one of ${SASL_MECHANISMS.join(', ')} (got ${JSON.stringify(rawMechanism.slice(0, 40))})`);
    }
    if (!username) throw invalid(src.username ?? { field: 'the SASL username' }, 'the SASL username', `is missing (SASL ${mechanism} needs ${KAFKA_ENV.username})`, `set ${KAFKA_ENV.username} or pass --sasl-username`);
    if (!password) throw invalid(src.password ?? { field: 'the SASL password' }, 'the SASL password', `is missing (SASL ${mechanism} needs ${KAFKA_ENV.password})`, `set ${KAFKA_ENV.password} (it is never read from a flag, which other users can see in the process list)`);
    sasl = { mechanism, username, password };
  } else if (username !== undefined || password !== undefined) {
    const source = src.username ?? src.password;
    throw invalid(source, 'a SASL username or password', `is set but no SASL mechanism (${KAFKA_ENV.mechanism})`, `set ${KAFKA_ENV.mechanism} to one of ${SASL_MECHANISMS.join(', ')}`);
  }
  const caFile = settings.caFile || undefined;
  const ssl = settings.ssl ?? caFile !== undefined;
  if (!ssl && caFile !== undefined) throw invalid(src.ssl, 'ssl', `is false but a CA file is set (${src.caFile?.field ?? 'caFile'})`);
  const protocol = `${sasl ? 'SASL_' : ''}${ssl ? 'SSL' : 'PLAINTEXT'}`;
  const display = `${brokers.join(',')} (${protocol}${sasl ? ` ${sasl.mechanism} as ${sasl.username}` : ''})`;
  return {
    brokers,
    clientId: settings.clientId,
    sasl,
    ssl,
    caFile,
    display: redactSecrets(display, sasl ? [sasl.password] : []),
    secrets: sasl ? [sasl.password] : [],
  };
}

/** A connection from the library's options (`createKafka`). */
export function kafkaConnection(options: KafkaConnectionOptions): KafkaConnection {
  return resolveKafkaConnection(kafkaSettingsFromOptions(options));
}

/** The settings of a layer as the library's options (for `createKafka({ ...kafkaOptionsFromEnv(process.env), clientId })`). */
export function kafkaOptionsFromSettings(settings: KafkaSettings): KafkaConnectionOptions {
  const { brokers, clientId, mechanism, username, password, ssl, caFile } = settings;
  return {
    ...(brokers !== undefined ? { brokers } : {}),
    ...(clientId !== undefined ? { clientId } : {}),
    ...(mechanism !== undefined || username !== undefined || password !== undefined ? { sasl: { mechanism: mechanism ?? '', username: username ?? '', password: password ?? '' } } : {}),
    ...(ssl !== undefined ? { ssl } : {}),
    ...(caFile !== undefined ? { caFile } : {}),
  };
}

/** The connection options in the environment (`NOVA_KAFKA_*`, `KAFKA_BROKERS`), checked as the CLI reads them. */
export function kafkaOptionsFromEnv(env: Env): KafkaConnectionOptions {
  return kafkaOptionsFromSettings(kafkaSettingsFromEnv(env));
}
