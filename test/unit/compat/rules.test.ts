import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkCompatibility } from '../../../src/tooling.js';
import { repoRoot } from '../../support/project.js';

const dir = join(repoRoot, 'test', 'fixtures', 'compat');

interface Expected {
  schemaType: 'AVRO' | 'JSON';
  level: 'BACKWARD';
  path: string;
  message: string;
}

/** A pair that must stay compatible (a rule that fires too often fails it). */
interface ExpectedCompatible {
  schemaType: 'AVRO' | 'JSON';
  level: 'BACKWARD' | 'FULL';
  compatible: true;
  /** Why the pair is compatible. */
  why: string;
}

/** Fixture folders are named `<RULE>` or `<RULE>.<variant>` (several pairs per rule), or `COMPATIBLE.<variant>`. */
const folders = readdirSync(dir).sort();
const ruleOf = (folder: string): string => folder.split('.')[0] as string;

function read(ruleDir: string, name: string): string {
  const file = ['avsc', 'schema.json'].map((ext) => join(ruleDir, `${name}.${ext}`)).find(existsSync);
  if (!file) throw new Error(`no ${name} schema in ${ruleDir}`);
  return readFileSync(file, 'utf8');
}

describe('previous/current fixture pairs per rule (test/fixtures/compat/<RULE>[.<variant>])', () => {
  it.each(folders.filter((f) => ruleOf(f) !== 'COMPATIBLE'))('%s', (folder) => {
    const rule = ruleOf(folder);
    const ruleDir = join(dir, folder);
    const expected = JSON.parse(readFileSync(join(ruleDir, 'expected.json'), 'utf8')) as Expected;
    const result = checkCompatibility({
      schemaType: expected.schemaType,
      level: expected.level,
      previous: [read(ruleDir, 'previous')],
      candidate: read(ruleDir, 'current'),
    });
    expect(result.compatible).toBe(false);
    const finding = result.findings.find((f) => f.rule === rule);
    expect(finding, JSON.stringify(result.findings)).toBeDefined();
    expect(finding).toMatchObject({ path: expected.path, version: 1 });
    expect(finding?.message).toContain(expected.message);
    expect(finding?.hint?.length).toBeGreaterThan(10);
    // The same pair the other way round under FORWARD judges the candidate as the writer.
    const reversed = checkCompatibility({
      schemaType: expected.schemaType,
      level: 'FORWARD',
      previous: [read(ruleDir, 'current')],
      candidate: read(ruleDir, 'previous'),
    });
    expect(reversed.findings.map((f) => f.rule)).toContain(rule);
  });
});

describe('compatible fixture pairs (test/fixtures/compat/COMPATIBLE.<variant>)', () => {
  it.each(folders.filter((f) => ruleOf(f) === 'COMPATIBLE'))('%s', (folder) => {
    const pairDir = join(dir, folder);
    const expected = JSON.parse(readFileSync(join(pairDir, 'expected.json'), 'utf8')) as ExpectedCompatible;
    const result = checkCompatibility({ schemaType: expected.schemaType, level: expected.level, previous: [read(pairDir, 'previous')], candidate: read(pairDir, 'current') });
    expect(result, expected.why).toEqual({ compatible: true, findings: [] });
  });
});

describe('checkCompatibility levels', () => {
  const v1 = { type: 'record', name: 'R', fields: [{ name: 'a', type: 'int' }, { name: 'b', type: 'string' }] };
  const v2 = { type: 'record', name: 'R', fields: [{ name: 'a', type: 'int' }] };
  const v3 = { type: 'record', name: 'R', fields: [{ name: 'a', type: 'int' }, { name: 'b', type: 'int', default: 0 }] };

  it.each([
    ['NONE', true],
    ['BACKWARD', true],
    ['FORWARD', true],
    ['FULL', true],
    ['BACKWARD_TRANSITIVE', false],
    ['FORWARD_TRANSITIVE', false],
    ['FULL_TRANSITIVE', false],
  ] as const)('%s over v1, v2 -> v3 (b removed, then re-added as int) is compatible: %s', (level, compatible) => {
    const result = checkCompatibility({ schemaType: 'AVRO', level, previous: [v1, v2], candidate: v3 });
    expect(result.compatible).toBe(compatible);
    for (const finding of result.findings) expect(finding).toMatchObject({ rule: 'TYPE_MISMATCH', version: 1, path: '/fields/1/type' });
    expect(result.findings.length).toBe(compatible ? 0 : level === 'FULL_TRANSITIVE' ? 2 : 1);
  });

  it('collects every finding, sorted, not only the first', () => {
    const prev = { type: 'record', name: 'R', fields: [{ name: 'a', type: 'long' }, { name: 'b', type: 'string' }] };
    const next = { type: 'record', name: 'R', fields: [{ name: 'a', type: 'int' }, { name: 'b', type: 'int' }, { name: 'c', type: 'int' }] };
    const result = checkCompatibility({ schemaType: 'AVRO', level: 'BACKWARD', previous: [prev], candidate: next });
    expect(result.findings.map((f) => `${f.rule} ${f.path}`)).toEqual([
      'TYPE_MISMATCH /fields/0/type',
      'TYPE_MISMATCH /fields/1/type',
      'READER_FIELD_MISSING_DEFAULT_VALUE /fields/2',
    ]);
  });

  it('judges different schema types incompatible', () => {
    const result = checkCompatibility({ schemaType: 'JSON', level: 'BACKWARD', previous: [{ schemaType: 'AVRO', schema: '"string"' }], candidate: '{"type":"string"}' });
    expect(result).toMatchObject({ compatible: false, findings: [{ rule: 'SCHEMA_TYPE_CHANGED', version: 1 }] });
  });

  it('accepts JSON text and reports a candidate that is not JSON', () => {
    expect(checkCompatibility({ schemaType: 'AVRO', level: 'BACKWARD', previous: ['"int"'], candidate: '"long"' }).compatible).toBe(true);
    expect(checkCompatibility({ schemaType: 'AVRO', level: 'BACKWARD', previous: ['"int"'], candidate: '{oops' }).findings[0]?.rule).toBe('SCHEMA_INVALID');
  });

  it('applies the LENIENT policy to JSON Schema on request', () => {
    const previous = [{ type: 'object', properties: { a: { type: 'string' } } }];
    const candidate = { type: 'object', properties: { a: { type: 'string' }, b: { type: 'string' } } };
    expect(checkCompatibility({ schemaType: 'JSON', level: 'BACKWARD', previous, candidate }).compatible).toBe(false);
    expect(checkCompatibility({ schemaType: 'JSON', level: 'BACKWARD', previous, candidate, policy: 'LENIENT' }).compatible).toBe(true);
  });
});

describe('checkCompatibility never throws on schema input', () => {
  const record = (fields: unknown[]): object => ({ type: 'record', name: 'R', fields });
  const deep = (n: number): string => '{"type": "array", "items": '.repeat(n) + '"int"' + '}'.repeat(n);
  const cyclic: Record<string, unknown> = { type: 'record', name: 'C', fields: [] };
  (cyclic['fields'] as unknown[]).push({ name: 'self', type: cyclic });
  const avro: Array<[string, unknown]> = [
    ['null', null],
    ['a number', 42],
    ['an empty union', []],
    ['fields that are not an array', { type: 'record', name: 'R', fields: 5 }],
    ['a field that is null', record([null])],
    ['a field type that is null', record([{ name: 'a', type: null }])],
    ['a union of nulls', record([{ name: 'a', type: [null, null] }])],
    ['symbols that are numbers', record([{ name: 'e', type: { type: 'enum', name: 'E', symbols: [1, 2] } }])],
    ['a fixed without size', record([{ name: 'f', type: { type: 'fixed', name: 'F' } }])],
    ['a default on a recursive record', record([{ name: 'r', type: ['null', 'R'], default: { r: { r: null } } }])],
    ['aliases that are not strings', record([{ name: 'a', type: 'int', aliases: [1, null] }])],
    ['arrays nested 5,000 deep', deep(5000)],
    ['a cyclic object', cyclic],
    ['a bigint default', record([{ name: 'a', type: 'long', default: 10n }])],
    ['a Map as a schema', new Map()],
    ['undefined', undefined],
  ];
  const jsonSchemas: Array<[string, unknown]> = [
    ['null', null],
    ['a string', '"x"'],
    ['properties that are null', { type: 'object', properties: null }],
    ['a property that is null', { type: 'object', properties: { x: null } }],
    ['items that are null', { type: 'array', items: null }],
    ['allOf holding null', { allOf: [null] }],
    ['$defs values that are null', { $defs: { a: null }, $ref: '#/$defs/a' }],
    ['required that is a string', { type: 'object', required: 'x' }],
    ['dependentRequired that is not an array', { type: 'object', dependentRequired: { a: 5 } }],
    ['dependencies holding numbers', { type: 'object', dependencies: { a: [1, null] } }],
    ['a patternProperties name that is no regular expression', { type: 'object', patternProperties: { '(': {} } }],
    ['a $ref with a broken percent-encoding', { properties: { a: { $ref: '#/%E0%A4%A' } } }],
    ['a $ref to an anchor', { properties: { a: { $ref: '#nowhere' } } }],
    ['a $ref cycle', { $defs: { a: { $ref: '#/$defs/b' }, b: { $ref: '#/$defs/a' } }, $ref: '#/$defs/a' }],
    ['a type array of numbers', { type: [1, 2] }],
    ['objects nested 2,000 deep', '{"properties": {"a": '.repeat(2000) + '{}' + '}}'.repeat(2000)],
    ['a function', { type: 'object', default: () => 1 }],
    ['NaN', { type: 'number', minimum: Number.NaN }],
  ];
  const good = { AVRO: record([{ name: 'a', type: 'int' }]), JSON: { type: 'object', properties: { a: { type: 'string' } } } };

  it.each([...avro.map(([n, s]) => ['AVRO', n, s] as const), ...jsonSchemas.map(([n, s]) => ['JSON', n, s] as const)])('%s: %s, as candidate or previous', (schemaType, _name, schema) => {
    for (const level of ['FULL_TRANSITIVE', 'BACKWARD'] as const) {
      const asCandidate = checkCompatibility({ schemaType, level, previous: [good[schemaType]], candidate: schema as object });
      const asPrevious = checkCompatibility({ schemaType, level, previous: [schema as object], candidate: good[schemaType] });
      for (const result of [asCandidate, asPrevious]) {
        expect(typeof result.compatible).toBe('boolean');
        for (const finding of result.findings) expect(finding.message.length).toBeGreaterThan(10);
      }
    }
  });

  it.each([
    ['arrays nested 5,000 deep', deep(5000), 'SCHEMA_TOO_DEEP', '/items'.repeat(256)],
    ['a cyclic object', cyclic, 'SCHEMA_TOO_DEEP', '/fields/0/type'.repeat(85) + '/fields'],
    ['a bigint default', record([{ name: 'a', type: 'long', default: 10n }]), 'SCHEMA_NOT_JSON', '/fields/0/default'],
  ] as const)('refuses %s with a finding at the pointer', (_name, schema, rule, path) => {
    const result = checkCompatibility({ schemaType: 'AVRO', level: 'BACKWARD', previous: [good.AVRO], candidate: schema as object });
    expect(result).toMatchObject({ compatible: false, findings: [{ rule, path }] });
    const previous = checkCompatibility({ schemaType: 'AVRO', level: 'BACKWARD', previous: [schema as object], candidate: good.AVRO });
    expect(previous).toMatchObject({ compatible: false, findings: [{ rule, path, version: 1 }] });
  });

  it('reports a reader field whose aliases match two writer fields instead of throwing', () => {
    const writer = record([{ name: 'a', type: 'int' }, { name: 'b', type: 'int' }]);
    const reader = record([{ name: 'a', type: 'int', aliases: ['b'] }]);
    const result = checkCompatibility({ schemaType: 'AVRO', level: 'FULL', previous: [writer], candidate: reader });
    expect(result.findings).toContainEqual(expect.objectContaining({ rule: 'READER_FIELD_AMBIGUOUS', path: '/fields/0', version: 1 }));
  });

  it('judges a union default of a later branch as Avro Java 1.12 does, both ways', () => {
    const v1 = record([{ name: 'a', type: 'int' }]);
    const v2 = record([{ name: 'a', type: 'int' }, { name: 'n', type: ['string', 'null'], default: null }]);
    expect(checkCompatibility({ schemaType: 'AVRO', level: 'FULL_TRANSITIVE', previous: [v1], candidate: v2 })).toEqual({ compatible: true, findings: [] });
    expect(checkCompatibility({ schemaType: 'AVRO', level: 'FULL_TRANSITIVE', previous: [v2], candidate: v1 })).toEqual({ compatible: true, findings: [] });
    const noBranch = record([{ name: 'a', type: 'int' }, { name: 'n', type: ['string', 'null'], default: 5 }]);
    expect(checkCompatibility({ schemaType: 'AVRO', level: 'BACKWARD', previous: [v1], candidate: noBranch }).findings[0]).toMatchObject({ rule: 'SCHEMA_INVALID', path: '/fields/1/default' });
  });

  it('points a removed field (FORWARD) at the new schema\'s fields, not at its root', () => {
    const v1 = record([{ name: 'a', type: 'int' }, { name: 'b', type: 'int' }]);
    const v2 = record([{ name: 'a', type: 'int' }]);
    expect(checkCompatibility({ schemaType: 'AVRO', level: 'FORWARD', previous: [v1], candidate: v2 }).findings).toEqual([
      expect.objectContaining({ rule: 'READER_FIELD_MISSING_DEFAULT_VALUE', path: '/fields', version: 1 }),
    ]);
  });
});
