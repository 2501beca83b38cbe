import { AvroSchemaParser } from '@asyncapi/avro-schema-parser';
import { Parser } from '@asyncapi/parser';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { AVRO_SCHEMA_FORMAT, buildAsyncApi, rebaseLocalRefs } from '../../../src/asyncapi/document.js';
import { toYaml } from '../../../src/asyncapi/yaml.js';
import { loadProject } from '../../../src/contracts/load.js';
import { eventSubject } from '../../../src/model/contract.js';
import { cli, fixtureCatalog, projectFrom, repoRoot } from '../../support/project.js';

const bundled = loadProject(repoRoot).catalog;

/** Severity 0 is an error in Spectral's (and the parser's) diagnostics. */
async function parseAsyncApi(text: string) {
  const parser = new Parser();
  parser.registerSchemaParser(AvroSchemaParser());
  const { document, diagnostics } = await parser.parse(text);
  return { document, errors: diagnostics.filter((d) => d.severity === 0).map((d) => `${d.code}: ${d.message} at ${d.path.join('/')}`), diagnostics };
}

describe('the AsyncAPI 3.0 document', () => {
  it.each([
    ['the bundled catalog as YAML', () => toYaml(buildAsyncApi(bundled))],
    ['the bundled catalog as JSON', () => JSON.stringify(buildAsyncApi(bundled), null, 2)],
    ['the all-types fixture (Avro and JSON Schema) as YAML', () => toYaml(buildAsyncApi(loadProject(fixtureCatalog('all-types')).catalog))],
  ])('%s parses with @asyncapi/parser: no errors, no error-severity diagnostics', async (_name, text) => {
    const { document, errors } = await parseAsyncApi(text());
    expect(errors).toEqual([]);
    expect(document).toBeDefined();
  });

  it('has one channel per topic, one message per event, a send per event and a receive per subscriber and topic', async () => {
    const { document } = await parseAsyncApi(toYaml(buildAsyncApi(bundled)));
    expect(document!.channels().all().map((c) => c.address()).sort()).toEqual(bundled.topics.map((t) => t.name).sort());
    expect(document!.components().messages().all().map((m) => m.name()).sort()).toEqual(bundled.events.map((e) => e.type).sort());
    const content = document!.channels().all().find((c) => c.address() === 'nova.content.events')!;
    expect(content.messages().all().map((m) => m.name()).sort()).toEqual(bundled.events.filter((e) => e.topic === 'nova.content.events').map((e) => e.type).sort());
    const sends = document!.operations().all().filter((o) => o.action() === 'send');
    expect(sends.length).toBe(bundled.events.length);
    const receives = document!.operations().all().filter((o) => o.action() === 'receive').map((o) => o.id());
    const expected = [...new Set(bundled.events.flatMap((e) => e.subscribers.map((s) => `${s}.receive.${e.topic}`)))].sort();
    expect(receives.sort()).toEqual(expected);
    const feed = document!.operations().get('feed-service.receive.nova.content.events')!;
    expect(feed.messages().all().map((m) => m.name()).sort()).toEqual(bundled.events.filter((e) => e.topic === 'nova.content.events' && e.subscribers.includes('feed-service')).map((e) => e.type).sort());
  });

  it('describes each message with its schema, key, Confluent schema id location, lookup strategy and the standard headers', () => {
    const doc = buildAsyncApi(bundled) as any;
    const post = bundled.events.find((e) => e.type === 'post.created')!;
    const message = doc.components.messages['post.created'];
    expect(message.payload).toEqual({ schemaFormat: AVRO_SCHEMA_FORMAT, schema: post.versions[1]!.schema });
    expect(message.bindings.kafka).toMatchObject({ key: { type: 'string' }, schemaIdLocation: 'payload', schemaLookupStrategy: 'TopicRecordNameStrategy', bindingVersion: '0.5.0' });
    expect(message['x-nova-subject']).toBe(eventSubject(post));
    expect(message.headers.properties.event_type.const).toBe('post.created');
    expect(message.headers.required).toEqual(expect.arrayContaining(['event_id', 'ce_id', 'ce_type', 'ce_source', 'ce_time', 'content-type']));
    const json = doc.components.messages['service.call'];
    expect(json.payload.schemaFormat).toBe('application/schema+json;version=draft-07');
    expect(json.contentType).toBe('application/json');
    const channel = doc.channels['nova.content.events'];
    const topic = bundled.topics.find((t) => t.name === 'nova.content.events')!;
    expect(channel.bindings.kafka).toEqual({ topic: topic.name, partitions: topic.partitions, topicConfiguration: { 'retention.ms': topic.retentionMs }, bindingVersion: '0.5.0' });
  });
});

describe('toYaml', () => {
  const tricky = ['', 'yes', 'No', 'null', '~', '1', '0x10', '1e3', '-', '- x', ': x', 'a: b', '#c', 'x #c', '"q"', "'s'", '\\', 'line\nbreak', '\ttab', ' lead', 'trail ', '\u0085\u2028\u2029\u007f\u009f', '\ufeffbom', 'ünïcödé ✓', '{}', '[]', '*a', '&a', '!tag', '%', '@', '`', '|', '>'];
  it.each([
    ['scalars', { s: 'x', n: 1.5, neg: -3, z: 0, t: true, f: false, nul: null }],
    ['tricky strings as values and keys', Object.fromEntries(tricky.map((s, i) => [s, s + String(i)]))],
    ['tricky strings in arrays', { list: tricky }],
    ['nesting', { a: [{ b: [1, [2, [3, {}]], []] }, { c: {} }], d: { e: { f: [{ g: 'h', i: ['j'] }] } } }],
    ['the bundled AsyncAPI document', buildAsyncApi(bundled)],
  ])('%s read back as the same value', (_name, value) => {
    expect(parseYaml(toYaml(value))).toEqual(value);
  });

  it('refuses a number JSON has no form for', () => {
    expect(() => toYaml({ n: Number.NaN })).toThrow(TypeError);
  });
});

describe('nova-events asyncapi', () => {
  it('writes asyncapi.yaml in the project by default, then finds it unchanged', async () => {
    const dir = projectFrom('all-types');
    const first = await cli(['asyncapi'], dir);
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/^asyncapi\.yaml: written \(AsyncAPI 3\.0, yaml/);
    const text = readFileSync(join(dir, 'asyncapi.yaml'), 'utf8');
    expect(parseYaml(text)).toEqual(JSON.parse(JSON.stringify(buildAsyncApi(loadProject(dir).catalog))));
    expect((await cli(['asyncapi'], dir)).stdout).toMatch(/^asyncapi\.yaml: unchanged/);
  });

  it('writes JSON for a .json file or --format json, and to stdout with --out -', async () => {
    const dir = projectFrom('all-types');
    expect((await cli(['asyncapi', '--out', 'api/doc.json'], dir)).code).toBe(0);
    expect(JSON.parse(readFileSync(join(dir, 'api', 'doc.json'), 'utf8')).asyncapi).toBe('3.0.0');
    const out = await cli(['asyncapi', '--out', '-', '--format', 'json'], dir);
    expect(JSON.parse(out.stdout).channels).toBeDefined();
    expect((await cli(['asyncapi', '--format', 'xml'], dir)).code).toBe(2);
  });

  it('refuses invalid contracts with the validate findings and writes nothing', async () => {
    const dir = projectFrom('minimal', { 'contracts/order/order.placed.v1.avsc': '{"type": "record"' });
    const result = await cli(['asyncapi'], dir);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('asyncapi: the contracts are invalid; nothing was changed');
  });
});

describe('rebaseLocalRefs', () => {
  const base = '#/components/messages/m/payload/schema';
  it.each([
    ['a definitions reference', { $ref: '#/definitions/a' }, { $ref: `${base}/definitions/a` }],
    ['the root', { items: { $ref: '#' } }, { items: { $ref: base } }],
    ['inside properties, even one named like a keyword', { properties: { default: { $ref: '#/$defs/x' }, $ref: { type: 'string' } } }, { properties: { default: { $ref: `${base}/$defs/x` }, $ref: { type: 'string' } } }],
    ['not in data keywords', { const: { $ref: '#/x' }, enum: [{ $ref: '#/y' }], default: { $ref: '#/z' } }, { const: { $ref: '#/x' }, enum: [{ $ref: '#/y' }], default: { $ref: '#/z' } }],
    ['not remote or anchor references', { anyOf: [{ $ref: 'other.json#/a' }, { $ref: '#anchor' }] }, { anyOf: [{ $ref: 'other.json#/a' }, { $ref: '#anchor' }] }],
  ])('%s', (_name, schema, expected) => {
    expect(rebaseLocalRefs(schema, base)).toEqual(expected);
  });
});
