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
