import { describe, expect, it, vi } from 'vitest';
import { catalog } from '../../../generated/catalog.js';
import { avroType } from '../../../src/runtime/avro-type.js';
import type { EventSpec } from '../../../src/runtime/event-spec.js';
import { randomAvroValue } from '../../support/samples.js';
import { DEFAULT_TEST_SEED, seededRandom, testSeed } from '../../support/seed.js';

const big = (_key: string, value: unknown) => (typeof value === 'bigint' ? `${value}n` : value);
const field = (name: string, type: unknown) => ({ name, type });
const SCHEMAS: [string, unknown][] = [
  ['primitives', { type: 'record', name: 'P', fields: [field('n', 'null'), field('b', 'boolean'), field('i', 'int'), field('l', 'long'), field('f', 'float'), field('d', 'double'), field('s', 'string'), field('y', 'bytes')] }],
  ['named types', { type: 'record', name: 'N', fields: [field('e', { type: 'enum', name: 'E', symbols: ['A', 'B', 'C'] }), field('x', { type: 'fixed', name: 'X', size: 6 })] }],
  ['collections', { type: 'record', name: 'C', fields: [field('a', { type: 'array', items: 'long' }), field('m', { type: 'map', values: ['null', 'string'] })] }],
  ['logical types', { type: 'record', name: 'L', fields: [field('t', { type: 'long', logicalType: 'timestamp-millis' }), field('dec', { type: 'bytes', logicalType: 'decimal', precision: 6, scale: 2 }), field('u', { type: 'string', logicalType: 'uuid' })] }],
  ['an ambiguous (wrapped) union', { type: 'record', name: 'U', fields: [field('u', ['null', { type: 'record', name: 'R1', fields: [field('a', 'int')] }, { type: 'record', name: 'R2', fields: [field('b', 'string')] }])] }],
  ['a recursive type', { type: 'record', name: 'Node', fields: [field('next', ['null', 'Node']), field('children', { type: 'array', items: 'Node' })] }],
];

/** samples.ts loaded afresh (as in another test file or run), with NOVA_TEST_SEED set to `seed`. */
async function freshSamples(seed: string | undefined): Promise<typeof import('../../support/samples.js')> {
  const before = process.env['NOVA_TEST_SEED'];
  if (seed === undefined) delete process.env['NOVA_TEST_SEED'];
  else process.env['NOVA_TEST_SEED'] = seed;
  try {
    vi.resetModules();
    return await import('../../support/samples.js');
  } finally {
    if (before === undefined) delete process.env['NOVA_TEST_SEED'];
    else process.env['NOVA_TEST_SEED'] = before;
  }
}

describe('random samples', () => {
  it('of every catalog event are the same in every run with the same seed, and change with NOVA_TEST_SEED', async () => {
    const specs = Object.values(catalog) as EventSpec[];
    const draw = async (seed: string | undefined) => {
      const { samplePayload } = await freshSamples(seed);
      return specs.map((spec) => [samplePayload(spec), samplePayload(spec)]);
    };
    const first = await draw(undefined);
    expect(await draw(undefined)).toEqual(first);
    expect(await draw(String(DEFAULT_TEST_SEED))).toEqual(first);
    const other = await draw('7');
    expect(other).not.toEqual(first);
    expect(await draw('7')).toEqual(other);
    // Two draws of one type in one file differ (a test that needs two events gets two).
    expect(first.filter(([a, b], i) => specs[i]!.schemaType === 'AVRO' && JSON.stringify(a, big) === JSON.stringify(b, big))).toEqual([]);
  });

  it.each(SCHEMAS)('%s: valid for the type, and the same again from the same seed and label', (_name, schema) => {
    const type = avroType(schema);
    for (let n = 0; n < 50; n++) {
      const value = randomAvroValue(type, seededRandom(`t${n}`));
      expect(type.isValid(value), JSON.stringify(value, big)).toBe(true);
      expect(type.fromBuffer(type.toBuffer(value))).toEqual(value);
      expect(randomAvroValue(type, seededRandom(`t${n}`))).toEqual(value);
    }
  });

  it('differ with the seed and with the label', () => {
    const type = avroType(JSON.parse((catalog['post.created'] as EventSpec).versions.at(-1)!.schema));
    const sample = (label: string, seed: number) => randomAvroValue(type, seededRandom(label, seed));
    expect(sample('a', 1)).toEqual(sample('a', 1));
    expect(sample('a', 1)).not.toEqual(sample('a', 2));
    expect(sample('a', 1)).not.toEqual(sample('b', 1));
  });

  it.each([
    [undefined, DEFAULT_TEST_SEED],
    ['', DEFAULT_TEST_SEED],
    ['42', 42],
    ['-7', -7],
  ])('NOVA_TEST_SEED=%j gives seed %d', (value, seed) => {
    const before = process.env['NOVA_TEST_SEED'];
    try {
      if (value === undefined) delete process.env['NOVA_TEST_SEED'];
      else process.env['NOVA_TEST_SEED'] = value;
      expect(testSeed()).toBe(seed);
    } finally {
      if (before === undefined) delete process.env['NOVA_TEST_SEED'];
      else process.env['NOVA_TEST_SEED'] = before;
    }
  });

  it.each(['x', '1.5', '1e30'])('refuses NOVA_TEST_SEED=%j', (value) => {
    const before = process.env['NOVA_TEST_SEED'];
    try {
      process.env['NOVA_TEST_SEED'] = value;
      expect(() => testSeed()).toThrow('NOVA_TEST_SEED must be an integer');
    } finally {
      if (before === undefined) delete process.env['NOVA_TEST_SEED'];
      else process.env['NOVA_TEST_SEED'] = before;
    }
  });
});
