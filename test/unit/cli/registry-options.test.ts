import { describe, expect, it } from 'vitest';
import { registryConnection } from '../../../src/cli/registry-options.js';
import { redactUrl } from '../../../src/registry/redact.js';

const config = { contracts: 'contracts', generated: 'generated', runtimeImport: 'x', registry: { url: 'http://from-config:8081', username: 'cfg-user' } };

describe('the registry connection', () => {
  it.each([
    ['the flag first', { registryUrl: 'http://flag:1' }, { NOVA_SCHEMA_REGISTRY_URL: 'http://env:1' }, 'http://flag:1'],
    ['then the environment', {}, { NOVA_SCHEMA_REGISTRY_URL: 'http://env:1' }, 'http://env:1'],
    ['then the config file', {}, {}, 'http://from-config:8081'],
  ])('takes the URL from %s', (_name, flags, env, url) => {
    expect(registryConnection(flags, env, config).url).toBe(url);
  });

  it.each([
    ['user and password variables', { NOVA_SCHEMA_REGISTRY_USER: 'u', NOVA_SCHEMA_REGISTRY_PASSWORD: 'p:w' }, { username: 'u', password: 'p:w' }],
    ['a user:password variable', { NOVA_SCHEMA_REGISTRY_BASIC_AUTH: 'u2:p:w2' }, { username: 'u2', password: 'p:w2' }],
    ['a token', { NOVA_SCHEMA_REGISTRY_TOKEN: 't' }, { token: 't', username: 'cfg-user' }],
  ])('reads credentials from %s', (_name, env, expected) => {
    expect(registryConnection({}, env, config)).toMatchObject(expected);
  });

  it.each([
    ['no URL anywhere', {}, {}, { ...config, registry: {} }, 'REGISTRY_URL_MISSING'],
    ['a URL that is not one', { registryUrl: 'not a url' }, {}, config, 'REGISTRY_URL_INVALID'],
    ['a bad timeout', { timeout: '-5' }, {}, config, 'USAGE'],
  ])('refuses %s (exit 2)', (_name, flags, env, cfg, rule) => {
    expect(() => registryConnection(flags, env, cfg)).toThrow(expect.objectContaining({ rule, exitCode: 2 }));
  });

  it.each([
    ['http://alice:secret@host:8081/apis', 'http://***:***@host:8081/apis'],
    ['http://host:8081', 'http://host:8081'],
  ])('redacts %s', (url, shown) => {
    expect(redactUrl(url)).toBe(shown);
  });
});
