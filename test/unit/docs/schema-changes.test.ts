import { describe, expect, it } from 'vitest';
import { schemaChanges } from '../../../src/docs/schema-changes.js';
import { loadProject } from '../../../src/contracts/load.js';
import { repoRoot } from '../../support/project.js';

const record = (fields: unknown[], extra: object = {}) => ({ type: 'record', name: 'R', namespace: 't', fields, ...extra });
const f = (name: string, type: unknown, extra: object = {}) => ({ name, type, ...extra });
const color = (symbols: string[]) => ({ type: 'enum', name: 'Color', symbols });

/** [case, older, newer, expected [kind, field, message]] */
const AVRO: [string, unknown, unknown, [string, string, string][]][] = [
  ['no change', record([f('a', 'int')]), record([f('a', 'int')]), []],
  ['field added with default', record([f('a', 'int')]), record([f('a', 'int'), f('b', ['null', 'string'], { default: null })]), [['FIELD_ADDED', 'b', 'field "b" was added with default null']]],
  ['field added without default', record([f('a', 'int')]), record([f('a', 'int'), f('b', 'string')]), [['FIELD_ADDED', 'b', 'field "b" was added without a default']]],
  ['field removed', record([f('a', 'int'), f('b', 'string')]), record([f('a', 'int')]), [['FIELD_REMOVED', 'b', 'field "b" was removed']]],
  ['field renamed through an alias', record([f('user_id', 'string')]), record([f('author_id', 'string', { aliases: ['user_id'] })]), [['FIELD_RENAMED', 'author_id', 'field "user_id" was renamed to "author_id" through the alias "user_id"']]],
  ['a rename without an alias is a removal and an addition', record([f('a', 'string')]), record([f('b', 'string')]), [['FIELD_ADDED', 'b', 'field "b" was added without a default'], ['FIELD_REMOVED', 'a', 'field "a" was removed']]],
  ['int promoted to long', record([f('n', 'int')]), record([f('n', 'long')]), [['TYPE_PROMOTED', 'n', 'type of field "n" was promoted from int to long']]],
  ['string promoted to bytes', record([f('s', 'string')]), record([f('s', 'bytes')]), [['TYPE_PROMOTED', 's', 'type of field "s" was promoted from string to bytes']]],
  ['long narrowed to int is a type change', record([f('n', 'long')]), record([f('n', 'int')]), [['TYPE_CHANGED', 'n', 'type of field "n" changed from "long" to "int"']]],
  ['a field became nullable', record([f('s', 'string')]), record([f('s', ['null', 'string'])]), [['UNION_BRANCHES_ADDED', 's', 'field "s" now also accepts "null" (was "string")']]],
  ['a union lost a branch', record([f('s', ['null', 'string', 'int'])]), record([f('s', ['null', 'string'])]), [['UNION_BRANCHES_REMOVED', 's', 'field "s" no longer accepts "int" (now "null | string")']]],
  ['a union branch promoted', record([f('n', ['null', 'int'])]), record([f('n', ['null', 'long'])]), [['TYPE_PROMOTED', 'n', 'field "n"\'s "int" branch was promoted to "long"']]],
  ['enum symbols added', record([f('c', color(['RED']))]), record([f('c', color(['RED', 'GREEN', 'BLUE']))]), [['ENUM_SYMBOLS_ADDED', 'c', 'enum "Color" of field "c" gained the symbols "GREEN", "BLUE"']]],
  ['enum symbol removed', record([f('c', color(['RED', 'GREEN']))]), record([f('c', color(['RED']))]), [['ENUM_SYMBOLS_REMOVED', 'c', 'enum "Color" of field "c" lost the symbol "GREEN"']]],
  ['default added, changed, removed', record([f('a', 'int'), f('b', 'int', { default: 1 }), f('c', 'int', { default: 2 })]), record([f('a', 'int', { default: 0 }), f('b', 'int', { default: 5 }), f('c', 'int')]), [
    ['DEFAULT_ADDED', 'a', 'field "a" got the default 0'],
    ['DEFAULT_CHANGED', 'b', 'default of field "b" changed from 1 to 5'],
    ['DEFAULT_REMOVED', 'c', 'field "c" lost its default 2'],
  ]],
  ['nested record field added', record([f('addr', record([f('city', 'string')], { name: 'Addr' }))]), record([f('addr', record([f('city', 'string'), f('zip', 'string', { default: '' })], { name: 'Addr' }))]), [['FIELD_ADDED', 'addr.zip', 'field "addr.zip" was added with default ""']]],
  ['array items promoted', record([f('xs', { type: 'array', items: 'int' })]), record([f('xs', { type: 'array', items: 'long' })]), [['TYPE_PROMOTED', 'xs[]', 'type of field "xs[]" was promoted from int to long']]],
  ['map values changed', record([f('m', { type: 'map', values: 'int' })]), record([f('m', { type: 'map', values: 'string' })]), [['TYPE_CHANGED', 'm{}', 'type of field "m{}" changed from "int" to "string"']]],
  ['logical type added', record([f('t', 'long')]), record([f('t', { type: 'long', logicalType: 'timestamp-millis' })]), [['LOGICAL_TYPE_CHANGED', 't', 'logical type of field "t" changed from none to timestamp-millis']]],
  ['fixed size changed', record([f('h', { type: 'fixed', name: 'H', size: 16 })]), record([f('h', { type: 'fixed', name: 'H', size: 32 })]), [['FIXED_SIZE_CHANGED', 'h', 'size of fixed "H" of field "h" changed from 16 to 32']]],
  ['record renamed through an alias', record([f('a', 'int')]), record([f('a', 'int')], { name: 'S', aliases: ['t.R'] }), [['NAME_CHANGED', '', 'record "t.R" was renamed to "t.S" through the alias "t.R"']]],
  ['a recursive type ends', record([f('next', ['null', 'R'])]), record([f('next', ['null', 'R']), f('v', 'int', { default: 0 })]), [['FIELD_ADDED', 'v', 'field "v" was added with default 0']]],
];

describe('schemaChanges (Avro)', () => {
  it.each(AVRO)('%s', (_name, older, newer, expected) => {
    expect(schemaChanges('AVRO', older, newer).map((c) => [c.kind, c.field, c.message])).toEqual(expected);
  });

  it('points into the newer schema for what it has and into the older for what it lost', () => {
    const changes = schemaChanges('AVRO', record([f('a', 'int'), f('b', 'int')]), record([f('b', 'int'), f('c', 'int', { default: 0 })]));
    expect(changes.map((c) => [c.kind, c.pointer])).toEqual([['FIELD_ADDED', '/fields/1'], ['FIELD_REMOVED', '/fields/0']]);
  });

  it('never throws on schemas that do not parse', () => {
    for (const [a, b] of [[null, 'x'], [{ type: 'record' }, 42], [[], {}], [record([f('a', 'Nope')]), record([{ bad: 1 }])]] as [unknown, unknown][]) {
      expect(() => schemaChanges('AVRO', a, b)).not.toThrow();
    }
  });

  it('of the bundled post.created v1 -> v2: user_id renamed to author_id, five fields added with defaults', () => {
    const event = loadProject(repoRoot).catalog.events.find((e) => e.type === 'post.created')!;
    expect(schemaChanges('AVRO', event.versions[0]!.schema, event.versions[1]!.schema).map((c) => `${c.kind} ${c.field}`)).toEqual([
      'FIELD_RENAMED author_id',
      'FIELD_ADDED title',
      'FIELD_ADDED content',
      'FIELD_ADDED privacy',
      'FIELD_ADDED tags',
      'FIELD_ADDED media_ids',
    ]);
  });
});

describe('schemaChanges (JSON Schema): Confluent\'s difference list', () => {
  const object = (properties: object, extra: object = {}) => ({ type: 'object', properties, ...extra });
  it.each([
    ['optional property added to an open model', object({ a: { type: 'string' } }), object({ a: { type: 'string' }, b: { type: 'integer' } }), [['OPTIONAL_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL', 'b']]],
    ['enum extended', object({ s: { enum: ['a'] } }), object({ s: { enum: ['a', 'b'] } }), [['ENUM_ARRAY_EXTENDED', 's']]],
    ['type changed', object({ n: { type: 'string' } }), object({ n: { type: 'integer' } }), [['TYPE_CHANGED', 'n']]],
    ['description changed', object({ a: { type: 'string', description: 'x' } }), object({ a: { type: 'string', description: 'y' } }), [['DESCRIPTION_CHANGED', 'a']]],
  ])('%s', (_name, older, newer, expected) => {
    expect(schemaChanges('JSON', older, newer).map((c) => [c.kind, c.field])).toEqual(expected);
  });
});
