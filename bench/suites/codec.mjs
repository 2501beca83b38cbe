// Encoding and decoding, side by side with raw avsc and @kafkajs/confluent-schema-registry, on
// the catalog's post.created (v2; v1 for the resolved read). Ratios are our throughput over
// the baseline's (higher is better): encode_vs_avsc, decode_vs_avsc,
// decode_resolved_vs_avsc_resolver, encode_vs_registry_lib, decode_vs_registry_lib,
// decode_reader_vs_registry_lib. Offline: the ids come from an in-process registry (the codec
// never talks to one per message), and the registry library fetches them from a loopback stub.
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import { SchemaRegistry, SchemaType } from '@kafkajs/confluent-schema-registry';
import { catalog } from '../../dist/generated/catalog.js';
import { avroType, CodecCache, resolverOptions } from '../../dist/src/runtime/index.js';
import { compareThroughput, median } from '../stats.mjs';

const spec = catalog['post.created'];
const [v1, v2] = spec.versions;

const payload = {
  post_id: randomUUID(),
  author_id: randomUUID(),
  caption: 'Sunset over the bay',
  title: null,
  content: 'A long evening walk along the water, with friends.',
  media_type: 'IMAGE',
  status: 'PUBLISHED',
  privacy: 'FRIENDS',
  tags: ['sunset', 'bay', 'friends'],
  media_ids: [randomUUID(), randomUUID()],
  created_at: new Date(1_763_700_000_000),
};
/** The same event as the registry library's plain avsc types take it (a long for the timestamp). */
const plainPayload = { ...payload, created_at: payload.created_at.getTime() };
const v1Payload = { post_id: payload.post_id, user_id: payload.author_id, caption: payload.caption, media_type: 'IMAGE', status: 'PUBLISHED', created_at: payload.created_at };

/** A RuntimeRegistry in memory (src/registry/runtime-registry.ts): global ids by schema text. */
export function memoryRegistry() {
  const schemas = [];
  return {
    displayUrl: 'memory://bench',
    schemas,
    async lookupId(_subject, _type, schema) {
      const index = schemas.findIndex((s) => s.schema === schema);
      return index < 0 ? undefined : index + 1;
    },
    async register(subject, schemaType, schema) {
      return (await this.lookupId(subject, schemaType, schema)) ?? schemas.push({ schemaType, schema });
    },
    async schemaById(id) {
      const found = schemas[id - 1];
      if (!found) throw new Error(`no schema ${id}`);
      return found;
    },
  };
}

/** The one registry call the library makes here (`GET /schemas/ids/:id`), on a loopback port. */
async function serveIds(registry) {
  const server = createServer((request, response) => {
    const id = Number(/^\/schemas\/ids\/(\d+)/.exec(request.url ?? '')?.[1]);
    const found = registry.schemas[id - 1];
    response.writeHead(found ? 200 : 404, { 'content-type': 'application/vnd.schemaregistry.v1+json' });
    response.end(JSON.stringify(found ? { schema: found.schema, schemaType: found.schemaType } : { error_code: 40403, message: 'Schema not found' }));
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${server.address().port}`, close: () => new Promise((resolve) => server.close(resolve)) };
}

/** Runs the suite (no services needed); returns its keys. */
export async function run() {
  const runtimeRegistry = memoryRegistry();
  const v1Id = await runtimeRegistry.register(spec.subject, 'AVRO', v1.schema, spec.compatibility);
  const v2Id = await runtimeRegistry.register(spec.subject, 'AVRO', v2.schema, spec.compatibility);
  const stub = await serveIds(runtimeRegistry);
  try {
    return await measure(runtimeRegistry, stub.url, v1Id, v2Id);
  } finally {
    await stub.close();
  }
}

async function measure(runtimeRegistry, registryUrl, v1Id, v2Id) {
  const writerV1 = await runtimeRegistry.schemaById(v1Id);
  const writerV2 = await runtimeRegistry.schemaById(v2Id);

  const codecs = new CodecCache();
  const encoder = codecs.encoder(spec, v2, v2Id);
  const decoder = codecs.decoder(spec, v2, v2Id, writerV2);
  const resolvedDecoder = codecs.decoder(spec, v2, v1Id, writerV1);
  const type = codecs.readerType(spec, v2);
  const v1Type = avroType(JSON.parse(v1.schema));
  const resolver = type.createResolver(v1Type, resolverOptions());

  const framed = encoder.encode(payload);
  const body = type.toBuffer(payload);
  const framedV1 = codecs.encoder(spec, v1, v1Id).encode(v1Payload);
  const bodyV1 = v1Type.toBuffer(v1Payload);

  const lib = new SchemaRegistry({ host: registryUrl });
  const readerSchema = JSON.parse(v2.schema);
  const libFramed = await lib.encode(v2Id, plainPayload);
  await lib.decode(libFramed);
  await lib.decode(framedV1, { [SchemaType.AVRO]: { readerSchema } });

  return {
    encode_vs_avsc: compareThroughput(() => encoder.encode(payload), () => type.toBuffer(payload)),
    decode_vs_avsc: compareThroughput(() => decoder.decode(framed), () => type.fromBuffer(body)),
    decode_resolved_vs_avsc_resolver: compareThroughput(() => resolvedDecoder.decode(framedV1), () => type.fromBuffer(bodyV1, resolver)),
    encode_vs_registry_lib: await compareThroughputAsync(() => encoder.encode(payload), () => lib.encode(v2Id, plainPayload)),
    decode_vs_registry_lib: await compareThroughputAsync(() => decoder.decode(framed), () => lib.decode(libFramed)),
    decode_reader_vs_registry_lib: await compareThroughputAsync(() => resolvedDecoder.decode(framedV1), () => lib.decode(framedV1, { [SchemaType.AVRO]: { readerSchema } }), { ops: 200 }),
  };
}

/** compareThroughput for a baseline that returns a promise (awaited per call, as its callers do). */
async function compareThroughputAsync(ours, baseline, { ops = 20_000, rounds = 11 } = {}) {
  const oursTimes = [];
  const baseTimes = [];
  const timeOurs = () => {
    const start = process.hrtime.bigint();
    for (let i = 0; i < ops; i++) ours();
    return Number(process.hrtime.bigint() - start);
  };
  const timeBaseline = async () => {
    const start = process.hrtime.bigint();
    for (let i = 0; i < ops; i++) await baseline();
    return Number(process.hrtime.bigint() - start);
  };
  for (let round = 0; round < rounds + 1; round++) {
    let a;
    let b;
    if (round % 2 === 0) {
      a = timeOurs();
      b = await timeBaseline();
    } else {
      b = await timeBaseline();
      a = timeOurs();
    }
    if (round > 0) {
      oursTimes.push(a);
      baseTimes.push(b);
    }
  }
  return median(baseTimes) / median(oursTimes);
}
