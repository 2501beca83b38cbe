import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ajvCompileCannotFail } from '../../../src/formats/json-schema/compile-free.js';
import { ajvFor, checkJsonSchema, jsonSchemaDraft, type JsonSchemaDraft } from '../../../src/formats/json-schema/parse.js';
import { metaSchemaValidator } from '../../../src/formats/json-schema/meta-validators.generated.js';
import { describeOracle } from '../../support/oracles.js';
import { repoRoot } from '../../support/project.js';
import { seededRandom } from '../../support/seed.js';

// checkJsonSchema skips ajv (its compiler costs ~50 ms of every check-compat run) in two ways:
// the draft's meta-schema runs precompiled, and ajv's compile is skipped for schemas that
// ajvCompileCannotFail accepts. Both are only sound if nothing observable changes: the same
// meta-schema errors as ajv's validateSchema, and no skipped compile that would have thrown or
// warned. Every schema below is checked for both against ajv itself.

const DRAFT_URIS: Record<JsonSchemaDraft, string> = {
  'draft-07': 'http://json-schema.org/draft-07/schema#',
  '2019-09': 'https://json-schema.org/draft/2019-09/schema',
  '2020-12': 'https://json-schema.org/draft/2020-12/schema',
};
const DRAFTS = Object.keys(DRAFT_URIS) as JsonSchemaDraft[];

function withoutDraft(schema: Record<string, unknown>): Record<string, unknown> {
  const { $schema: _ignored, ...rest } = schema;
  return rest;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** What ajv's compile does with the schema (a fresh copy: ajv caches compiled objects): its error and warnings. */
function ajvCompile(schema: Record<string, unknown>): { error?: string; warnings: unknown[][] } {
  const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
  try {
    ajvFor(jsonSchemaDraft(schema)).compile(structuredClone(withoutDraft(schema)));
    return { warnings: warn.mock.calls };
  } catch (e) {
    return { error: e instanceof Error ? e.message : String(e), warnings: warn.mock.calls };
  } finally {
    warn.mockRestore();
  }
}

function checked(schema: unknown): { problems: ReturnType<typeof checkJsonSchema>; warnings: unknown[][] } {
  const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
  try {
    return { problems: checkJsonSchema(schema), warnings: warn.mock.calls };
  } finally {
    warn.mockRestore();
  }
}

/** The two claims, for one schema. */
function expectSameAsAjv(schema: unknown): void {
  if (!isObject(schema)) return;
  const draft = jsonSchemaDraft(schema);
  const bare = withoutDraft(schema);
  const ajv = ajvFor(draft);
  const precompiled = metaSchemaValidator(draft) as { (s: unknown): boolean; errors?: unknown };
  // 1. The precompiled meta-schema validator is ajv's validateSchema, errors and all.
  expect(precompiled(bare)).toBe(ajv.validateSchema(bare));
  expect(precompiled.errors ?? null).toEqual(ajv.errors ?? null);
  // 2. A compile checkJsonSchema skipped would have succeeded, and printed nothing.
  const ours = checked(schema);
  const compiled = ajvCompile(schema);
  if (ours.problems.length === 0) {
    expect(compiled.error).toBeUndefined();
    expect(ours.warnings).toEqual(compiled.warnings);
  } else if (compiled.error === undefined) expect(ours.warnings).toEqual([]);
}

/** Edge cases, each under every draft: what ajv's meta-schemas accept and its compile refuses, warns about, or resolves otherwise. */
const EDGES: Array<[string, Record<string, unknown>]> = [
  ['an empty enum (2019-09 and 2020-12 meta-schemas allow it)', { properties: { a: { enum: [] } } }],
  ['nullable without type', { properties: { a: { nullable: true } } }],
  ['nullable: false with type null', { type: 'null', nullable: false }],
  ['nullable with type', { type: 'string', nullable: true }],
  ['the unsupported "id" keyword', { properties: { a: { id: 'x' } } }],
  ['$async in a subschema', { properties: { a: { $async: true } } }],
  ['an unknown format (ajv warns)', { properties: { a: { type: 'string', format: 'no-such-format' } } }],
  ['a known format', { properties: { a: { type: 'string', format: 'date-time' } } }],
  ['formatMaximum without format', { properties: { a: { formatMaximum: '2020-01-01' } } }],
  ['a reference chain that loops', { definitions: { a: { $ref: '#/definitions/a' } }, properties: { x: { $ref: '#/definitions/a' } } }],
  ['a reference chain', { definitions: { a: { $ref: '#/definitions/b' }, b: { type: 'string' } }, properties: { x: { $ref: '#/definitions/a' } } }],
  ['a reference into data', { properties: { x: { $ref: '#/properties/y/minimum' }, y: { minimum: 1 } } }],
  ['a reference to a map of schemas', { properties: { x: { $ref: '#/properties' }, y: { type: 'string' } } }],
  ['a reference to a list of names in dependencies', { dependencies: { a: ['b'] }, properties: { x: { $ref: '#/dependencies/a' } } }],
  ['a reference into $defs', { $defs: { a: { type: 'string' } }, properties: { x: { $ref: '#/$defs/a' } } }],
  ['a reference into $defs holding an invalid type', { $defs: { a: { type: 5 } }, properties: { x: { $ref: '#/$defs/a' } } }],
  ['an invalid $defs entry nobody references', { $defs: { a: { type: 5 } }, properties: { x: { type: 'string' } } }],
  ['a reference into an unknown keyword', { 'x-lib': { a: { type: 5 } }, properties: { x: { $ref: '#/x-lib/a' } } }],
  ['a percent-encoded reference', { definitions: { 'a b': { type: 'string' } }, properties: { x: { $ref: '#/definitions/a%20b' } } }],
  // ajv decodes the reference to "a b", a reference that loops; the literal name is another definition
  ['a percent-encoded reference that also names a definition literally', { definitions: { 'a b': { $ref: '#/definitions/a%20b' }, 'a%20b': { type: 'string' } }, properties: { x: { $ref: '#/definitions/a%20b' } } }],
  ['an escaped reference', { definitions: { 'a/b': { type: 'string' }, 'c~d': { type: 'string' } }, properties: { x: { $ref: '#/definitions/a~1b' }, y: { $ref: '#/definitions/c~0d' } } }],
  ['a reference to the root', { properties: { self: { $ref: '#' } } }],
  ['a recursive definition', { definitions: { node: { type: 'object', properties: { next: { $ref: '#/definitions/node' } } } }, properties: { head: { $ref: '#/definitions/node' } } }],
  ['a reference to an array item', { items: [{ type: 'string' }, { $ref: '#/items/0' }] }],
  ['a reference to a boolean schema', { definitions: { no: false }, properties: { x: { $ref: '#/definitions/no' } } }],
  ['a reference to another file', { properties: { x: { $ref: 'other.json#/a' } } }],
  ['an anchor reference', { definitions: { a: { $anchor: 'A', type: 'string' } }, properties: { x: { $ref: '#A' } } }],
  ['duplicate anchors', { properties: { a: { $anchor: 'x' }, b: { $anchor: 'x' } } }],
  ['an invalid anchor', { properties: { a: { $anchor: 'a b' } } }],
  ['an anchor inside an unknown keyword', { 'x-meta': { $anchor: 'a b' } }],
  ['duplicate $ids', { properties: { a: { $id: 'http://example.com/a' }, b: { $id: 'http://example.com/a' } } }],
  ['an $id inside an unknown keyword and a subschema', { 'x-meta': { $id: 'http://example.com/a' }, properties: { b: { $id: 'http://example.com/a' } } }],
  ['a root $id and a reference', { $id: 'http://example.com/root', definitions: { a: {} }, properties: { x: { $ref: '#/definitions/a' } } }],
  ['a nested $schema', { properties: { a: { $schema: 'http://json-schema.org/draft-04/schema#', type: 'string' } } }],
  ['$recursiveRef', { $recursiveAnchor: true, properties: { a: { $recursiveRef: '#' } } }],
  ['$recursiveRef to another file', { properties: { a: { $recursiveRef: 'other.json' } } }],
  ['$dynamicRef to another file', { properties: { a: { $dynamicRef: 'other.json' } } }],
  ['$dynamicRef', { $dynamicAnchor: 'meta', properties: { a: { $dynamicRef: '#meta' } } }],
  ['minContains above maxContains', { contains: { type: 'string' }, minContains: 2, maxContains: 1 }],
  ['if without then', { if: { type: 'string' } }],
  ['then without if', { then: { type: 'string' } }],
  ['dependencies of both kinds', { dependencies: { a: ['b'], c: { required: ['d'] } } }],
  ['dependentSchemas and dependentRequired', { dependentSchemas: { a: { required: ['b'] } }, dependentRequired: { c: ['d'] } }],
  ['tuple items', { items: [{ type: 'string' }, { type: 'integer' }], additionalItems: false }],
  ['prefixItems holding an invalid type', { prefixItems: [{ type: 5 }], items: false }],
  ['unevaluatedProperties', { properties: { a: {} }, unevaluatedProperties: false, allOf: [{ properties: { b: {} } }] }],
  ['a property named __proto__', JSON.parse('{"properties": {"__proto__": {"type": "string"}}, "required": ["__proto__"]}') as Record<string, unknown>],
  ['a property named $id', { properties: { $id: { type: 'string' } } }],
  ['unknown keywords', { 'x-java-type': 'Foo', javaType: { $ref: '#/nowhere' }, properties: { a: { 'x-tag': [1] } } }],
  ['a discriminator', { discriminator: { propertyName: 'kind' }, oneOf: [{ properties: { kind: { const: 'a' } } }] }],
  ['$vocabulary', { $vocabulary: { 'https://example.com/vocab': true } }],
  ['contentSchema', { contentMediaType: 'application/json', contentSchema: { type: 5 } }],
  ['a default at the root', { default: {}, properties: { a: { default: 1, type: 'string' } } }],
];

/** A seeded generator of schemas mixing ordinary keywords with the edge cases above. */
function randomSchema(random: () => number, depth = 0): unknown {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  if (depth > 3 || random() < 0.15) return pick<unknown>([true, false, {}, { type: 'string' }]);
  const node: Record<string, unknown> = {};
  const keys = Math.floor(random() * 4) + 1;
  for (let k = 0; k < keys; k++) {
    switch (pick(['type', 'properties', 'required', 'enum', 'const', 'items', 'tuple', 'prefixItems', 'definitions', '$defs', '$ref', 'format', 'pattern', 'nullable', 'id', '$anchor', 'minimum', 'contains', 'anyOf', 'not', 'dependencies', 'dependentSchemas', 'unevaluatedProperties', 'x-ext', 'additionalProperties', 'if'])) {
      case 'type':
        node['type'] = pick<unknown>(['string', 'object', ['string', 'null'], 'integer', 5, ['string', 'string']]);
        break;
      case 'properties':
        node['properties'] = { a: randomSchema(random, depth + 1), b: randomSchema(random, depth + 1) };
        break;
      case 'required':
        node['required'] = pick<unknown>([['a'], [], ['a', 'a']]);
        break;
      case 'enum':
        node['enum'] = pick<unknown>([[], ['x'], [1, 1], 'x']);
        break;
      case 'const':
        node['const'] = pick<unknown>([1, null, { $ref: '#/nowhere' }]);
        break;
      case 'items':
        node['items'] = randomSchema(random, depth + 1);
        break;
      case 'tuple':
        node['items'] = [randomSchema(random, depth + 1)];
        node['additionalItems'] = randomSchema(random, depth + 1);
        break;
      case 'prefixItems':
        node['prefixItems'] = [randomSchema(random, depth + 1)];
        break;
      case 'definitions':
        node['definitions'] = { a: randomSchema(random, depth + 1) };
        break;
      case '$defs':
        node['$defs'] = { a: randomSchema(random, depth + 1) };
        break;
      case '$ref':
        node['$ref'] = pick(['#', '#/definitions/a', '#/$defs/a', '#/properties/a', '#/properties/a/minimum', '#/items', '#/items/0', '#/prefixItems/0', '#/definitions/a%61', '#/nowhere', 'other.json']);
        break;
      case 'format':
        node['format'] = pick(['date-time', 'uuid', 'email', 'no-such-format']);
        break;
      case 'pattern':
        node['pattern'] = pick(['^a', '(', '\\p{L}']);
        break;
      case 'nullable':
        node['nullable'] = random() < 0.5;
        break;
      case 'id':
        node[pick(['id', '$id'])] = pick(['x', 'http://example.com/x']);
        break;
      case '$anchor':
        node['$anchor'] = pick(['A', 'a b']);
        break;
      case 'minimum':
        node['minimum'] = pick<unknown>([0, '0']);
        break;
      case 'contains':
        node['contains'] = randomSchema(random, depth + 1);
        node['minContains'] = pick([0, 1, 2]);
        break;
      case 'anyOf':
        node['anyOf'] = pick([[], [randomSchema(random, depth + 1)], [randomSchema(random, depth + 1), randomSchema(random, depth + 1)]]);
        break;
      case 'not':
        node['not'] = randomSchema(random, depth + 1);
        break;
      case 'dependencies':
        node['dependencies'] = { a: pick<unknown>([['b'], randomSchema(random, depth + 1), 5]) };
        break;
      case 'dependentSchemas':
        node['dependentSchemas'] = { a: randomSchema(random, depth + 1) };
        break;
      case 'unevaluatedProperties':
        node['unevaluatedProperties'] = randomSchema(random, depth + 1);
        break;
      case 'x-ext':
        node['x-ext'] = { a: randomSchema(random, depth + 1) };
        break;
      case 'additionalProperties':
        node['additionalProperties'] = randomSchema(random, depth + 1);
        break;
      case 'if':
        node['if'] = randomSchema(random, depth + 1);
        if (random() < 0.5) node['then'] = randomSchema(random, depth + 1);
        break;
    }
  }
  return node;
}

const RANDOM_PER_DRAFT = 150;

function contractSchemas(dir: string): Array<[string, unknown]> {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((p) => p.endsWith('.schema.json'))
    .map((p): [string, unknown] => [p, JSON.parse(readFileSync(join(dir, p), 'utf8'))]);
}

afterEach(() => vi.restoreAllMocks());

describe('JSON Schema checks without ajv give what ajv gives', () => {
  it.each(DRAFTS.flatMap((draft) => EDGES.map(([name, schema]) => [draft, name, { $schema: DRAFT_URIS[draft], ...schema }] as const)))('%s, %s', (_draft, _name, schema) => {
    expectSameAsAjv(schema);
  });

  it.each(DRAFTS)('%s: seeded random schemas', (draft) => {
    const random = seededRandom(`json-schema-compile-free ${draft}`);
    for (let i = 0; i < RANDOM_PER_DRAFT; i++) {
      const schema = randomSchema(random);
      if (isObject(schema)) expectSameAsAjv({ $schema: DRAFT_URIS[draft], ...schema });
    }
  });

  it.each([...contractSchemas(join(repoRoot, 'contracts')), ...contractSchemas(join(repoRoot, 'test', 'fixtures'))])('contract %s', (_path, schema) => {
    expectSameAsAjv(schema);
  });

  it('skips the compile for the plain schemas a catalog holds, and for none that ajv refuses', () => {
    const plain = [...contractSchemas(join(repoRoot, 'contracts')), ...contractSchemas(join(repoRoot, 'test', 'fixtures'))];
    expect(plain.length).toBeGreaterThan(0);
    for (const [path, schema] of plain) expect(ajvCompileCannotFail(withoutDraft(schema as Record<string, unknown>), jsonSchemaDraft(schema)), path).toBe(true);
    // Each of these passes its meta-schema, and ajv's compile throws or warns: never skipped.
    const refused = DRAFTS.flatMap((draft) =>
      EDGES.map(([name, edge]) => [`${draft} ${name}`, { $schema: DRAFT_URIS[draft], ...edge }] as const).filter(([, s]) => {
        const compiled = ajvCompile(s);
        return ajvFor(draft).validateSchema(withoutDraft(s)) && (compiled.error !== undefined || compiled.warnings.length > 0);
      }),
    );
    expect(refused.length).toBeGreaterThanOrEqual(20);
    for (const [name, s] of refused) expect(ajvCompileCannotFail(withoutDraft(s), jsonSchemaDraft(s)), name).toBe(false);
  });

  it('reports what ajv refuses at compile time with ajv\'s message', () => {
    const schema = { $schema: DRAFT_URIS['2019-09'], properties: { a: { enum: [] } } };
    expect(checkJsonSchema(schema)).toEqual([{ rule: 'JSON_SCHEMA_INVALID', pointer: '', message: 'enum must have non-empty array' }]);
    expect(checkJsonSchema({ properties: { a: { nullable: true } } })).toEqual([{ rule: 'JSON_SCHEMA_INVALID', pointer: '', message: '"nullable" cannot be used without "type"' }]);
  });
});

describeOracle<{ id: string; original_schema: unknown; update_schema: unknown }>('jsonschema-compat.json', 'JSON Schema checks without ajv on the Confluent diff vectors', (rows) => {
  it('give what ajv gives on every schema, and skip the compile for most', () => {
    const schemas = rows.flatMap((row) => [row.original_schema, row.update_schema]);
    for (const schema of schemas) expectSameAsAjv(schema);
    const valid = schemas.filter((s) => checkJsonSchema(s).length === 0) as Array<Record<string, unknown>>;
    const skipped = valid.filter((s) => ajvCompileCannotFail(withoutDraft(s), jsonSchemaDraft(s)));
    expect(skipped.length).toBeGreaterThan(valid.length / 2);
  });
});
