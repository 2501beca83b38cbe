import { NovaError } from '../util/errors.js';

/** Rule id of a topic mapping, prefix or resulting topic name that Kafka would not accept. */
export const TOPIC_NAME_INVALID = 'TOPIC_NAME_INVALID';

/** The environment variable of the seeds' topic prefix (`${KAFKA_TOPIC_PREFIX}.<aggregate>.events`). */
export const TOPIC_PREFIX_ENV = 'KAFKA_TOPIC_PREFIX';

/**
 * How catalog topics are named in one environment: an explicit map (the runtime's `topics`
 * option; the config file's `topics`), else the seeds' prefix, which replaces the leading
 * `nova` of `nova.<aggregate>.events` names. Other names are kept.
 */
export interface TopicNaming {
  readonly prefix?: string;
  readonly topics?: Readonly<Record<string, string>>;
}

const LEGAL = /^[a-zA-Z0-9._-]+$/;
const MAX_TOPIC_LENGTH = 249;
const PREFIXED = /^nova\.([^.]+)\.events$/;

function checkName(name: string, what: string, where: { file?: string; pointer?: string } = {}): void {
  if (name.length === 0 || name.length > MAX_TOPIC_LENGTH || !LEGAL.test(name) || name === '.' || name === '..') {
    throw new NovaError(TOPIC_NAME_INVALID, `${what} ${JSON.stringify(name.slice(0, 80))} is not a Kafka topic name (1 to ${MAX_TOPIC_LENGTH} of a-z A-Z 0-9 . _ -)`, {
      ...where,
    });
  }
}

/** The naming of a config file's `topics` map and `topicPrefix` (untrusted: checked, with pointers). */
export function topicNamingFromConfig(config: object, file: string): TopicNaming {
  const raw = config as { topics?: unknown; topicPrefix?: unknown };
  const out: { prefix?: string; topics?: Record<string, string> } = {};
  if (raw.topicPrefix !== undefined) {
    if (typeof raw.topicPrefix !== 'string') throw new NovaError(TOPIC_NAME_INVALID, `"topicPrefix" in ${file} must be a string`, { file, pointer: '/topicPrefix' });
    checkName(raw.topicPrefix, `the topic prefix in ${file}`, { file, pointer: '/topicPrefix' });
    out.prefix = raw.topicPrefix;
  }
  if (raw.topics !== undefined) {
    if (raw.topics === null || typeof raw.topics !== 'object' || Array.isArray(raw.topics)) {
      throw new NovaError(TOPIC_NAME_INVALID, `"topics" in ${file} must be an object of catalog topic -> topic name`, { file, pointer: '/topics' });
    }
    const topics: Record<string, string> = {};
    for (const [from, to] of Object.entries(raw.topics as Record<string, unknown>)) {
      const pointer = `/topics/${from.replace(/~/g, '~0').replace(/\//g, '~1')}`;
      if (typeof to !== 'string') throw new NovaError(TOPIC_NAME_INVALID, `"topics.${from}" in ${file} must be a string`, { file, pointer });
      checkName(to, `the topic name for ${from} in ${file}`, { file, pointer });
      topics[from] = to;
    }
    out.topics = topics;
  }
  return out;
}

/** The prefix from a flag or the environment (`KAFKA_TOPIC_PREFIX`), checked; empty counts as unset. */
export function topicPrefix(value: string | undefined, source: string): string | undefined {
  if (!value) return undefined;
  checkName(value, `the topic prefix (${source})`);
  return value;
}

/** The name a catalog topic has under a naming (pure). */
export function topicName(catalogTopic: string, naming: TopicNaming): string {
  const mapped = naming.topics?.[catalogTopic];
  if (mapped !== undefined) return mapped;
  const match = naming.prefix !== undefined ? PREFIXED.exec(catalogTopic) : null;
  const name = match ? `${naming.prefix}.${match[1]}.events` : catalogTopic;
  checkName(name, `the topic name of ${catalogTopic}`);
  return name;
}
