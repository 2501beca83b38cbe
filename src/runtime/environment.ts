import { NovaError } from '../util/errors.js';
import type { EventCatalog } from './event-spec.js';

/** The seeds' variable that prefixes every `<prefix>.<aggregate>.events` topic name. */
const PREFIX_VARIABLE = 'KAFKA_TOPIC_PREFIX';

/**
 * The seeds' environment variables as defaults of the runtime (000's "环境变量配置"):
 * `KAFKA_BROKERS`, `KAFKA_GROUP_ID`, `KAFKA_TOPIC_PREFIX` (topics `${prefix}.<aggregate>.events`)
 * and the per-topic `KAFKA_*_EVENTS_TOPIC` overrides that contracts/topics.json lists as envVars.
 */

/** Rule id of an environment variable whose value cannot be used (a topic name Kafka refuses, an empty broker list). */
export const ENV_VALUE_INVALID = 'ENV_VALUE_INVALID';

/** What the environment is read from (process.env by default). */
export type Environment = Readonly<Record<string, string | undefined>>;

const TOPIC = /^[A-Za-z0-9._-]{1,249}$/;

function topicValue(name: string, value: string): string {
  if (!TOPIC.test(value)) {
    throw new NovaError(ENV_VALUE_INVALID, `${name}=${JSON.stringify(value.slice(0, 80))} is not a Kafka topic name (1 to 249 of A-Z a-z 0-9 . _ -)`, { pointer: `/env/${name}` });
  }
  return value;
}

function set(env: Environment, name: string): string | undefined {
  const value = env[name];
  return value === undefined || value === '' ? undefined : value;
}

/**
 * Actual topic names for the catalog's topics from the environment: a topic's own override
 * variable (its first one that is set), else `KAFKA_TOPIC_PREFIX` in place of the catalog's
 * prefix (`nova.content.events` -> `staging.content.events`). Topics with neither are left out.
 * Throws ENV_VALUE_INVALID for a value that is not a topic name.
 */
export function topicsFromEnv(catalog: EventCatalog, env: Environment = process.env): Record<string, string> {
  const prefix = set(env, PREFIX_VARIABLE);
  const topics: Record<string, string> = {};
  const consider = (topic: string, envVars: readonly string[]) => {
    if (Object.hasOwn(topics, topic)) return;
    const variable = envVars.find((name) => set(env, name) !== undefined);
    if (variable !== undefined) topics[topic] = topicValue(variable, set(env, variable)!);
    else if (prefix !== undefined && /^[^.]+\.[^.]+\.events$/.test(topic)) topics[topic] = topicValue(PREFIX_VARIABLE, `${prefix}${topic.slice(topic.indexOf('.'))}`);
  };
  for (const spec of Object.values(catalog)) consider(spec.topic, spec.topicEnvVars ?? []);
  return topics;
}

/** The consumer group from `KAFKA_GROUP_ID`, when set. */
export function groupIdFromEnv(env: Environment = process.env): string | undefined {
  return set(env, 'KAFKA_GROUP_ID');
}

/** The Kafka bootstrap brokers from `KAFKA_BROKERS` (comma separated), for `new Kafka({ brokers })`; ENV_VALUE_INVALID when unset or empty. */
export function brokersFromEnv(env: Environment = process.env): string[] {
  const brokers = (set(env, 'KAFKA_BROKERS') ?? '').split(',').map((b) => b.trim()).filter((b) => b.length > 0);
  if (brokers.length === 0) throw new NovaError(ENV_VALUE_INVALID, 'KAFKA_BROKERS is not set (host:port, comma separated)', { pointer: '/env/KAFKA_BROKERS' });
  const bad = brokers.find((b) => !/^[A-Za-z0-9._\-[\]:]+:\d{1,5}$/.test(b));
  if (bad !== undefined) throw new NovaError(ENV_VALUE_INVALID, `KAFKA_BROKERS holds ${JSON.stringify(bad.slice(0, 80))}, which is not host:port`, { pointer: '/env/KAFKA_BROKERS' });
  return brokers;
}
