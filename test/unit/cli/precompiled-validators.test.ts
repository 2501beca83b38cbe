import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { META_OUTPUT, metaValidatorsSource, OUTPUT, validatorsSource } from '../../../scripts/precompile-validators.mjs';
import { EVENT_METADATA_SCHEMA, METADATA_VALIDATORS, TOPICS_SCHEMA } from '../../../src/contracts/metadata-schemas.js';
import { AJV_FORMATS, AJV_KEYWORDS } from '../../../src/formats/json-schema/meta-validators.generated.js';
import { AJV_OPTIONS, ajvFor, type JsonSchemaDraft } from '../../../src/formats/json-schema/parse.js';
import { repoRoot } from '../../support/project.js';

const compiled = new Ajv({ allErrors: true, strict: true });
const reference = { event: compiled.compile(EVENT_METADATA_SCHEMA), topics: compiled.compile(TOPICS_SCHEMA) };

const eventFiles = readdirSync(join(repoRoot, 'contracts'), { recursive: true, encoding: 'utf8' }).filter((p) => p.endsWith('.event.json'));
const sample = JSON.parse(readFileSync(join(repoRoot, 'contracts', 'post', 'post.created.event.json'), 'utf8')) as Record<string, unknown>;
const topics = JSON.parse(readFileSync(join(repoRoot, 'contracts', 'topics.json'), 'utf8')) as { topics: Array<Record<string, unknown>> };

const EVENT_CASES: Array<[string, unknown]> = [
  ...eventFiles.map((p): [string, unknown] => [p, JSON.parse(readFileSync(join(repoRoot, 'contracts', p), 'utf8'))]),
  ['null', null],
  ['an array', [sample]],
  ['no versions', { ...sample, versions: undefined }],
  ['empty versions', { ...sample, versions: [] }],
  ['an empty type', { ...sample, type: '' }],
  ['a level that does not exist', { ...sample, compatibility: 'SIDEWAYS' }],
  ['an unknown property', { ...sample, extra: 1 }],
  ['duplicate subscribers', { ...sample, subscribers: ['a', 'a'] }],
  ['a bad owner', { ...sample, owner: 'Not A Service' }],
  ['a legacy type that is a number', { ...sample, legacy: { types: [1] } }],
  ['an emoji description (ucs2 length)', { ...sample, description: '\u{1F600}' }],
];
const TOPICS_CASES: Array<[string, unknown]> = [
  ['the bundled topics.json', topics],
  ['an array', [1]],
  ['a topic without partitions', { topics: [{ ...topics.topics[0], partitions: undefined }] }],
  ['zero partitions', { topics: [{ ...topics.topics[0], partitions: 0 }] }],
  ['a lower-case env var', { topics: [{ ...topics.topics[0], envVars: ['lower'] }] }],
];

describe('the precompiled metadata validators', () => {
  it('are up to date with src/contracts/metadata-schemas.ts (else run `npm run build:validators`)', () => {
    expect(readFileSync(OUTPUT, 'utf8')).toBe(validatorsSource({ event: EVENT_METADATA_SCHEMA, topics: TOPICS_SCHEMA }));
  });

  it.each([
    ...EVENT_CASES.map(([name, value]) => ['event', name, value] as const),
    ...TOPICS_CASES.map(([name, value]) => ['topics', name, value] as const),
  ])('%s: %s gives the verdict and the errors of ajv compiling the schema', (kind, _name, value) => {
    const ours = METADATA_VALIDATORS[kind];
    const theirs = reference[kind];
    expect(ours(value)).toBe(theirs(value));
    expect(ours.errors ?? null).toEqual(theirs.errors ?? null);
  });

  it('the bundled catalog is valid and the broken samples are not', () => {
    expect(EVENT_CASES.filter(([, v]) => !METADATA_VALIDATORS.event(v)).map(([n]) => n)).toEqual(EVENT_CASES.slice(eventFiles.length, -1).map(([n]) => n));
  });
});

// The meta-schema validators' verdicts and errors are compared with ajv's validateSchema on
// every schema of test/unit/formats/json-schema-compile-free.test.ts.
describe('the precompiled JSON Schema meta-schema validators', () => {
  it('are up to date with ajv, ajv-formats and AJV_OPTIONS (else run `npm run build:validators`)', () => {
    expect(readFileSync(META_OUTPUT, 'utf8')).toBe(metaValidatorsSource(AJV_OPTIONS));
  });

  it.each(['draft-07', '2019-09', '2020-12'] as const)('%s: know the keywords and formats of the ajv instance contracts are compiled with', (draft: JsonSchemaDraft) => {
    const ajv = ajvFor(draft) as unknown as { RULES: { keywords: Record<string, unknown> }; formats: Record<string, unknown> };
    expect((AJV_KEYWORDS as Record<string, string[]>)[draft]).toEqual(Object.keys(ajv.RULES.keywords));
    expect(AJV_FORMATS).toEqual(Object.keys(ajv.formats));
  });
});
