import { describe, expect, it } from 'vitest';
import { catalog } from '../../../generated/catalog.js';
import { eventHeaders } from '../../../src/runtime/headers.js';
import type { EventSpec } from '../../../src/runtime/event-spec.js';
import { columnsToHeaders, debeziumConnectorConfig, headersToColumns, HEADER_COLUMNS, insertStatement, insertValues, migrationScript, outboxTable } from '../../../src/outbox/table.js';
import { NovaError } from '../../../src/util/errors.js';

const spec = catalog['post.liked'] as EventSpec;

describe('outbox locations', () => {
  it.each([
    [{}, '"public"."outbox_events"'],
    [{ schema: 'content', table: 'outbox' }, '"content"."outbox"'],
    [{ schema: '_s1' }, '"_s1"."outbox_events"'],
  ])('%j is %s', (location, qualified) => {
    expect(outboxTable(location).qualified).toBe(qualified);
  });

  it.each([['x"; DROP TABLE users; --'], ['1abc'], [''], ['a'.repeat(64)], ['with space'], ['dot.ted']])('refuses the schema name %j with a typed error', (schema) => {
    const error = (() => {
      try {
        outboxTable({ schema });
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(NovaError);
    expect((error as NovaError).rule).toBe('OUTBOX_IDENTIFIER_INVALID');
    expect((error as NovaError).pointer).toBe('/schema');
  });

  it('keeps the NOTIFY channel within PostgreSQL\'s 63-byte identifiers', () => {
    expect(outboxTable({ schema: 's'.repeat(63), table: 't'.repeat(63) }).channel.length).toBeLessThanOrEqual(63);
  });
});

describe('headers and their columns', () => {
  const cases: [string, Parameters<typeof eventHeaders>[4]][] = [
    ['defaults', undefined],
    ['every option', { eventId: 'e-1', correlationId: 'c-1', causationId: 'k-1', time: new Date(1_790_000_000_000), headers: { 'x-tenant': 'acme', traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' } }],
    ['a caller header named like a column', { headers: { seq: '7', id: 'mine' } }],
  ];
  it.each(cases)('round-trip exactly (%s)', (_name, options) => {
    const { headers } = eventHeaders(spec, 1, 'post-1', 'content-service', options);
    const { columns, extra } = headersToColumns(headers as Record<string, string>);
    const row: Record<string, unknown> = { ...columns, extra_headers: extra };
    expect(columnsToHeaders(row)).toEqual(headers);
  });

  it('gives every standard header a column (so Debezium can place it)', () => {
    const { headers } = eventHeaders(spec, 1, 'post-1', 'svc', { causationId: 'k' });
    const placed = new Set(HEADER_COLUMNS.flatMap((c) => c.headers));
    expect(Object.keys(headers).filter((h) => !placed.has(h))).toEqual([]);
  });

  it('never lets extra_headers override a standard header', () => {
    const headers = columnsToHeaders({ event_type: 'post.liked', id: 'e-1', extra_headers: { event_type: 'forged', event_id: 'forged', 'x-a': 'b' } });
    expect(headers).toMatchObject({ event_type: 'post.liked', event_id: 'e-1', ce_id: 'e-1', 'x-a': 'b' });
  });

  it('binds one parameter per inserted column, in order', () => {
    const table = outboxTable({});
    const sql = insertStatement(table);
    const values = insertValues({ topic: 't', value: Buffer.from([0, 1]), headers: { event_type: 'post.liked', event_id: 'e', ce_subject: 'k', 'x-a': 'b' } }, 1);
    const parameters = new Set([...sql.matchAll(/\$(\d+)/g)].map((m) => Number(m[1])));
    expect(parameters.size).toBe(values.length);
    expect(Math.max(...parameters)).toBe(values.length);
    expect(values).toContain('{"x-a":"b"}');
    expect(sql).toContain('pg_advisory_xact_lock');
    expect(sql).toContain(`pg_notify('${table.channel}'`);
  });

  it('prints an idempotent migration', () => {
    const script = migrationScript(outboxTable({ schema: 'content' }));
    for (const line of script.split('\n').filter((l) => /^CREATE/.test(l))) expect(line).toMatch(/IF NOT EXISTS/);
    expect(script).toContain('"content"."outbox_events"');
  });
});

describe("Debezium's Outbox Event Router settings", () => {
  it('place every header column as the relay sends it, route by topic and key by aggregate id', () => {
    const config = debeziumConnectorConfig(outboxTable({ schema: 'content' }));
    const placed = config['transforms.outbox.table.fields.additional.placement']!.split(',').map((entry) => entry.split(':'));
    const { headers } = eventHeaders(spec, 1, 'post-1', 'svc', { causationId: 'k', headers: { traceparent: 't', tracestate: 's' } });
    const row: Record<string, unknown> = headersToColumns(headers as Record<string, string>).columns;
    for (const [, placement] of placed) expect(placement).toBe('header');
    const debeziumHeaders = Object.fromEntries(placed.map(([column, , header]) => [header, row[column!]]));
    expect(debeziumHeaders).toEqual(headers);
    expect(config).toMatchObject({
      'table.include.list': 'content.outbox_events',
      'transforms.outbox.route.by.field': 'topic',
      'transforms.outbox.table.field.event.key': 'aggregate_id',
      'transforms.outbox.table.field.event.payload': 'payload',
      'value.converter': 'org.apache.kafka.connect.converters.ByteArrayConverter',
    });
  });
});
