import { describe, expect, it } from 'vitest';
import type { Diagnostic } from '../../../src/diagnostics/diagnostic.js';
import { cli, editJson, projectFrom } from '../../support/project.js';

const EVENT = 'contracts/order/order.placed.event.json';
const V1 = 'contracts/order/order.placed.v1.avsc';

interface BrokenCase {
  readonly name: string;
  readonly patch: Parameters<typeof projectFrom>[1];
  readonly expected: Pick<Diagnostic, 'rule' | 'file' | 'pointer'> & { line?: number };
}

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

  it.each(cases)('$name: $expected.rule at $expected.file#$expected.pointer, exit 1', async ({ patch, expected }) => {
    const result = await cli(['validate', '--format', 'json'], projectFrom('minimal', patch));
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

  it('reports every finding, not only the first', async () => {
    const result = await cli(['validate', '--format', 'json'], projectFrom('minimal', { ...cases[1]!.patch, ...cases[5]!.patch }));
    const rules = (JSON.parse(result.stdout) as Diagnostic[]).map((d) => d.rule);
    expect(rules).toEqual(expect.arrayContaining(['AVRO_UNKNOWN_TYPE', 'TOPIC_UNDEFINED']));
  });
});
