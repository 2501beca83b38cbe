import { describe, expect, it } from 'vitest';
import { DEFAULT_REGISTRY_URL } from '../../../scripts/services.mjs';
import { LOCAL_REGISTRY_URL, mergeRegistryOptions, registryOptionsFromConfig, registryOptionsFromEnv, resolveConnection } from '../../../src/registry/connection.js';
import { connectRegistry } from '../../../src/registry/rest-client.js';
import { connectRuntimeRegistry } from '../../../src/registry/runtime-registry.js';
import type { RuleId } from '../../../src/diagnostics/rules.js';
import { exitCodeOf } from '../../../src/cli/exit-codes.js';

describe('one connection parser for the CLI and the runtime', () => {
  it('names the URL the local services answer at', () => {
    expect(LOCAL_REGISTRY_URL).toBe(DEFAULT_REGISTRY_URL);
  });

  it.each([
    ['user info', { url: 'http://alice:p%40ss@host:8081/apis/ccompat/v7' }, { base: 'http://host:8081/apis/ccompat/v7/', displayUrl: 'http://***:***@host:8081/apis/ccompat/v7', authorization: `Basic ${Buffer.from('alice:p@ss').toString('base64')}` }],
    ['options over user info', { url: 'http://alice:x@host', username: 'bob', password: 'y' }, { base: 'http://host/', authorization: `Basic ${Buffer.from('bob:y').toString('base64')}` }],
    ['a token over basic auth', { url: 'https://alice:x@host/', token: 't0k' }, { base: 'https://host/', authorization: 'Bearer t0k' }],
    ['no credentials', { url: 'http://host:8081' }, { base: 'http://host:8081/', displayUrl: 'http://host:8081', authorization: undefined }],
    ['a user without password', { url: 'http://host', username: 'svc' }, { authorization: `Basic ${Buffer.from('svc:').toString('base64')}` }],
    ['a bad escape in user info', { url: 'http://al%zz:pw@host' }, { authorization: `Basic ${Buffer.from('al%zz:pw').toString('base64')}` }],
  ])('resolves %s', (_name, options, expected) => {
    const resolved = resolveConnection(options);
    expect({ ...resolved, base: resolved.base.toString() }).toMatchObject(expected);
  });

  it('lists every form of a credential as a secret', () => {
    const resolved = resolveConnection({ url: 'http://alice:p%40ss@host', token: 'tok-123' });
    expect(resolved.secrets).toEqual(expect.arrayContaining(['p@ss', 'p%40ss', 'tok-123', 'alice:p%40ss']));
    const basic = resolveConnection({ url: 'http://host', username: 'u', password: 'pw-9' });
    expect(basic.secrets).toEqual(expect.arrayContaining(['pw-9', Buffer.from('u:pw-9').toString('base64')]));
  });

  it.each([
    ['no URL', {}, 'REGISTRY_URL_MISSING'],
    ['a URL that is not one', { url: 'not a url' }, 'REGISTRY_URL_INVALID'],
    ['a URL that is not http', { url: 'ftp://host/' }, 'REGISTRY_URL_INVALID'],
    ['a URL that is a number', { url: 8081 }, 'USAGE'],
    ['a timeout of 0', { url: 'http://h', timeoutMs: 0 }, 'USAGE'],
    ['a timeout that is not a number', { url: 'http://h', timeoutMs: Number.NaN }, 'USAGE'],
    ['a timeout beyond what a timer takes', { url: 'http://h', timeoutMs: 2 ** 31 }, 'USAGE'],
    ['0 attempts', { url: 'http://h', attempts: 0 }, 'USAGE'],
    ['a password that is not a string', { url: 'http://h', username: 'u', password: 42 }, 'USAGE'],
  ])('refuses %s with a typed error (exit 2), in the runtime too', (_name, options, rule) => {
    expect(() => resolveConnection(options as never)).toThrow(expect.objectContaining({ rule }));
    expect(() => connectRuntimeRegistry(options as never)).toThrow(expect.objectContaining({ rule }));
    expect(exitCodeOf(rule as RuleId)).toBe(2);
  });

  it('never puts the password of an invalid URL in the message', () => {
    const error = (() => {
      try {
        connectRuntimeRegistry({ url: 'http://alice:hunter2@exa mple' });
      } catch (e) {
        return e as Error;
      }
      return undefined;
    })();
    expect(error).toMatchObject({ rule: 'REGISTRY_URL_INVALID' });
    expect(error!.message).not.toContain('hunter2');
  });

  it('reads the CA file for the CLI and the runtime, and says when it cannot', () => {
    for (const connect of [connectRegistry, connectRuntimeRegistry]) {
      expect(() => connect({ url: 'https://host', caFile: '/nonexistent/ca.pem' })).toThrow(expect.objectContaining({ rule: 'REGISTRY_CA_UNREADABLE' }));
    }
  });

  it('reads the environment; empty variables are unset', () => {
    expect(registryOptionsFromEnv({ NOVA_SCHEMA_REGISTRY_URL: '', NOVA_SCHEMA_REGISTRY_BASIC_AUTH: 'u:p:w', NOVA_SCHEMA_REGISTRY_TOKEN: '' })).toEqual({ username: 'u', password: 'p:w' });
    expect(() => registryOptionsFromEnv({ NOVA_SCHEMA_REGISTRY_BASIC_AUTH: 'no-colon' })).toThrow(expect.objectContaining({ rule: 'USAGE', message: expect.not.stringContaining('no-colon') }));
  });

  it.each([
    [42, '/registry'],
    [{ url: 8081 }, '/registry/url'],
    [{ url: 'http://h', password: ['x'] }, '/registry/password'],
    [{ timeoutMs: '5000' }, '/registry/timeoutMs'],
  ])('refuses a config section %j at %s', (value, pointer) => {
    expect(() => registryOptionsFromConfig(value, 'nova-events.config.json')).toThrow(expect.objectContaining({ rule: 'CONFIG_INVALID', pointer, file: 'nova-events.config.json' }));
  });

  it('merges layers field by field, the first one winning', () => {
    expect(mergeRegistryOptions({ url: 'http://flag' }, { url: 'http://env', username: 'env-user' }, { username: 'cfg', password: 'cfg-pw', timeoutMs: 5 })).toEqual({ url: 'http://flag', username: 'env-user', password: 'cfg-pw', timeoutMs: 5 });
  });
});
