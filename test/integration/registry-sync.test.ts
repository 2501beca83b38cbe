import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, editJson, projectFrom, repoRoot } from '../support/project.js';
import { registryUrl, runId } from './support.js';

const env = (extra: Record<string, string> = {}) => ({ ...process.env, NOVA_SCHEMA_REGISTRY_URL: registryUrl, ...extra });

/** The all-types fixture on this run's own topics, so that its subjects are new to the registry. */
function freshProject(): { dir: string; run: string } {
  const run = runId();
  const rename = (text: string) => text.replaceAll('shop.order.events', `${run}.order.events`).replaceAll('shop.audit.events', `${run}.audit.events`);
  const dir = projectFrom('all-types', {
    'contracts/topics.json': rename,
    'contracts/order/order.placed.event.json': rename,
    'contracts/audit/audit.recorded.event.json': rename,
  });
  return { dir, run };
}

async function registryJson(path: string, init?: RequestInit): Promise<unknown> {
  const response = await fetch(`${registryUrl}/${path}`, { ...init, headers: { 'content-type': 'application/vnd.schemaregistry.v1+json' } });
  return response.json();
}

describe('register on a real registry', () => {
  it('registers everything, then plans nothing', async () => {
    const { dir, run } = freshProject();
    const dry = await cli(['register', '--dry-run', '--format', 'json'], dir, env());
    expect(dry.code).toBe(0);
    const planned = JSON.parse(dry.stdout) as { dryRun: boolean; applied: boolean; changes: { action: string; subject: string; version?: number }[] };
    expect(planned).toMatchObject({ dryRun: true, applied: false });
    expect(planned.changes.map((c) => `${c.action} ${c.subject}${c.version ? ` v${c.version}` : ''}`)).toEqual([
      `register-version ${run}.audit.events-shop.audit.AuditRecorded v1`,
      `set-compatibility ${run}.audit.events-shop.audit.AuditRecorded`,
      `register-version ${run}.order.events-shop.order.OrderPlaced v1`,
      `set-compatibility ${run}.order.events-shop.order.OrderPlaced`,
      `register-version ${run}.order.events-shop.order.OrderPlaced v2`,
    ]);
    expect(await registryJson(`subjects/${run}.order.events-shop.order.OrderPlaced/versions`)).toMatchObject({ error_code: 40401 });

    const applied = await cli(['register', '--format', 'json'], dir, env());
    expect(applied.code).toBe(0);
    expect((JSON.parse(applied.stdout) as { changes: { id?: number }[] }).changes.filter((c) => c.id !== undefined)).toHaveLength(3);
    expect(await registryJson(`subjects/${run}.order.events-shop.order.OrderPlaced/versions`)).toEqual([1, 2]);
    expect(await registryJson(`config/${run}.order.events-shop.order.OrderPlaced`)).toMatchObject({ compatibilityLevel: 'BACKWARD_TRANSITIVE' });

    const again = await cli(['register', '--format', 'json'], dir, env());
    expect(JSON.parse(again.stdout)).toMatchObject({ changes: [] });
    const text = await cli(['register'], dir, env());
    expect(text.stdout).toContain('the registry matches the contracts');
    // A subject no contract names (registered here, so that the test does not depend on what
    // other files left in the registry): status names it and exits 1.
    const stray = `${run}.stray-value`;
    await registryJson(`subjects/${stray}/versions`, { method: 'POST', body: JSON.stringify({ schema: '"string"' }) });
    const status = await cli(['status', '--format', 'json'], dir, env());
    expect(status.code).toBe(1);
    const report = JSON.parse(status.stdout) as { unknownSubjects: string[] };
    expect(report).toMatchObject({ inSync: true, unregistered: [], levelDrift: [], conflicts: [] });
    expect(report.unknownSubjects.length).toBeGreaterThan(0);
    expect(report.unknownSubjects.filter((s) => s.startsWith(run))).toEqual([stray]);
  });

  it('reports level drift and unregistered versions in status, and fixes them with register', async () => {
    const { dir, run } = freshProject();
    await cli(['register'], dir, env());
    const subject = `${run}.order.events-shop.order.OrderPlaced`;
    await registryJson(`config/${subject}`, { method: 'PUT', body: JSON.stringify({ compatibility: 'NONE' }) });
    writeFileSync(join(dir, 'contracts/order/order.placed.v3.avsc'), editJson((s) => s.fields.push({ name: 'memo', type: ['null', 'string'], default: null, doc: 'Memo.' }))(readFileSync(join(dir, 'contracts/order/order.placed.v2.avsc'), 'utf8')));
    writeFileSync(join(dir, 'contracts/order/order.placed.event.json'), editJson((e) => e.versions.push('order.placed.v3.avsc'))(readFileSync(join(dir, 'contracts/order/order.placed.event.json'), 'utf8')));
    const status = await cli(['status', '--format', 'json'], dir, env());
    expect(status.code).toBe(1);
    expect(JSON.parse(status.stdout)).toMatchObject({
      inSync: false,
      unregistered: [{ subject, version: 3 }],
      levelDrift: [{ subject, registry: 'NONE', contract: 'BACKWARD_TRANSITIVE' }],
    });
    const plan = await cli(['register', '--dry-run'], dir, env());
    expect(plan.stdout).toContain(`set level     ${subject}: NONE -> BACKWARD_TRANSITIVE`);
    expect(plan.stdout.indexOf('set level')).toBeLessThan(plan.stdout.indexOf('v3'));
    expect(await cli(['register'], dir, env())).toMatchObject({ code: 0 });
    expect(await registryJson(`subjects/${subject}/versions`)).toEqual([1, 2, 3]);
  });

  it('an incompatible version is refused by the gate and by the registry, with both reasons', async () => {
    const { dir, run } = freshProject();
    await cli(['register'], dir, env());
    writeFileSync(join(dir, 'contracts/order/order.placed.v3.avsc'), editJson((s) => s.fields.push({ name: 'currency', type: 'string', doc: 'Currency.' }))(readFileSync(join(dir, 'contracts/order/order.placed.v2.avsc'), 'utf8')));
    writeFileSync(join(dir, 'contracts/order/order.placed.event.json'), editJson((e) => e.versions.push('order.placed.v3.avsc'))(readFileSync(join(dir, 'contracts/order/order.placed.event.json'), 'utf8')));
    const gate = await cli(['check-compat', '--against', 'registry', '--format', 'json'], dir, env());
    expect(gate.code).toBe(1);
    const findings = JSON.parse(gate.stdout) as { rule: string; file: string; message: string }[];
    expect(findings.map((f) => f.rule).sort()).toEqual(['READER_FIELD_MISSING_DEFAULT_VALUE', 'READER_FIELD_MISSING_DEFAULT_VALUE', 'REGISTRY_INCOMPATIBLE']);
    expect(findings.find((f) => f.rule === 'REGISTRY_INCOMPATIBLE')!.message).toContain(`${run}.order.events-shop.order.OrderPlaced`);
    const register = await cli(['register'], dir, env());
    expect(register.code).toBe(3);
    expect(register.stderr).toContain('REGISTRY_INCOMPATIBLE');
    expect(register.stderr).toContain('currency');
    expect(await registryJson(`subjects/${run}.order.events-shop.order.OrderPlaced/versions`)).toEqual([1, 2]);
  });

  it('converges when a run is killed halfway', async () => {
    const run = runId();
    const dir = projectFrom('minimal', {
      'contracts/topics.json': (t) => t.replaceAll('shop.order.events', `${run}.events`),
      'contracts/order/order.placed.event.json': null,
      'contracts/order/order.placed.v1.avsc': null,
    });
    for (let i = 0; i < 40; i++) writeSyntheticEvent(dir, run, i);
    const child = spawn(process.execPath, [join(repoRoot, 'bin', 'nova-events.js'), 'register'], { cwd: dir, env: env(), stdio: ['ignore', 'pipe', 'pipe'] });
    let applying = 0;
    const exit = await new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
      child.stderr.on('data', (chunk: Buffer) => {
        applying += chunk.toString().split('\n').filter((l) => l.startsWith('applying')).length;
        if (applying >= 5 && child.exitCode === null) child.kill('SIGKILL');
      });
      child.on('exit', (code, signal) => resolve({ code, signal }));
    });
    // The kill did happen, mid-run: some subjects were registered, not all.
    expect(exit).toEqual({ code: null, signal: 'SIGKILL' });
    expect(applying).toBeLessThan(40);
    const subjects = ((await registryJson('subjects')) as string[]).filter((s) => s.startsWith(`${run}.events-`));
    expect(subjects.length).toBeGreaterThan(0);
    expect(subjects.length).toBeLessThan(40);
    const status = JSON.parse((await cli(['status', '--format', 'json'], dir, env())).stdout) as { unregistered: unknown[] };
    expect(status.unregistered.length).toBeGreaterThan(0);
    expect(await cli(['register'], dir, env())).toMatchObject({ code: 0 });
    expect(JSON.parse((await cli(['register', '--format', 'json'], dir, env())).stdout)).toMatchObject({ changes: [] });
    for (let i = 0; i < 40; i++) expect(await registryJson(`subjects/${run}.events-shop.order.Event${i}/versions`)).toEqual([1]);
  });
});

describe('registry failures', () => {
  it('exits 3 with a clear message in well under a minute when the registry is down', async () => {
    const { dir } = freshProject();
    const started = Date.now();
    const result = await cli(['register', '--registry-url', 'http://127.0.0.1:9', '--timeout', '2000'], dir, env());
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(result.code).toBe(3);
    expect(result.stderr).toContain('REGISTRY_UNAVAILABLE');
    expect(result.stderr).toContain('http://127.0.0.1:9');
  });

  it('never shows a password or token, from the URL or the environment', async () => {
    const { dir } = freshProject();
    const secrets = { NOVA_SCHEMA_REGISTRY_PASSWORD: 'env-pass-4471', NOVA_SCHEMA_REGISTRY_TOKEN: 'tok-9931-secret', NOVA_SCHEMA_REGISTRY_USER: 'ci-user' };
    const outputs: string[] = [];
    for (const args of [
      ['register', '--dry-run', '--registry-url', registryUrl.replace('http://', 'http://alice:url-pass-8812@')],
      ['status', '--registry-url', 'http://bob:url-pass-8812@127.0.0.1:9', '--timeout', '500'],
      ['check-compat', '--against', 'registry', '--format', 'json'],
      ['register', '--format', 'json'],
    ]) {
      const result = await cli(args, dir, env(secrets));
      outputs.push(result.stdout, result.stderr);
    }
    const all = outputs.join('\n');
    expect(all).toContain('***');
    for (const secret of ['url-pass-8812', 'env-pass-4471', 'tok-9931-secret']) expect(all).not.toContain(secret);
  });
});

function writeSyntheticEvent(dir: string, run: string, i: number): void {
  const folder = join(dir, 'contracts', `agg${i}`);
  mkdirSync(folder, { recursive: true });
  const type = `agg${i}.happened`;
  writeFileSync(join(folder, `${type}.v1.avsc`), JSON.stringify({ type: 'record', name: `Event${i}`, namespace: 'shop.order', doc: `Event ${i}.`, fields: [{ name: 'id', type: 'string', doc: 'Id.' }] }));
  writeFileSync(
    join(folder, `${type}.event.json`),
    JSON.stringify({ type, aggregate: `agg${i}`, description: `Event ${i}.`, topic: `${run}.events`, schemaType: 'AVRO', subjectStrategy: 'TopicRecordNameStrategy', key: 'id', compatibility: 'BACKWARD', owner: 'test', subscribers: ['test'], versions: [`${type}.v1.avsc`] }),
  );
}
