import { describe, expect, it } from 'vitest';
import { loadProject } from '../../../src/contracts/load.js';
import { fieldRows, type FieldRow } from '../../../src/docs/fields.js';
import { fixtureCatalog, repoRoot } from '../../support/project.js';

const row = (r: FieldRow) => [r.name, r.type, r.nullable, r.default ?? '-', r.logicalType ?? '-', r.key, r.required];

describe('fieldRows', () => {
  it('of the bundled post.created v2: readable types, nullable, defaults, logical types, the key, the alias', () => {
    const event = loadProject(repoRoot).catalog.events.find((e) => e.type === 'post.created')!;
    const rows = fieldRows(event, event.versions[1]!);
    expect(rows.map(row)).toEqual([
      ['post_id', 'string', false, '-', 'uuid', true, true],
      ['author_id', 'string', false, '-', 'uuid', false, true],
      ['caption', 'null | string', true, 'null', '-', false, false],
      ['title', 'null | string', true, 'null', '-', false, false],
      ['content', 'null | string', true, 'null', '-', false, false],
      ['media_type', 'enum PostMediaType {IMAGE, VIDEO, NONE}', false, '-', '-', false, true],
      ['status', 'enum PostStatus {DRAFT, PUBLISHED, ARCHIVED, DELETED}', false, '-', '-', false, true],
      ['privacy', 'enum PostPrivacy {PUBLIC, FRIENDS, PRIVATE}', false, '"PUBLIC"', '-', false, false],
      ['tags', 'array<string>', false, '[]', '-', false, false],
      ['media_ids', 'array<string>', false, '[]', 'uuid (items)', false, false],
      ['created_at', 'long', false, '-', 'timestamp-millis', false, true],
    ]);
    expect(rows.find((r) => r.name === 'author_id')).toMatchObject({ aliases: ['user_id'], doc: 'Id of the user who wrote the post (was user_id in v1).' });
  });

  const avro = (fields: unknown[]) => ({ type: 'record', name: 'R', fields });
  it.each([
    ['nested records as dotted rows', [{ name: 'addr', type: { type: 'record', name: 'A', fields: [{ name: 'city', type: 'string' }] } }], [['addr', 0, 'record A'], ['addr.city', 1, 'string']]],
    ['records inside arrays', [{ name: 'items', type: { type: 'array', items: { type: 'record', name: 'I', fields: [{ name: 'sku', type: 'string' }] } } }], [['items', 0, 'array<record I>'], ['items[].sku', 1, 'string']]],
    ['a nullable record', [{ name: 'p', type: ['null', { type: 'record', name: 'P', fields: [{ name: 'x', type: 'int' }] }], default: null }], [['p', 0, 'null | record P'], ['p.x', 1, 'int']]],
    ['a recursive record once', [{ name: 'next', type: ['null', 'R'] }], [['next', 0, 'null | record R']]],
    ['maps and fixed', [{ name: 'm', type: { type: 'map', values: 'long' } }, { name: 'h', type: { type: 'fixed', name: 'H', size: 16 } }], [['m', 0, 'map<string, long>'], ['h', 0, 'fixed H[16]']]],
  ])('Avro: %s', (_name, fields, expected) => {
    expect(fieldRows({ schemaType: 'AVRO', key: 'id' }, { schema: avro(fields) }).map((r) => [r.name, r.depth, r.type])).toEqual(expected);
  });

  it('Avro decimal shows precision and scale', () => {
    const rows = fieldRows({ schemaType: 'AVRO', key: 'id' }, { schema: avro([{ name: 'amount', type: { type: 'bytes', logicalType: 'decimal', precision: 10, scale: 2 } }]) });
    expect(rows[0]).toMatchObject({ type: 'bytes', logicalType: 'decimal(10,2)' });
  });

  it('JSON Schema: properties with type, format, required and nullability', () => {
    const event = loadProject(repoRoot).catalog.events.find((e) => e.type === 'service.call')!;
    const rows = fieldRows(event, event.versions[0]!);
    expect(rows.map((r) => [r.name, r.type, r.required, r.logicalType ?? '-'])).toEqual([
      ['caller_service', 'string', true, '-'],
      ['called_service', 'string', true, '-'],
      ['method', 'string', true, '-'],
      ['status', 'enum {success, error}', true, '-'],
      ['latency_ms', 'integer', true, '-'],
      ['timestamp', 'string', true, 'date-time'],
    ]);
    const nullable = fieldRows({ schemaType: 'JSON', key: 'a' }, { schema: { type: 'object', properties: { a: { type: ['string', 'null'] }, b: { type: 'array', items: { type: 'integer' } } } } });
    expect(nullable.map((r) => [r.name, r.type, r.nullable, r.key, r.required])).toEqual([['a', 'string | null', true, true, false], ['b', 'array<integer>', false, false, false]]);
  });

  it('is empty for schemas without fields, and does not throw on ones that do not parse', () => {
    expect(fieldRows({ schemaType: 'AVRO', key: 'id' }, { schema: 'string' })).toEqual([]);
    expect(fieldRows({ schemaType: 'JSON', key: 'id' }, { schema: true })).toEqual([]);
    expect(() => fieldRows({ schemaType: 'AVRO', key: 'id' }, { schema: { type: 'record', name: 'R', fields: [{ name: 'a', type: 'Nope' }, null] } })).not.toThrow();
    expect(loadProject(fixtureCatalog('all-types')).catalog.events.every((e) => e.versions.every((v) => fieldRows(e, v).length > 0))).toBe(true);
  });
});
