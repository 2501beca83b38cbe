import type { Message } from 'kafkajs';
import { NovaError } from '../util/errors.js';
import { CodecCache, type Encoder } from './codec.js';
import { latestVersion, specOf, type EventCatalog, type EventSpec } from './event-spec.js';
import { eventHeaders, type PublishOptions } from './headers.js';
import { runtimeRegistry, type RegistryInput } from './registry-option.js';
import type { RuleId } from '../diagnostics/rules.js';

/** Rule id of a contract version the registry does not hold (and auto-registration is off). */
export const CONTRACT_NOT_REGISTERED = 'CONTRACT_NOT_REGISTERED' satisfies RuleId;

/** What turns a typed payload into the exact bytes, key and headers of a Kafka message. */
export interface EventEncoderOptions {
  readonly registry: RegistryInput;
  /** This service's name: the `source` / `ce_source` header. Defaults to `NOVA_SERVICE_NAME` or `nova-events`. */
  readonly source?: string;
  /** Register missing contract versions at connect instead of failing. Off by default: `nova-events register` owns registration. */
  readonly autoRegister?: boolean;
  /** Event types to encode; their schema ids are resolved at connect. All by default. */
  readonly events?: readonly string[];
  /** Actual topic names for catalog topics (e.g. per environment). Subjects do not change. */
  readonly topics?: Readonly<Record<string, string>>;
}

/** An event ready for Kafka: its topic and the kafkajs message (key, value, headers). */
export interface EncodedEvent {
  readonly type: string;
  readonly eventId: string;
  readonly topic: string;
  readonly message: Message & { key: string; value: Buffer; headers: Record<string, string> };
}

/** Encodes the catalog's events for a producer or an outbox, with schema ids resolved once. */
export interface EventEncoder {
  /** Resolves every schema id (once; concurrent calls share it); fails fast when a contract is not registered. */
  connect(): Promise<void>;
  /** Validates and encodes one event; the encoder must be connected. Throws PAYLOAD_INVALID, KEY_MISSING, ... */
  encode(type: string, payload: unknown, options?: PublishOptions): EncodedEvent;
  /** Forgets the resolved ids, so that the next connect resolves them again. */
  reset(): void;
}

/**
 * The one place where a payload becomes a message: validated and encoded against its contract's
 * newest version, keyed by the contract's key field, with the standard headers. The producer and
 * the outbox both use it, so an outboxed event is byte for byte what a direct publish sends.
 */
export function createEventEncoder(catalog: EventCatalog, options: EventEncoderOptions): EventEncoder {
  const registry = runtimeRegistry(options.registry);
  const source = options.source ?? process.env['NOVA_SERVICE_NAME'] ?? 'nova-events';
  const codecs = new CodecCache();
  const encoders = new Map<string, Encoder>();
  let connecting: Promise<void> | undefined;

  async function resolveEncoder(spec: EventSpec): Promise<string | undefined> {
    const version = latestVersion(spec);
    let id = await registry.lookupId(spec.subject, spec.schemaType, version.schema);
    if (id === undefined) {
      if (!options.autoRegister) return `${spec.subject} (${spec.type} v${version.version})`;
      id = await registry.register(spec.subject, spec.schemaType, version.schema, spec.compatibility);
    }
    encoders.set(spec.type, codecs.encoder(spec, version, id));
    return undefined;
  }

  async function connectOnce(): Promise<void> {
    const specs = (options.events ?? Object.keys(catalog)).map((type) => specOf(catalog, type));
    const missing = (await Promise.all(specs.map(resolveEncoder))).filter((m): m is string => m !== undefined);
    if (missing.length > 0) {
      throw new NovaError(CONTRACT_NOT_REGISTERED, `the registry ${registry.displayUrl} does not hold ${missing.length} contract version(s): ${missing.join(', ')}`, {
        hint: 'run `nova-events register`, or pass autoRegister: true',
      });
    }
  }

  return {
    connect() {
      connecting ??= connectOnce().catch((error: unknown) => {
        connecting = undefined;
        throw error;
      });
      return connecting;
    },
    encode(type, payload, publishOptions) {
      const spec = specOf(catalog, type);
      const encoder = encoders.get(type);
      if (!encoder) throw new NovaError('PRODUCER_NOT_CONNECTED', `no schema id for ${type}: call connect() first, and list ${type} in events`);
      const key = (payload as Record<string, unknown> | null)?.[spec.key];
      if (typeof key !== 'string' || key.length === 0) {
        throw new NovaError('KEY_MISSING', `${type}: the key field "${spec.key}" must be a non-empty string`, { pointer: `/${spec.key}` });
      }
      const value = encoder.encode(payload);
      const { eventId, headers } = eventHeaders(spec, encoder.version, key, source, publishOptions);
      return { type, eventId, topic: options.topics?.[spec.topic] ?? spec.topic, message: { key, value, headers: headers as Record<string, string> } };
    },
    reset() {
      connecting = undefined;
      encoders.clear();
    },
  };
}
