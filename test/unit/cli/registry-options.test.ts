import { describe, expect, it } from 'vitest';
import { Command } from 'commander';
import { addRegistryOptions, registryConnection } from '../../../src/cli/registry-options.js';
import { redactUrl } from '../../../src/registry/redact.js';
import type { RuleId } from '../../../src/diagnostics/rules.js';
import { exitCodeOf } from '../../../src/cli/exit-codes.js';

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
    expect(() => registryConnection(flags, env, cfg)).toThrow(expect.objectContaining({ rule }));
    expect(exitCodeOf(rule as RuleId)).toBe(2);
  });

  it('says which variable to set, and the URL of the local services (npm run services:start)', () => {
    expect(() => registryConnection({}, {}, { ...config, registry: {} })).toThrow(
      expect.objectContaining({ rule: 'REGISTRY_URL_MISSING', hint: expect.stringContaining('NOVA_SCHEMA_REGISTRY_URL=http://127.0.0.1:18081/apis/ccompat/v7') }),
    );
  });

  it.each([
    ['the flag', { timeout: '500' }, { registry: { url: 'http://h', timeoutMs: 7000 } }, 500],
    ['the config file without a flag', {}, { registry: { url: 'http://h', timeoutMs: 7000 } }, 7000],
  ])('takes the timeout from %s', (_name, flags, cfg, timeoutMs) => {
    expect(registryConnection(flags, {}, { ...config, ...cfg }).timeoutMs).toBe(timeoutMs);
  });

  it('has no --timeout default that would hide registry.timeoutMs', () => {
    const command = addRegistryOptions(new Command('x')).exitOverride();
    command.parse([], { from: 'user' });
    expect(command.opts()['timeout']).toBeUndefined();
  });

  it.each([
    ['an empty variable', {}, { NOVA_SCHEMA_REGISTRY_URL: '' }, config, 'http://from-config:8081'],
  ])('skips %s', (_name, flags, env, cfg, url) => {
    expect(registryConnection(flags, env, cfg).url).toBe(url);
  });

  it.each([
    ['a config URL that is a number', {}, {}, { ...config, registry: { url: 8081 } }, 'CONFIG_INVALID'],
    ['a config section that is not an object', {}, {}, { ...config, registry: 'http://h' }, 'CONFIG_INVALID'],
    ['a user:password variable without the colon', {}, { NOVA_SCHEMA_REGISTRY_BASIC_AUTH: 'alice' }, config, 'USAGE'],
    ['a timeout that is not a number', { timeout: 'soon' }, {}, config, 'USAGE'],
  ])('refuses %s (exit 2)', (_name, flags, env, cfg, rule) => {
    expect(() => registryConnection(flags, env, cfg as never)).toThrow(expect.objectContaining({ rule }));
    expect(exitCodeOf(rule as RuleId)).toBe(2);
  });

  it.each([
    ['http://alice:secret@host:8081/apis', 'http://***:***@host:8081/apis'],
    ['http://host:8081', 'http://host:8081'],
  ])('redacts %s', (url, shown) => {
    expect(redactUrl(url)).toBe(shown);
  });
});
