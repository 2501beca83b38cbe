import { describe, expect, it } from 'vitest';
import { catalog } from '../../../generated/catalog.js';
import { ZERO_BYTE_ITEMS } from '../../../src/runtime/avro-reader.js';
import { avroType } from '../../../src/runtime/avro-type.js';
import { CodecCache } from '../../../src/runtime/codec.js';
import { latestVersion, type EventSpec } from '../../../src/runtime/event-spec.js';
import { UNDECODABLE, WIRE_HEADER_SIZE } from '../../../src/runtime/wire-format.js';
import { NovaError } from '../../../src/util/errors.js';
import { outsideType, randomValue, seeded, sizeOf, varint } from '../../support/avro-values.js';
import { samplePayload } from '../../support/samples.js';

/**
 * Mutations of valid frames of every catalog event, each version read as the newest. Bounded by
 * default (a few seconds); `NOVA_FUZZ_ITERATIONS=200000 NOVA_FUZZ_SEED=7 npx vitest run --project
 * unit test/unit/runtime/decode-fuzz.test.ts` runs longer or other cases (see the README).
 */
const ITERATIONS = Number(process.env.NOVA_FUZZ_ITERATIONS ?? 300);
const SEED = Number(process.env.NOVA_FUZZ_SEED ?? 11);
/** Far above any decode of these sizes (microseconds); a quadratic or hanging read exceeds it. */
const SLOW_MS = 250;

const INTERESTING = [2 ** 31, 2 ** 31 - 1, -(2 ** 31) - 1, 2n ** 62n, -(2n ** 62n), 2n ** 63n - 1n, -(2n ** 63n), -1, 0, 1, 2, 3, 1_000_000, 8.64e15 + 1];
const RAW = [
  Buffer.from([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f]),
  Buffer.from([0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00]),
  Buffer.from([0x82, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00]),
  Buffer.from([0x07]),
];

type Mutation = (frame: Buffer, random: () => number) => Buffer;
const at = (frame: Buffer, random: () => number) => WIRE_HEADER_SIZE + Math.floor(random() * Math.max(1, frame.length - WIRE_HEADER_SIZE));
const MUTATIONS: Record<string, Mutation> = {
  'bit flip': (frame, random) => {
    const out = Buffer.from(frame);
    for (let i = 0; i <= Math.floor(random() * 3); i++) {
      const p = at(out, random);
      if (p < out.length) out[p]! ^= 1 << Math.floor(random() * 8);
    }
    return out;
  },
  'varint replaced': (frame, random) => {
    const p = at(frame, random);
    const pick = random() < 0.8 ? varint(INTERESTING[Math.floor(random() * INTERESTING.length)]!) : RAW[Math.floor(random() * RAW.length)]!;
    return Buffer.concat([frame.subarray(0, p), pick, frame.subarray(Math.min(frame.length, p + 1 + Math.floor(random() * 3)))]);
  },
  truncated: (frame, random) => frame.subarray(0, at(frame, random)),
  extended: (frame, random) => Buffer.concat([frame, Buffer.from(Array.from({ length: 1 + Math.floor(random() * 8) }, () => Math.floor(random() * 256)))]),
  'bytes inserted': (frame, random) => {
    const p = at(frame, random);
    return Buffer.concat([frame.subarray(0, p), Buffer.from(Array.from({ length: 1 + Math.floor(random() * 4) }, () => Math.floor(random() * 256))), frame.subarray(p)]);
  },
};

interface Tally {
  decoded: number;
  refused: number;
  slowestMs: number;
}

/** Decodes one mutated frame: a value within its type and its bounds, or UNDECODABLE_MESSAGE. */
function attempt(decode: () => unknown, check: (value: unknown) => string | undefined, bytes: number, tally: Tally): string | undefined {
  const start = performance.now();
  let value: unknown;
  try {
    value = decode();
  } catch (error) {
    tally.slowestMs = Math.max(tally.slowestMs, performance.now() - start);
    if (!(error instanceof NovaError) || error.rule !== UNDECODABLE) return `threw ${error instanceof NovaError ? error.rule : String(error)}`;
    tally.refused++;
    return undefined;
  }
  const ms = performance.now() - start;
  tally.slowestMs = Math.max(tally.slowestMs, ms);
  tally.decoded++;
  if (ms > SLOW_MS) return `took ${ms.toFixed(0)} ms`;
  if (sizeOf(value) > 4 * bytes + ZERO_BYTE_ITEMS) return `a value of size ${sizeOf(value)} from ${bytes} bytes`;
  return check(value);
}

const specs = Object.values(catalog) as EventSpec[];

describe(`decoding mutated frames of every catalog event (seed ${SEED}, ${ITERATIONS} per version)`, () => {
  const codecs = new CodecCache();
  let schemaIds = 100;

  it.each(specs.filter((s) => s.schemaType === 'AVRO').map((s) => [s.type, s] as const))('%s', (_type, spec) => {
    const random = seeded(SEED ^ [...spec.type].reduce((h, c) => Math.imul(h, 31) + c.charCodeAt(0), 7));
    const reader = latestVersion(spec);
    const readerType = codecs.readerType(spec, reader);
    const tally: Tally = { decoded: 0, refused: 0, slowestMs: 0 };
    const problems: string[] = [];
    for (const writer of spec.versions) {
      const id = schemaIds++;
      const encoder = codecs.encoder(spec, writer, id);
      const decoder = codecs.decoder(spec, reader, id, { schemaType: 'AVRO', schema: writer.schema });
      const writerType = avroType(JSON.parse(writer.schema));
      const frames = Array.from({ length: 8 }, () => encoder.encode(randomValue(writerType, random)));
      for (const frame of frames) expect(outsideType(readerType, decoder.decode(frame))).toBeUndefined();
      const names = Object.keys(MUTATIONS);
      for (let i = 0; i < ITERATIONS; i++) {
        const name = names[i % names.length]!;
        const mutated = MUTATIONS[name]!(frames[i % frames.length]!, random);
        const problem = attempt(() => decoder.decode(mutated), (value) => outsideType(readerType, value), mutated.length, tally);
        if (problem) problems.push(`v${writer.version} ${name} ${mutated.toString('hex')}: ${problem}`);
      }
    }
    expect(problems.slice(0, 5)).toEqual([]);
    expect(tally.decoded + tally.refused).toBe(ITERATIONS * spec.versions.length);
  });

  it.each(specs.filter((s) => s.schemaType === 'JSON').map((s) => [s.type, s] as const))('%s (JSON Schema)', (_type, spec) => {
    const random = seeded(SEED);
    const version = latestVersion(spec);
    const id = schemaIds++;
    const encoder = codecs.encoder(spec, version, id);
    const decoder = codecs.decoder(spec, version, id, { schemaType: 'JSON', schema: version.schema });
    const frame = encoder.encode(samplePayload(spec));
    const finite = (value: unknown): string | undefined => {
      if (typeof value === 'number') return Number.isFinite(value) ? undefined : `the number ${value}`;
      if (typeof value !== 'object' || value === null) return undefined;
      return Object.values(value).map(finite).find((p) => p !== undefined);
    };
    const number = (text: string) => Buffer.from(text.replace(/:(\d+)/, `:${['1e400', '-1e400', '1e308', '9007199254740993'][Math.floor(random() * 4)]}`));
    const tally: Tally = { decoded: 0, refused: 0, slowestMs: 0 };
    const problems: string[] = [];
    for (let i = 0; i < ITERATIONS; i++) {
      const names = Object.keys(MUTATIONS);
      const mutated = i % 6 === 5 ? Buffer.concat([frame.subarray(0, WIRE_HEADER_SIZE), number(frame.subarray(WIRE_HEADER_SIZE).toString())]) : MUTATIONS[names[i % names.length]!]!(frame, random);
      const problem = attempt(() => decoder.decode(mutated), finite, mutated.length, tally);
      if (problem) problems.push(`${mutated.toString('hex')}: ${problem}`);
    }
    expect(problems.slice(0, 5)).toEqual([]);
  });
});
