import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Diagnostic } from '../../../src/diagnostics/diagnostic.js';
import { MAX_SCHEMA_DEPTH } from '../../../src/formats/json-value.js';
import { cli, editJson, fixtureCatalog, git, projectFrom } from '../../support/project.js';

const EVENT = 'contracts/order/order.placed.event.json';
const V1 = 'contracts/order/order.placed.v1.avsc';
/** The JSON Schema event of the all-types fixture. */
const AUDIT_V1 = 'contracts/audit/audit.recorded.v1.schema.json';

interface BrokenCase {
  readonly name: string;
  /** The fixture catalog to patch; `minimal` unless named. */
  readonly fixture?: string;
  readonly patch: Parameters<typeof projectFrom>[1];
  readonly expected: Pick<Diagnostic, 'rule' | 'file' | 'pointer'> & { line?: number };
}

// Built as text: JSON.stringify itself overflows the stack on the deepest of these.
/** `n` Avro records, each the only field's type of the one around it. */
function nestedRecords(n: number): string {
  let text = '{"type": "record", "name": "R0", "doc": "Leaf.", "fields": []}';
  for (let i = 1; i < n; i++) text = `{"type": "record", "name": "R${i}", "doc": "Level.", "fields": [{"name": "f", "doc": "Next.", "type": ${text}}]}`;
  return text;
}

/** `n` nested Avro arrays of ints. */
function nestedArrays(n: number): string {
  return '{"type": "array", "items": '.repeat(n) + '"int"' + '}'.repeat(n);
}

/** `n` nested JSON Schema objects, each the only property of the one around it. */
function nestedObjects(n: number): string {
  return '{"type": "object", "description": "Level.", "properties": {"a": '.repeat(n) + '{"type": "string", "description": "Leaf."}' + '}}'.repeat(n);
}

/** Replaces the all-types JSON Schema event's schema. */
const auditSchema = (edit: (schema: any) => void): Parameters<typeof projectFrom>[1] => ({ [AUDIT_V1]: editJson(edit) });
/** The order event's v1 with one more field of `type` (a value, or JSON text). */
const withField = (type: unknown): Parameters<typeof projectFrom>[1] => ({
  [V1]: (old) =>
    old.replace(
      '"doc": "Total in cents." }',
      `"doc": "Total in cents." },\n    { "name": "extra", "doc": "Extra.", "type": ${typeof type === 'string' && type.startsWith('{') ? type : JSON.stringify(type)} }`,
    ),
});
/** The audit event's schema with `context` replaced by JSON text. */
const withContext = (text: string): Parameters<typeof projectFrom>[1] => ({
  [AUDIT_V1]: (old) => old.replace('"context": { "type": "object", "description": "Free-form context." }', `"context": ${text}`),
});

const cases: BrokenCase[] = [
  {
    name: 'invalid JSON',
    patch: { [V1]: (old) => old.replace('"doc": "Total in cents." }', '"doc": "Total in cents." ,}') },
    expected: { rule: 'INVALID_JSON', file: V1, pointer: '', line: 8 },
  },
  {
    name: 'unknown Avro type',
    patch: { [V1]: (old) => old.replace('"type": "long"', '"type": "money"') },
    expected: { rule: 'AVRO_UNKNOWN_TYPE', file: V1, pointer: '/fields/1/type' },
  },
  {
    name: 'missing key field',
    patch: { [EVENT]: editJson((e) => (e.key = 'order_number')) },
    expected: { rule: 'KEY_FIELD_MISSING', file: V1, pointer: '/fields' },
  },
  {
    name: 'nullable key field',
    patch: { [V1]: editJson((s) => (s.fields[0].type = ['null', 'string'])) },
    expected: { rule: 'KEY_FIELD_NOT_STRING', file: V1, pointer: '/fields/0/type' },
  },
  {
    name: 'duplicate event type',
    patch: {
      'contracts/order/order.copy.event.json': JSON.stringify({
          type: 'order.placed',
          aggregate: 'order',
          description: 'A copy.',
          topic: 'shop.order.events',
          schemaType: 'AVRO',
          subjectStrategy: 'RecordNameStrategy',
          key: 'order_id',
          compatibility: 'BACKWARD',
          owner: 'order-service',
          subscribers: [],
          versions: ['order.placed.v1.avsc'],
      }),
    },
    expected: { rule: 'DUPLICATE_EVENT_TYPE', file: EVENT, pointer: '/type' },
  },
  {
    name: 'dangling topic',
    patch: { [EVENT]: editJson((e) => (e.topic = 'shop.orders')) },
    expected: { rule: 'TOPIC_UNDEFINED', file: EVENT, pointer: '/topic' },
  },
  {
    name: 'undocumented field',
    patch: { [V1]: editJson((s) => delete s.fields[1].doc) },
    expected: { rule: 'FIELD_UNDOCUMENTED', file: V1, pointer: '/fields/1' },
  },
  {
    name: 'missing version file',
    patch: { [V1]: null },
    expected: { rule: 'VERSION_FILE_MISSING', file: EVENT, pointer: '/versions/0' },
  },
  {
    name: 'unknown compatibility level',
    patch: { [EVENT]: editJson((e) => (e.compatibility = 'SIDEWAYS')) },
    expected: { rule: 'METADATA_INVALID', file: EVENT, pointer: '/compatibility' },
  },
  {
    name: 'missing metadata property',
    patch: { [EVENT]: editJson((e) => delete e.owner) },
    expected: { rule: 'METADATA_INVALID', file: EVENT, pointer: '' },
  },
  {
    name: 'invalid union default',
    patch: { [V1]: editJson((s) => s.fields.push({ name: 'note', type: ['string', 'null'], default: null, doc: 'Note.' })) },
    expected: { rule: 'AVRO_INVALID_DEFAULT', file: V1, pointer: '/fields/2/default' },
  },
  {
    name: 'field name not snake_case',
    patch: { [V1]: editJson((s) => (s.fields[1].name = 'amountCents')) },
    expected: { rule: 'FIELD_NAME_CONVENTION', file: V1, pointer: '/fields/1/name' },
  },
  {
    name: 'event type not prefixed by its aggregate',
    patch: { [EVENT]: editJson((e) => (e.type = 'purchase.placed')) },
    expected: { rule: 'EVENT_NAME_CONVENTION', file: EVENT, pointer: '/type' },
  },
  {
    name: 'record renamed in a later version',
    patch: {
      [EVENT]: editJson((e) => e.versions.push('order.placed.v2.avsc')),
      'contracts/order/order.placed.v2.avsc': JSON.stringify({ type: 'record', name: 'OrderCreated', namespace: 'shop.order', doc: 'x', fields: [{ name: 'order_id', type: 'string', doc: 'Id.' }] }),
    },
    expected: { rule: 'RECORD_NAME_CHANGED', file: 'contracts/order/order.placed.v2.avsc', pointer: '/name' },
  },
  // JSON Schema contracts whose nodes are of the wrong shape: a finding at the node, never a crash.
  ...(
    [
      ['that is null', 'null', ''],
      ['that is a number', '42', ''],
      ['that is an array', '[]', ''],
      ['that is a string', '"audit"', ''],
    ] as const
  ).map(([name, text, pointer]) => ({
    name: `JSON Schema contract ${name}`,
    fixture: 'all-types',
    patch: { [AUDIT_V1]: text },
    expected: { rule: 'JSON_SCHEMA_INVALID' as const, file: AUDIT_V1, pointer },
  })),
  ...(
    [
      ['a property schema that is null', (s: any) => (s.properties.reason = null), '/properties/reason'],
      ['"properties" that is a number', (s: any) => (s.properties = 5), '/properties'],
      ['"items" that is null', (s: any) => (s.properties.tags.items = null), '/properties/tags/items'],
      ['"allOf" holding null', (s: any) => (s.allOf = [null]), '/allOf/0'],
      ['a definition that is null', (s: any) => (s.definitions.actor = null), '/definitions/actor'],
      ['a 2020-12 $defs value that is null', (s: any) => {
        s.$schema = 'https://json-schema.org/draft/2020-12/schema';
        s.$defs = { actor: null };
      }, '/$defs/actor'],
      ['"required" that is not an array', (s: any) => (s.required = 'entry_id'), '/required'],
      ['"required" holding a number', (s: any) => (s.required = [5]), '/required/0'],
      ['"type" that is a number', (s: any) => (s.properties.level.type = 5), '/properties/level/type'],
      ['"not" that is null', (s: any) => (s.properties.action.not = null), '/properties/action/not'],
      ['a dependency that is a number', (s: any) => (s.dependencies = { action: 5 }), '/dependencies/action'],
      ['a "pattern" that is no regular expression', (s: any) => (s.properties.action.pattern = '('), '/properties/action/pattern'],
      ['a patternProperties name that is no regular expression', (s: any) => (s.properties.context.patternProperties = { '(': {} }), '/properties/context/patternProperties/('],
    ] as const
  ).map(([name, edit, pointer]) => ({
    name: `JSON Schema with ${name}`,
    fixture: 'all-types',
    patch: auditSchema(edit),
    expected: { rule: 'JSON_SCHEMA_INVALID' as const, file: AUDIT_V1, pointer },
  })),
  {
    name: 'dangling JSON Schema $ref',
    fixture: 'all-types',
    patch: auditSchema((s) => (s.properties.actor.$ref = '#/definitions/nobody')),
    expected: { rule: 'JSON_SCHEMA_REF_UNRESOLVED' as const, file: AUDIT_V1, pointer: '/properties/actor/$ref' },
  },
  {
    name: 'JSON Schema $ref to another file',
    fixture: 'all-types',
    patch: auditSchema((s) => (s.properties.actor.$ref = 'actor.json#/x')),
    expected: { rule: 'JSON_SCHEMA_REF_UNRESOLVED' as const, file: AUDIT_V1, pointer: '/properties/actor/$ref' },
  },
  ...(['http://json-schema.org/draft-04/schema#', 'http://json-schema.org/draft-06/schema#', 'http://json-schema.org/schema#', 42] as const).map((declared) => ({
    name: `unsupported JSON Schema draft ${JSON.stringify(declared)}`,
    fixture: 'all-types',
    patch: auditSchema((s) => (s.$schema = declared)),
    expected: { rule: 'JSON_SCHEMA_DRAFT_UNSUPPORTED' as const, file: AUDIT_V1, pointer: '/$schema', line: 2 },
  })),
  // Nesting beyond MAX_SCHEMA_DEPTH: refused at the first node past the limit, before any walk.
  {
    name: 'Avro records nested 1,500 deep',
    patch: withField(nestedRecords(1500)),
    // Record k of the field sits at level 4 + 3k; its "fields" array one level below.
    expected: { rule: 'SCHEMA_TOO_DEEP' as const, file: V1, pointer: '/fields/2/type' + '/fields/0/type'.repeat(84) + '/fields', line: 9 },
  },
  {
    name: 'Avro arrays nested 5,000 deep',
    patch: withField(nestedArrays(5000)),
    expected: { rule: 'SCHEMA_TOO_DEEP' as const, file: V1, pointer: '/fields/2/type' + '/items'.repeat(MAX_SCHEMA_DEPTH - 3), line: 9 },
  },
  {
    name: 'JSON Schema objects nested 2,000 deep',
    fixture: 'all-types',
    patch: withContext(nestedObjects(2000)),
    // Object k of "context" sits at level 3 + 2k; items k of the field at level 4 + k.
    expected: { rule: 'SCHEMA_TOO_DEEP' as const, file: AUDIT_V1, pointer: '/properties/context' + '/properties/a'.repeat(127), line: 21 },
  },
  {
    name: 'legacy mapping of a field version 1 lacks',
    patch: { [EVENT]: editJson((e) => (e.legacy = { types: [], topics: [], encodings: ['json-payload'], fields: { total: { from: ['total'] } } })) },
    expected: { rule: 'LEGACY_MAPPING_FIELD_UNKNOWN', file: EVENT, pointer: '/legacy/fields/total' },
  },
  {
    name: 'legacy default the field type cannot take',
    patch: { [EVENT]: editJson((e) => (e.legacy = { types: [], topics: [], encodings: ['json-payload'], fields: { amount_cents: { default: 'free' } } })) },
    expected: { rule: 'LEGACY_MAPPING_TYPE_MISMATCH', file: EVENT, pointer: '/legacy/fields/amount_cents/default' },
  },
  {
    name: 'legacy symbols on a field that is not an enum',
    patch: { [EVENT]: editJson((e) => (e.legacy = { types: [], topics: [], encodings: ['json-payload'], fields: { amount_cents: { symbols: { big: 'BIG' } } } })) },
    expected: { rule: 'LEGACY_MAPPING_TYPE_MISMATCH', file: EVENT, pointer: '/legacy/fields/amount_cents/symbols' },
  },
  {
    name: 'legacy publish type the event does not declare',
    patch: { [EVENT]: editJson((e) => (e.legacy = { types: ['shop.order.placed'], topics: [], encodings: ['json-payload'], publishType: 'OrderPlaced' })) },
    expected: { rule: 'LEGACY_PUBLISH_TARGET_INVALID', file: EVENT, pointer: '/legacy/publishType' },
  },
  {
    name: 'legacy publish topic consumers do not read',
    patch: { [EVENT]: editJson((e) => (e.legacy = { types: [], topics: [], encodings: ['json-payload'], publishTopic: 'orders' })) },
    expected: { rule: 'LEGACY_PUBLISH_TARGET_INVALID', file: EVENT, pointer: '/legacy/publishTopic' },
  },
  {
    name: 'unknown legacy encoding',
    patch: { [EVENT]: editJson((e) => (e.legacy = { types: [], topics: [], encodings: ['xml'] })) },
    expected: { rule: 'METADATA_INVALID', file: EVENT, pointer: '/legacy/encodings/0' },
  },
];

describe('nova-events validate on broken contracts', () => {
  it('accepts a legacy mapping with renames, defaults and a seed source', async () => {
    const patch = { [EVENT]: editJson((e) => Object.assign(e, { seedSource: 'seed 000', legacy: { types: ['shop.order.placed'], topics: [], encodings: ['json-payload', 'json-envelope'], fields: { amount_cents: { from: ['total_cents', 'amount_cents'], default: 0 } } } })) };
    const result = await cli(['validate', '--format', 'json'], projectFrom('minimal', patch));
    expect(JSON.parse(result.stdout)).toEqual([]);
    expect(result.code).toBe(0);
  });

  it('accepts the untouched fixture catalog', async () => {
    const result = await cli(['validate', '--format', 'json'], projectFrom('minimal'));
    expect(JSON.parse(result.stdout)).toEqual([]);
    expect(result.code).toBe(0);
  });

  it.each(cases)('$name: $expected.rule at $expected.file#$expected.pointer, exit 1', async ({ fixture, patch, expected }) => {
    const result = await cli(['validate', '--format', 'json'], projectFrom(fixture ?? 'minimal', patch));
    expect(result.code).toBe(1);
    const findings = JSON.parse(result.stdout) as Diagnostic[];
    expect(findings).toContainEqual(expect.objectContaining(expected));
    for (const finding of findings) expect(finding.message.length).toBeGreaterThan(10);
  });

  it('names the file, line and pointer in text output', async () => {
    const result = await cli(['validate'], projectFrom('minimal', cases[1]!.patch));
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(V1);
    expect(result.stdout).toMatch(/error AVRO_UNKNOWN_TYPE at line 8 #\/fields\/1\/type \(v1\): type "money" is not defined/);
  });

  it('prints github-actions annotations with file and line', async () => {
    const result = await cli(['validate', '--format', 'github-actions'], projectFrom('minimal', cases[5]!.patch));
    expect(result.stdout).toMatch(/^::error file=contracts\/order\/order\.placed\.event\.json,line=5,title=TOPIC_UNDEFINED::topic "shop\.orders"/m);
  });

  it('prints github-actions annotations with repository-relative paths from a project in a subfolder of a git repository', async () => {
    // GitHub places an annotation by the path from the repository's root: contracts/... alone lands nowhere.
    const repo = mkdtempSync(join(tmpdir(), 'nova-mono-'));
    const service = join(repo, 'services', 'orders');
    cpSync(projectFrom('minimal', cases[5]!.patch), service, { recursive: true });
    git(repo, 'init', '-q', '-b', 'main');
    const result = await cli(['validate', '--format', 'github-actions'], join(service, 'contracts', 'order'));
    expect(result.stdout).toMatch(/^::error file=services\/orders\/contracts\/order\/order\.placed\.event\.json,line=5,title=TOPIC_UNDEFINED::/m);
    expect(result.code).toBe(1);
  });

  it('puts the data of a finding in details next to its message', async () => {
    const result = await cli(['validate', '--format', 'json'], projectFrom('minimal', cases[5]!.patch));
    const finding = (JSON.parse(result.stdout) as Diagnostic[]).find((d) => d.rule === 'TOPIC_UNDEFINED');
    expect(finding?.details).toEqual({ eventType: 'order.placed', topic: 'shop.orders' });
  });

  it('reports every finding, not only the first', async () => {
    const result = await cli(['validate', '--format', 'json'], projectFrom('minimal', { ...cases[1]!.patch, ...cases[5]!.patch }));
    const rules = (JSON.parse(result.stdout) as Diagnostic[]).map((d) => d.rule);
    expect(rules).toEqual(expect.arrayContaining(['AVRO_UNKNOWN_TYPE', 'TOPIC_UNDEFINED']));
  });
});

describe('nova-events on contract content at the edges', () => {
  it.each([
    ['Avro arrays nested to the limit', 'minimal', withField(nestedArrays(MAX_SCHEMA_DEPTH - 3))],
    ['Avro records nested to the limit', 'minimal', withField(nestedRecords(84))],
    ['JSON Schema objects nested to the limit', 'all-types', withContext(nestedObjects(126))],
  ] as const)('%s: validate, check-compat and generate run', async (_name, fixture, patch) => {
    const dir = projectFrom(fixture, patch);
    const validate = await cli(['validate', '--format', 'json'], dir);
    expect(JSON.parse(validate.stdout)).toEqual([]);
    expect((await cli(['check-compat', '--format', 'json'], dir)).code).toBe(0);
    const generate = await cli(['generate', '--check', '--format', 'json'], dir);
    expect(generate.stderr).toBe('');
    expect(JSON.parse(generate.stdout)).toMatchObject({ upToDate: false });
  });

  it('refuses a contract file with bytes that are not UTF-8, at their line', async () => {
    const dir = projectFrom('minimal');
    const text = readFileSync(join(dir, V1), 'utf8');
    const at = Buffer.byteLength(text.slice(0, text.indexOf('Total in cents.')));
    const bytes = Buffer.from(text);
    writeFileSync(join(dir, V1), Buffer.concat([bytes.subarray(0, at), Buffer.from([0xc3, 0x28]), bytes.subarray(at)]));
    const result = await cli(['validate', '--format', 'json'], dir);
    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout)).toContainEqual(expect.objectContaining({ rule: 'FILE_NOT_UTF8', file: V1, line: 8 }));
  });

  it('accepts a literal U+FFFD written as an escape', async () => {
    const result = await cli(['validate', '--format', 'json'], projectFrom('minimal', { [V1]: (old) => old.replace('Total in cents.', 'Total \\ufffd in cents.') }));
    expect(JSON.parse(result.stdout)).toEqual([]);
  });

  it('judges a draft 2019-09 schema with its own draft and passes it', async () => {
    const result = await cli(['validate', '--format', 'json'], projectFrom('all-types', auditSchema((s) => (s.$schema = 'https://json-schema.org/draft/2019-09/schema'))));
    expect(JSON.parse(result.stdout)).toEqual([]);
  });

  it('names the supported drafts when refusing another', async () => {
    const result = await cli(['validate', '--format', 'json'], projectFrom('all-types', auditSchema((s) => (s.$schema = 'http://json-schema.org/draft-04/schema#'))));
    const finding = (JSON.parse(result.stdout) as Diagnostic[]).find((d) => d.rule === 'JSON_SCHEMA_DRAFT_UNSUPPORTED');
    for (const draft of ['draft-07', '2019-09', '2020-12']) expect(finding?.message).toContain(draft);
  });

  it.each([
    ['decimal with scale > precision', { type: 'bytes', logicalType: 'decimal', precision: 2, scale: 4 }],
    ['decimal without precision', { type: 'bytes', logicalType: 'decimal' }],
    ['decimal too wide for its fixed', { type: 'fixed', name: 'Money', size: 2, logicalType: 'decimal', precision: 9 }],
    ['timestamp-millis on a string', { type: 'string', logicalType: 'timestamp-millis' }],
    ['date on a long', { type: 'long', logicalType: 'date' }],
    ['uuid on a fixed of 8', { type: 'fixed', name: 'Id', size: 8, logicalType: 'uuid' }],
  ])('warns about an invalid logical type: %s', async (_name, type) => {
    const result = await cli(['validate', '--format', 'json'], projectFrom('minimal', withField(type)));
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual([
      expect.objectContaining({ rule: 'AVRO_LOGICAL_TYPE_INVALID', severity: 'warning', file: V1, pointer: '/fields/2/type/logicalType' }),
    ]);
  });

  it('says why a union default of a later branch is refused: the runtime cannot load it', async () => {
    const result = await cli(['validate', '--format', 'json'], projectFrom('minimal', cases.find((c) => c.name === 'invalid union default')!.patch));
    const finding = (JSON.parse(result.stdout) as Diagnostic[]).find((d) => d.rule === 'AVRO_INVALID_DEFAULT');
    expect(finding?.message).toMatch(/Avro Java and the registry accept it, but the runtime's Avro library \(avsc\) cannot load/);
    expect(finding?.hint).toContain('first');
  });

  it('still refuses a union default that matches no branch, as Avro Java does', async () => {
    const result = await cli(['validate', '--format', 'json'], projectFrom('minimal', withField(['null', 'string'])));
    expect(result.code).toBe(0);
    const bad = await cli(['validate', '--format', 'json'], projectFrom('minimal', { [V1]: editJson((s) => s.fields.push({ name: 'n', type: ['null', 'string'], default: 5, doc: 'N.' })) }));
    const finding = (JSON.parse(bad.stdout) as Diagnostic[]).find((d) => d.rule === 'AVRO_INVALID_DEFAULT');
    expect(finding?.message).toContain('does not match its type');
  });

  it('labels a compatibility finding with the version of its file and points at the removed field\'s list', async () => {
    const V2 = 'contracts/order/order.placed.v2.avsc';
    const dir = projectFrom('minimal', {
      [EVENT]: editJson((e) => {
        e.compatibility = 'FORWARD';
        e.versions.push('order.placed.v2.avsc');
      }),
      [V2]: readFileSync(join(fixtureCatalog('minimal'), V1), 'utf8').replace(/,\s*\{ "name": "amount_cents"[^}]*\}/, ''),
    });
    const result = await cli(['check-compat', '--format', 'json'], dir);
    expect(JSON.parse(result.stdout)).toEqual([
      expect.objectContaining({ rule: 'READER_FIELD_MISSING_DEFAULT_VALUE', file: V2, pointer: '/fields', line: 6, version: 2 }),
    ]);
    expect((await cli(['check-compat'], dir)).stdout).toMatch(/at line 6 #\/fields \(v2\): order\.placed v2 \(FORWARD\): field "amount_cents" was removed/);
  });
});
