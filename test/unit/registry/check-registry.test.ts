import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cli, editJson, fixtureCatalog, projectFrom } from '../../support/project.js';
import type { TestServer } from './http-server.js';
import { fakeConfluent } from './fake-confluent.js';
import { answer, serve } from './http-server.js';

const SUBJECT = 'shop.order.events-shop.order.OrderPlaced';
const v1Text = JSON.stringify(JSON.parse(readFileSync(join(fixtureCatalog('all-types'), 'contracts/order/order.placed.v1.avsc'), 'utf8')));
const env = { PATH: process.env['PATH'] };

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const withoutDoc = editJson((s) => delete s.fields.find((f: { name: string }) => f.name === 'count').doc);
const withRequiredField = editJson((s) => s.fields.push({ name: 'currency', type: 'string', doc: 'Currency.' }));

interface Finding {
  rule: string;
  message: string;
}

async function gate(v2: ((old: string) => string) | undefined, registered: boolean, registryCompatible: boolean): Promise<{ code: number; rules: string[]; findings: Finding[] }> {
  const subjects = new Map(registered ? [[SUBJECT, { texts: [v1Text], level: 'BACKWARD_TRANSITIVE' as const }]] : []);
  server = await fakeConfluent(subjects, () => registryCompatible);
  const dir = projectFrom('all-types', v2 ? { 'contracts/order/order.placed.v2.avsc': v2 } : {});
  const result = await cli(['check-compat', '--against', 'registry', '--format', 'json', '--registry-url', server.url, '--timeout', '2000'], dir, env);
  const findings = JSON.parse(result.stdout) as Finding[];
  return { code: result.code, rules: findings.map((f) => f.rule).sort(), findings };
}

describe('check-compat --against registry compares verdicts, not diagnostics', () => {
  it.each([
    // [name, v2 edit, v1 registered, registry's verdict on v2, expected rules]
    ['a v2 lacking a doc, both compatible', withoutDoc, true, true, ['FIELD_UNDOCUMENTED']],
    ['a compatible v2, both agree', undefined, true, true, []],
    ['an incompatible v2, both agree', withRequiredField, true, false, ['READER_FIELD_MISSING_DEFAULT_VALUE', 'REGISTRY_INCOMPATIBLE']],
    ['a compatible v2 the registry refuses', undefined, true, false, ['REGISTRY_INCOMPATIBLE', 'VERDICT_MISMATCH']],
    ['an incompatible v2 the registry accepts', withRequiredField, true, true, ['READER_FIELD_MISSING_DEFAULT_VALUE', 'VERDICT_MISMATCH']],
    // Nothing registered: the registry judged v2 against nothing, and so does the engine's verdict.
    ['an incompatible v2 on a new subject', withRequiredField, false, true, ['READER_FIELD_MISSING_DEFAULT_VALUE']],
  ])('%s', async (_name, v2, registered, registryCompatible, rules) => {
    const result = await gate(v2, registered, registryCompatible);
    expect(result.rules).toEqual(rules);
    expect(result.code).toBe(rules.some((r) => r !== 'VERDICT_MISMATCH') ? 1 : 0);
  });

  it('names both verdicts in a mismatch', async () => {
    const { findings } = await gate(withRequiredField, true, true);
    expect(findings.find((f) => f.rule === 'VERDICT_MISMATCH')!.message).toContain('the registry judged order.placed v2 compatible, the engine judged it incompatible');
  });
});

/** What Apicurio answers outside its API (the URL without /apis/ccompat/v7). */
const RESTEASY_404 = { detail: 'NotFoundException: RESTEASY003210: Could not find resource for full path', title: 'RESTEASY003210', status: 404, name: 'NotFoundException' };

describe('registry commands against a URL that is not the API', () => {
  it.each([
    ['register --dry-run', ['register', '--dry-run']],
    ['register --dry-run --format json', ['register', '--dry-run', '--format', 'json']],
    ['check-compat --against registry', ['check-compat', '--against', 'registry']],
    ['status', ['status']],
  ])('%s exits 3 and says what to fix', async (_name, args) => {
    server = await serve((_req, res) => answer(res, 404, RESTEASY_404, 'application/json'));
    const result = await cli([...args, '--registry-url', server.url], projectFrom('all-types'), env);
    expect(result.code).toBe(3);
    expect(result.stderr).toContain('REGISTRY_BAD_RESPONSE');
    expect(result.stderr).toContain(`${server.url}/apis/ccompat/v7`);
    // Nothing but the error: no verdict, no plan (in json format, the error object alone; its
    // hint names the "Confluent-compatible API").
    if (args.includes('json')) expect(JSON.parse(result.stdout)).toEqual({ error: expect.objectContaining({ rule: 'REGISTRY_BAD_RESPONSE', exitCode: 3 }) });
    else {
      expect(result.stdout).not.toContain('compatible');
      expect(result.stdout).not.toContain('create + reg');
    }
  });
});
