import { afterEach, describe, expect, it } from 'vitest';
import { connectRegistry, type RegistryPort } from '../../../src/registry/rest-client.js';
import { connectRuntimeRegistry, type RuntimeRegistry } from '../../../src/registry/runtime-registry.js';
import { answer, serve, type TestServer } from './http-server.js';

const AVRO = { schemaType: 'AVRO' as const, schema: '"string"' };
const fast = { attempts: 1, timeoutMs: 2_000 };

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

type Call = (cli: RegistryPort, runtime: RuntimeRegistry) => Promise<unknown>;

/** Every call that reads a registry answer: the CLI's port and the runtime's. */
const CALLS: Record<string, Call> = {
  subjects: (c) => c.subjects(),
  versions: (c) => c.versions('s'),
  lookup: (c) => c.lookup('s', AVRO),
  register: (c) => c.register('s', AVRO),
  subjectLevel: (c) => c.subjectLevel('s'),
  setSubjectLevel: (c) => c.setSubjectLevel('s', 'FULL'),
  testCompatibility: (c) => c.testCompatibility('s', AVRO),
  'runtime lookupId': (_c, r) => r.lookupId('s', 'AVRO', '"string"'),
  'runtime register': (_c, r) => r.register('s', 'AVRO', '"string"', 'BACKWARD'),
  'runtime schemaById': (_c, r) => r.schemaById(7),
};
const ALL = Object.keys(CALLS);

async function against(status: number, body: unknown, contentType?: string, extra: object = {}): Promise<{ cli: RegistryPort; runtime: RuntimeRegistry }> {
  server = await serve((_req, res) => answer(res, status, body, contentType));
  return { cli: connectRegistry({ url: server.url, ...fast, ...extra }), runtime: connectRuntimeRegistry({ url: server.url, ...fast, ...extra }) };
}

const HTML_404 = '<!doctype html><html><head><title>404 Not Found</title></head><body><h1>Not Found</h1><p>The requested URL was not found on this server.</p></body></html>';
/** What Apicurio answers on a path outside its API (the URL without /apis/ccompat/v7). */
const RESTEASY_404 = { detail: 'NotFoundException: RESTEASY003210: Could not find resource for full path: http://127.0.0.1/subjects', title: 'RESTEASY003210', status: 404, name: 'NotFoundException' };

describe('answers that are not the Confluent API are failures, never "not found" or "compatible"', () => {
  it.each([
    ['an HTML 404 page', 404, HTML_404, 'text/html'],
    ['a JSON 404 without error_code (Apicurio outside its API)', 404, RESTEASY_404, 'application/json'],
    ["Confluent's generic 404 for a path it does not serve", 404, { error_code: 404, message: 'HTTP 404 Not Found' }, 'application/json'],
    ['an HTML 200 page', 200, HTML_404, 'text/html'],
    ['an empty 200', 200, '', 'application/json'],
    ['a JSON 400 without error_code', 400, { error: 'bad' }, 'application/json'],
    ['a redirect', 302, '', 'text/plain'],
  ])('%s: every call fails with REGISTRY_BAD_RESPONSE (exit 3) and a hint about the API path', async (_name, status, body, type) => {
    const { cli, runtime } = await against(status, body, type);
    for (const name of ALL) {
      const error = await CALLS[name]!(cli, runtime).then(() => undefined, (e: unknown) => e);
      expect(error, name).toMatchObject({ rule: 'REGISTRY_BAD_RESPONSE', hint: expect.stringContaining('/apis/ccompat/v7') });
      expect((error as Error).message, name).not.toContain('[object Object]');
      expect((error as Error).message, name).toContain(server!.url);
    }
  });

  it('shows what the wrong answer said, as text', async () => {
    const { cli } = await against(404, RESTEASY_404, 'application/json');
    await expect(cli.versions('s')).rejects.toThrow(/HTTP 404 without a Confluent error code: \{"detail":"NotFoundException: RESTEASY003210/);
    const html = await against(404, HTML_404, 'text/html');
    await expect(html.cli.versions('s')).rejects.toThrow(/404 Not Found Not Found The requested URL/);
  });

  it('suggests the Apicurio API path on the same host', async () => {
    const { cli } = await against(404, RESTEASY_404, 'application/json');
    await expect(cli.versions('s')).rejects.toMatchObject({ hint: expect.stringContaining(`${server!.url}/apis/ccompat/v7`) });
  });
});

describe('a 2xx of the wrong shape is a failure', () => {
  it.each([
    ['subjects', [1, 2]],
    ['versions', { versions: [1] }],
    ['versions', [0]],
    ['lookup', { id: 1 }],
    ['lookup', {}],
    ['register', {}],
    ['register', { id: '5' }],
    ['register', { id: -1 }],
    ['subjectLevel', { compatibilityLevel: 'SIDEWAYS' }],
    ['subjectLevel', {}],
    ['setSubjectLevel', { compatibility: 'NONE' }],
    ['testCompatibility', {}],
    ['testCompatibility', { is_compatible: 'true' }],
    ['testCompatibility', { is_compatible: true, messages: [{ text: 'x' }] }],
    ['runtime lookupId', { version: 1 }],
    ['runtime register', { id: null }],
    ['runtime schemaById', { schema: 42 }],
    ['runtime schemaById', {}],
  ])('%s answered %j', async (name, body) => {
    const { cli, runtime } = await against(200, body);
    await expect(CALLS[name]!(cli, runtime)).rejects.toMatchObject({ rule: 'REGISTRY_BAD_RESPONSE', message: expect.stringContaining('wrong shape') });
  });
});

describe("Confluent's error codes", () => {
  it.each([
    // [call, error_code, expected value or rule]
    ['versions', 40401, { value: [] }],
    ['lookup', 40401, { value: undefined }],
    ['lookup', 40403, { value: undefined }],
    ['subjectLevel', 40401, { value: undefined }],
    ['subjectLevel', 40408, { value: undefined }],
    ['testCompatibility', 40401, { value: { compatible: true, messages: [] } }],
    ['testCompatibility', 40402, { value: { compatible: true, messages: [] } }],
    ['runtime lookupId', 40401, { value: undefined }],
    ['runtime lookupId', 40403, { value: undefined }],
    ['versions', 40403, { rule: 'REGISTRY_ERROR' }],
    ['register', 40401, { rule: 'REGISTRY_ERROR' }],
    ['setSubjectLevel', 40401, { rule: 'REGISTRY_ERROR' }],
    ['runtime schemaById', 40403, { rule: 'REGISTRY_ERROR', retriable: false }],
    ['runtime schemaById', 40401, { rule: 'REGISTRY_ERROR', retriable: false }],
  ])('%s on a 404 with %i', async (name, code, expected) => {
    const { cli, runtime } = await against(404, { error_code: code, message: `code ${code}` });
    const result = CALLS[name]!(cli, runtime);
    if ('value' in expected) await expect(result).resolves.toEqual(expected.value);
    else await expect(result).rejects.toMatchObject({ ...expected, message: expect.stringContaining(`(${code}): code ${code}`) });
  });

  it.each([
    [409, { error_code: 409, message: 'Schema being registered is incompatible' }, 'REGISTRY_INCOMPATIBLE', false],
    [422, { error_code: 42201, message: 'Invalid schema' }, 'REGISTRY_INVALID_SCHEMA', false],
    [422, { error_code: 42203, message: 'Invalid compatibility level' }, 'REGISTRY_ERROR', false],
    [401, 'Unauthorized', 'REGISTRY_UNAUTHORIZED', true],
    [403, { error_code: 40301, message: 'forbidden' }, 'REGISTRY_UNAUTHORIZED', true],
  ])('HTTP %i %j is %s (retriable: %s)', async (status, body, rule, retriable) => {
    const { cli, runtime } = await against(status, body, typeof body === 'string' ? 'text/plain' : undefined);
    await expect(cli.register('s', AVRO)).rejects.toMatchObject({ rule, retriable });
    await expect(runtime.register('s', 'AVRO', '"string"', 'BACKWARD')).rejects.toMatchObject({ rule, retriable });
  });

  it('reads a schema by id, refusing a type the runtime does not read', async () => {
    const avro = await against(200, { schema: '"string"' });
    await expect(avro.runtime.schemaById(7)).resolves.toEqual({ schemaType: 'AVRO', schema: '"string"' });
    await server!.close();
    const proto = await against(200, { schema: 'syntax = "proto3";', schemaType: 'PROTOBUF' });
    await expect(proto.runtime.schemaById(7)).rejects.toMatchObject({ rule: 'REGISTRY_ERROR', retriable: false });
  });
});

describe('retries and timeouts', () => {
  it('retries a 5xx and succeeds, with jittered delays from the injected random', async () => {
    server = await serve((_req, res, n) => (n <= 2 ? answer(res, 503, { error_code: 50003, message: 'primary not available' }) : answer(res, 200, [1, 2])));
    const delays: number[] = [];
    const sleep = async (ms: number) => void delays.push(ms);
    const client = connectRegistry({ url: server.url, attempts: 3, backoff: { initialDelayMs: 20, random: () => 0.5, sleep } });
    await expect(client.versions('s')).resolves.toEqual([1, 2]);
    expect(server.requests).toHaveLength(3);
    expect(delays).toEqual([10, 20]);
  });

  it('gives up after its attempts with REGISTRY_UNAVAILABLE naming the status', async () => {
    server = await serve((_req, res) => answer(res, 503, '<html>Service Unavailable</html>', 'text/html'));
    const client = connectRegistry({ url: server.url, attempts: 2, backoff: { initialDelayMs: 1 } });
    await expect(client.versions('s')).rejects.toMatchObject({ rule: 'REGISTRY_UNAVAILABLE', retriable: true, message: expect.stringContaining('HTTP 503 (after 2 attempts)') });
    expect(server.requests).toHaveLength(2);
  });

  it('does not retry a 4xx', async () => {
    server = await serve((_req, res) => answer(res, 409, { error_code: 409, message: 'incompatible' }));
    const client = connectRegistry({ url: server.url, attempts: 3, backoff: { initialDelayMs: 1 } });
    await expect(client.register('s', AVRO)).rejects.toMatchObject({ rule: 'REGISTRY_INCOMPATIBLE' });
    expect(server.requests).toHaveLength(1);
  });

  it('times out a slow answer, on every attempt, within the timeout', async () => {
    server = await serve((_req, res) => setTimeout(() => answer(res, 200, [1]), 3_000).unref());
    const started = Date.now();
    const client = connectRegistry({ url: server.url, attempts: 2, timeoutMs: 150, backoff: { initialDelayMs: 1 } });
    await expect(client.versions('s')).rejects.toMatchObject({ rule: 'REGISTRY_UNAVAILABLE', retriable: true, message: expect.stringContaining('no answer within 150 ms (after 2 attempts)') });
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(server.requests).toHaveLength(2);
  });

  it('times out an answer that trickles in (the whole answer counts, not the first byte)', async () => {
    server = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('[');
      const timer = setInterval(() => res.write('1,'), 50);
      res.on('close', () => clearInterval(timer));
    });
    for (const call of [() => connectRegistry({ url: server!.url, attempts: 1, timeoutMs: 300 }).versions('s'), () => connectRuntimeRegistry({ url: server!.url, attempts: 1, timeoutMs: 300 }).schemaById(1)]) {
      const started = Date.now();
      await expect(call()).rejects.toMatchObject({ rule: 'REGISTRY_UNAVAILABLE', message: expect.stringContaining('no answer within 300 ms') });
      expect(Date.now() - started).toBeLessThan(2_000);
    }
  });

  it('refuses an answer larger than it reads, without retrying', async () => {
    server = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      const chunk = Buffer.alloc(1024 * 1024, 0x20);
      let sent = 0;
      const more = () => {
        while (sent < 40 && res.write(chunk)) sent++;
        if (sent < 40) res.once('drain', more);
        else res.end('[]');
      };
      more();
    });
    const client = connectRegistry({ url: server.url, attempts: 3, backoff: { initialDelayMs: 1 } });
    await expect(client.subjects()).rejects.toMatchObject({ rule: 'REGISTRY_BAD_RESPONSE', message: expect.stringContaining('larger than') });
    expect(server.requests).toHaveLength(1);
  });
});

describe('credentials', () => {
  it.each([
    ['user info in the URL', (url: string) => ({ url: url.replace('http://', 'http://alice:s3cr%40t@') }), `Basic ${Buffer.from('alice:s3cr@t').toString('base64')}`],
    ['username and password options', (url: string) => ({ url, username: 'bob', password: 'pw-1' }), `Basic ${Buffer.from('bob:pw-1').toString('base64')}`],
    ['a token, which wins over basic auth', (url: string) => ({ url: url.replace('http://', 'http://alice:pw@'), token: 'tok-1' }), 'Bearer tok-1'],
    ['nothing', (url: string) => ({ url }), undefined],
  ])('sends %s, in the CLI client and the runtime', async (_name, options, header) => {
    server = await serve((_req, res) => answer(res, 200, [1]));
    await connectRegistry({ ...options(server.url), attempts: 1 }).versions('s');
    await connectRuntimeRegistry({ ...options(server.url), attempts: 1 }).register('s', 'AVRO', '"string"', 'BACKWARD').catch(() => undefined);
    expect(server.requests.map((r) => r.authorization)).toEqual(server.requests.map(() => header));
  });

  it('never shows a password or token, even when the registry echoes them', async () => {
    server = await serve((req, res) => answer(res, 500, { error_code: 50001, message: `denied for ${req.authorization} at ${req.url}` }));
    const secrets = ['url-pass-8812', 'tok-9931-secret', Buffer.from('alice:url-pass-8812').toString('base64')];
    for (const options of [{ url: server.url.replace('http://', 'http://alice:url-pass-8812@') }, { url: server.url, token: 'tok-9931-secret' }]) {
      const error = (await connectRegistry({ ...options, attempts: 1 }).versions('s').catch((e: unknown) => e)) as Error & { hint: string };
      const runtimeError = (await connectRuntimeRegistry({ ...options, attempts: 1 }).schemaById(1).catch((e: unknown) => e)) as Error & { hint: string };
      for (const shown of [error.message, error.hint, runtimeError.message, runtimeError.hint]) for (const secret of secrets) expect(shown).not.toContain(secret);
      expect(error.message).toContain('***');
    }
  });
});

describe('runtime auto-registration', () => {
  it("sets the contract's level on a subject the registration creates, and only then", async () => {
    let exists = false;
    server = await serve((req, res) => {
      if (req.method === 'GET' && req.url.endsWith('/versions')) return exists ? answer(res, 200, [1]) : answer(res, 404, { error_code: 40401, message: 'Subject not found' });
      if (req.method === 'POST') return answer(res, 200, { id: 11 });
      if (req.method === 'PUT') return answer(res, 200, JSON.parse(req.body));
      return answer(res, 500, {});
    });
    const runtime = connectRuntimeRegistry({ url: server.url, attempts: 1 });
    await expect(runtime.register('s', 'AVRO', '"string"', 'FULL_TRANSITIVE')).resolves.toBe(11);
    expect(server.requests.map((r) => `${r.method} ${r.url} ${r.body}`)).toEqual(['GET /subjects/s/versions ', 'POST /subjects/s/versions {"schema":"\\"string\\""}', 'PUT /config/s {"compatibility":"FULL_TRANSITIVE"}']);
    exists = true;
    server.requests.length = 0;
    await expect(runtime.register('s', 'AVRO', '"string"', 'FULL_TRANSITIVE')).resolves.toBe(11);
    expect(server.requests.map((r) => r.method)).toEqual(['GET', 'POST']);
  });
});
