import type { Message } from 'kafkajs';
import { NovaError } from '../util/errors.js';
import { compileAvroReader, type AvroReader } from './avro-reader.js';
import { resolverOptions } from './avro-type.js';
import { CodecCache, PAYLOAD_INVALID, type Encoder } from './codec.js';
import { latestVersion, specOf, type EventCatalog, type EventSpec } from './event-spec.js';
import { HEADER } from './headers.js';
import { LEGACY_COPY_HEADER, LEGACY_UNMAPPABLE, legacyAvroForm, legacyJsonForm, mapLegacyAvro, mapLegacyJson, type LegacyMessage } from './legacy.js';
import { UNDECODABLE, WIRE_HEADER_SIZE } from './wire-format.js';

/** Rule id of a `legacy.dualPublish` entry that is not an event with a legacy mapping. */
export const LEGACY_DUAL_PUBLISH_INVALID = 'LEGACY_DUAL_PUBLISH_INVALID';

/** A legacy copy of an event, ready for Kafka. */
export interface LegacyCopy {
  readonly topic: string;
  readonly message: Message & { key: string; value: Buffer; headers: Record<string, string> };
}

/** The headers of a new-format event that its legacy copy keeps (the seeds' names, not CloudEvents'). */
const COPIED_HEADERS = [HEADER.eventId, HEADER.correlationId, HEADER.causationId, HEADER.source, 'traceparent', 'tracestate'];

/**
 * Reads legacy messages into the newest version and writes legacy copies, with every parsed
 * type, encoder and resolving reader cached per event. The mapped value goes through the
 * contract's own first-version encoder (validated as any payload) and is read into the newest
 * version by the same resolving reader as a message written with version 1.
 */
export class LegacyCodec {
  private readonly encoders = new Map<string, Encoder>();
  private readonly readers = new Map<string, AvroReader>();

  constructor(private readonly codecs: CodecCache = new CodecCache()) {}

  private encoderOf(spec: EventSpec, index: number): Encoder {
    const version = index < 0 ? latestVersion(spec) : spec.versions[index]!;
    const key = `${spec.type}@${version.version}`;
    let encoder = this.encoders.get(key);
    if (!encoder) {
      encoder = this.codecs.encoder(spec, version, 0);
      this.encoders.set(key, encoder);
    }
    return encoder;
  }

  private readerOf(spec: EventSpec): AvroReader {
    let reader = this.readers.get(spec.type);
    if (!reader) {
      const writer = this.codecs.readerType(spec, spec.versions[0]!);
      const newest = this.codecs.readerType(spec, latestVersion(spec));
      try {
        newest.createResolver(writer, resolverOptions());
      } catch (cause) {
        throw new NovaError(UNDECODABLE, `${spec.type}: version 1 cannot be read as v${latestVersion(spec).version}: ${(cause as Error).message}`, { cause });
      }
      reader = compileAvroReader(newest, writer, `the legacy payload of ${spec.type}`);
      this.readers.set(spec.type, reader);
    }
    return reader;
  }

  /** Maps, validates and reads a legacy message into the newest version; throws LEGACY_UNMAPPABLE naming the field. */
  read(spec: EventSpec, message: LegacyMessage): unknown {
    if (spec.schemaType === 'AVRO') {
      const mapped = mapLegacyAvro(spec, this.codecs.readerType(spec, spec.versions[0]!), message.data);
      const bytes = contractChecked(spec, () => this.encoderOf(spec, 0).encode(mapped));
      return this.readerOf(spec).read(bytes, WIRE_HEADER_SIZE);
    }
    const mapped = mapLegacyJson(spec, JSON.parse(spec.versions[0]!.schema), message.data);
    contractChecked(spec, () => this.encoderOf(spec, 0).encode(mapped));
    contractChecked(spec, () => this.encoderOf(spec, -1).encode(mapped));
    return mapped;
  }

  /** The legacy copy of an event encoded by the event encoder (its newest version's bytes). */
  copy(spec: EventSpec, event: { readonly eventId: string; readonly message: { key: string; value: Buffer; headers: Record<string, string> } }, topicName: (topic: string) => string): LegacyCopy {
    const legacy = spec.legacy!;
    let form: Record<string, unknown>;
    if (spec.schemaType === 'AVRO') {
      const newest = this.codecs.readerType(spec, latestVersion(spec));
      const value = newest.fromBuffer(event.message.value.subarray(WIRE_HEADER_SIZE)) as Record<string, unknown>;
      form = legacyAvroForm(spec, this.codecs.readerType(spec, spec.versions[0]!), newest, value);
    } else {
      form = legacyJsonForm(spec, JSON.parse(spec.versions[0]!.schema), JSON.parse(event.message.value.toString('utf8', WIRE_HEADER_SIZE)) as Record<string, unknown>);
    }
    const headers: Record<string, string> = {};
    for (const name of COPIED_HEADERS) {
      const value = event.message.headers[name];
      if (typeof value === 'string') headers[name] = value;
    }
    headers[HEADER.eventType] = legacy.publishType;
    headers[HEADER.contentType] = 'application/json';
    headers[LEGACY_COPY_HEADER] = 'true';
    return { topic: topicName(legacy.publishTopic), message: { key: event.message.key, value: Buffer.from(JSON.stringify(form), 'utf8'), headers } };
  }
}

/** A PAYLOAD_INVALID of the mapped value, as LEGACY_UNMAPPABLE with the contract's explanation. */
function contractChecked<T>(spec: EventSpec, encode: () => T): T {
  try {
    return encode();
  } catch (error) {
    if (error instanceof NovaError && error.rule === PAYLOAD_INVALID) {
      throw new NovaError(LEGACY_UNMAPPABLE, `${spec.type}: the mapped legacy payload does not match the contract: ${error.message}`, { pointer: error.pointer ?? '', cause: error });
    }
    throw error;
  }
}

/** Checks `legacy.dualPublish` against the catalog: every type must exist and have a legacy mapping. */
export function dualPublishSpecs(catalog: EventCatalog, types: readonly string[] | undefined): ReadonlyMap<string, EventSpec> {
  const specs = new Map<string, EventSpec>();
  if (types === undefined) return specs;
  if (!Array.isArray(types)) throw new NovaError(LEGACY_DUAL_PUBLISH_INVALID, 'legacy.dualPublish must be an array of event types', { pointer: '/legacy/dualPublish' });
  types.forEach((type, i) => {
    const spec = specOf(catalog, type);
    if (!spec.legacy) {
      throw new NovaError(LEGACY_DUAL_PUBLISH_INVALID, `${type} has no legacy encoding in its contract, so it has no legacy form to dual-publish`, {
        pointer: `/legacy/dualPublish/${i}`,
        hint: 'add legacy.encodings (and legacy.fields where names differ) to its .event.json and run generate',
      });
    }
    specs.set(type, spec);
  });
  return specs;
}
