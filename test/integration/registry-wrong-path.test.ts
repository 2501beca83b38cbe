import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { catalog } from '../../generated/catalog.js';
import { connectRuntimeRegistry } from '../../src/registry/runtime-registry.js';
import type { EventSpec } from '../../src/runtime/event-spec.js';
import { cli, editJson, projectFrom } from '../support/project.js';
import { registryUrl, runId } from './support.js';

/** The real Apicurio, without its Confluent API path (/apis/ccompat/v7). */
const wrongUrl = new URL(registryUrl).origin;
const env = (url: string) => ({ ...process.env, NOVA_SCHEMA_REGISTRY_URL: url });

/** The all-types fixture on this run's topics, registered, with an incompatible v3 added. */
async function projectWithIncompatibleV3(): Promise<string> {
  const run = runId();
  const rename = (text: string) => text.replaceAll('shop.order.events', `${run}.order.events`).replaceAll('shop.audit.events', `${run}.audit.events`);
  const dir = projectFrom('all-types', {
    'contracts/topics.json': rename,
    'contracts/order/order.placed.event.json': rename,
    'contracts/audit/audit.recorded.event.json': rename,
  });
  expect(await cli(['register'], dir, env(registryUrl))).toMatchObject({ code: 0 });
  writeFileSync(join(dir, 'contracts/order/order.placed.v3.avsc'), editJson((s) => s.fields.push({ name: 'currency', type: 'string', doc: 'Currency.' }))(readFileSync(join(dir, 'contracts/order/order.placed.v2.avsc'), 'utf8')));
  writeFileSync(join(dir, 'contracts/order/order.placed.event.json'), editJson((e) => e.versions.push('order.placed.v3.avsc'))(readFileSync(join(dir, 'contracts/order/order.placed.event.json'), 'utf8')));
  return dir;
}

describe(`the real registry at the wrong path (${wrongUrl})`, () => {
  it('register --dry-run and check-compat --against registry exit 3 and say what to fix, also for an incompatible version', async () => {
    const dir = await projectWithIncompatibleV3();
    for (const args of [['register', '--dry-run'], ['check-compat', '--against', 'registry'], ['check-compat', '--against', 'registry', '--format', 'json'], ['status']]) {
      const result = await cli(args, dir, env(wrongUrl));
      expect(result.code, args.join(' ')).toBe(3);
      expect(result.stderr).toContain('REGISTRY_BAD_RESPONSE');
      expect(result.stderr).toContain(`hint: the URL must be the root of the registry's Confluent-compatible API: Apicurio serves it under /apis/ccompat/v7 (e.g. ${wrongUrl}/apis/ccompat/v7)`);
      expect(result.stderr).not.toContain('[object Object]');
      expect(result.stdout).not.toMatch(/registry agrees|create \+ reg|dry run/);
    }
    // At the right path the same project is refused for its incompatible v3, by both.
    const right = await cli(['check-compat', '--against', 'registry', '--format', 'json'], dir, env(registryUrl));
    expect(right.code).toBe(1);
    expect((JSON.parse(right.stdout) as { rule: string }[]).map((f) => f.rule)).toContain('REGISTRY_INCOMPATIBLE');
  });

  it('the runtime reads REGISTRY_BAD_RESPONSE, not "not registered" or a schema, from every call', async () => {
    const spec = catalog['post.liked'] as EventSpec;
    const registry = connectRuntimeRegistry({ url: wrongUrl, attempts: 1 });
    await expect(registry.lookupId(spec.subject, spec.schemaType, spec.versions[0]!.schema)).rejects.toMatchObject({ rule: 'REGISTRY_BAD_RESPONSE', retriable: true });
    await expect(registry.schemaById(1)).rejects.toMatchObject({ rule: 'REGISTRY_BAD_RESPONSE', retriable: true });
    await expect(registry.register(`wrong-path-${runId()}`, spec.schemaType, spec.versions[0]!.schema, spec.compatibility)).rejects.toMatchObject({ rule: 'REGISTRY_BAD_RESPONSE' });
  });

  it('check-compat --against registry gives no VERDICT_MISMATCH for a version lacking a doc', async () => {
    const dir = await projectWithIncompatibleV3();
    const v3 = join(dir, 'contracts/order/order.placed.v3.avsc');
    // A compatible v3 (an optional field) whose new field lacks its doc: an error, not a verdict.
    writeFileSync(v3, editJson((s) => (s.fields[s.fields.length - 1] = { name: 'currency', type: ['null', 'string'], default: null }))(readFileSync(v3, 'utf8')));
    const result = await cli(['check-compat', '--against', 'registry', '--format', 'json'], dir, env(registryUrl));
    expect((JSON.parse(result.stdout) as { rule: string }[]).map((f) => f.rule)).toEqual(['FIELD_UNDOCUMENTED']);
    expect(result.code).toBe(1);
  });
});
