import { redactSecrets } from '../registry/redact.js';
import { NovaError } from '../util/errors.js';
import type { KafkaConnection } from './connection.js';

/** Rule id of a cluster that cannot be reached, or that failed a request (exit 3). */
export const KAFKA_UNAVAILABLE = 'KAFKA_UNAVAILABLE';
/** Rule id of a request the cluster answered with an error (a policy, an invalid partition count, missing rights; exit 3). */
export const KAFKA_REQUEST_FAILED = 'KAFKA_REQUEST_FAILED';
/** Rule id of a cluster that refused the SASL credentials (exit 3). */
export const KAFKA_AUTH_FAILED = 'KAFKA_AUTH_FAILED';

function chain(error: unknown): unknown[] {
  const out: unknown[] = [];
  let current: unknown = error;
  while (current !== null && typeof current === 'object' && out.length < 10 && !out.includes(current)) {
    out.push(current);
    const next = current as { cause?: unknown; originalError?: unknown };
    current = next.originalError ?? next.cause;
  }
  return out;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message || error.name : String(error);
}

/**
 * A kafkajs failure as nova-events reports it: the brokers (never the password), what was being
 * done, and exit 3. Refused credentials are told apart from an unreachable cluster, because the
 * fix differs. A NovaError passes through.
 */
export function kafkaError(error: unknown, connection: KafkaConnection, action: string): NovaError {
  if (error instanceof NovaError) return error;
  const errors = chain(error);
  const redact = (text: string) => redactSecrets(text, connection.secrets);
  const auth = errors.find((e) => (e as { name?: unknown }).name === 'KafkaJSSASLAuthenticationError' || /SASL|authenticat/i.test(messageOf(e)));
  if (auth !== undefined) {
    return new NovaError(KAFKA_AUTH_FAILED, `the Kafka cluster at ${connection.display} refused the credentials while ${action}: ${redact(messageOf(auth))}`, {
      hint: 'check NOVA_KAFKA_SASL_MECHANISM, NOVA_KAFKA_USERNAME and NOVA_KAFKA_PASSWORD (or kafka.sasl in the config file), and that the brokers listen for SASL on that port',
    });
  }
  const deepest = errors.at(-1) ?? error;
  const refused = errors.find((e) => (typeof (e as { type?: unknown }).type === 'string' && (e as { retriable?: unknown }).retriable === false) || (e as { name?: unknown }).name === 'KafkaJSAggregateError');
  if (refused !== undefined) {
    const aggregate = (refused as { errors?: unknown }).errors;
    const detail = Array.isArray(aggregate) ? aggregate.slice(0, 5).map(messageOf).join('; ') : messageOf(refused);
    return new NovaError(KAFKA_REQUEST_FAILED, `the Kafka cluster at ${connection.display} refused a request while ${action}: ${redact(detail)}`, {
      hint: 'the broker answered with an error: check its policies (partitions, retention limits) and the user\'s ACLs',
    });
  }
  const detail = deepest === error ? messageOf(error) : `${messageOf(error)} (${messageOf(deepest)})`;
  return new NovaError(KAFKA_UNAVAILABLE, `the Kafka cluster at ${connection.display} failed while ${action}: ${redact(detail)}`, {
    hint: 'check --brokers / NOVA_KAFKA_BROKERS, that the brokers run, and the TLS and SASL settings of that listener',
    retriable: true,
  });
}
