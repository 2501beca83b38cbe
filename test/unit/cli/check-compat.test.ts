import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Diagnostic } from '../../../src/diagnostics/diagnostic.js';
import { cli, committedProject, editJson, fixtureCatalog, git } from '../../support/project.js';

const EVENT = 'contracts/order/order.placed.event.json';
const V1 = 'contracts/order/order.placed.v1.avsc';
const V2 = 'contracts/order/order.placed.v2.avsc';

function addVersion(dir: string, fields: object[]): void {
  const v1 = JSON.parse(readFileSync(join(dir, V1), 'utf8'));
  writeFileSync(join(dir, V2), JSON.stringify({ ...v1, fields: [...v1.fields, ...fields] }, null, 2) + '\n');
  const event = JSON.parse(readFileSync(join(dir, EVENT), 'utf8'));
  event.versions.push('order.placed.v2.avsc');
  writeFileSync(join(dir, EVENT), JSON.stringify(event, null, 2) + '\n');
}

function findings(stdout: string): Diagnostic[] {
  return JSON.parse(stdout) as Diagnostic[];
}

describe('nova-events check-compat', () => {
  it('passes the bundled catalog, against HEAD too', async () => {
    const result = await cli(['check-compat', '--against', 'git:HEAD']);
    expect(result.stdout).toMatch(/54 events, \d+ versions: compatible, and every version published at HEAD is unchanged/);
    expect(result.code).toBe(0);
  });

  it('accepts a new version that adds an optional field with a default', async () => {
    const dir = committedProject('minimal');
    addVersion(dir, [{ name: 'note', type: ['null', 'string'], default: null, doc: 'A note.' }]);
    const result = await cli(['check-compat', '--against', 'git:main', '--format', 'json'], dir);
    expect(findings(result.stdout)).toEqual([]);
    expect(result.code).toBe(0);
  });

  it('rejects a new version that adds a required field, naming file, pointer, line, version and fix', async () => {
    const dir = committedProject('minimal');
    addVersion(dir, [{ name: 'currency', type: 'string', doc: 'ISO currency.' }]);
    const result = await cli(['check-compat', '--format', 'json'], dir);
    expect(result.code).toBe(1);
    expect(findings(result.stdout)).toEqual([
      expect.objectContaining({
        rule: 'READER_FIELD_MISSING_DEFAULT_VALUE',
        file: V2,
        pointer: '/fields/2',
        // The finding is about v2 (its file); the message names the version it conflicts with.
        version: 2,
        line: expect.any(Number),
        message: expect.stringContaining('field "currency" was added without a default'),
        hint: expect.stringContaining('"default"'),
      }),
    ]);
    const text = await cli(['check-compat'], dir);
    expect(text.stdout).toMatch(/error READER_FIELD_MISSING_DEFAULT_VALUE at line \d+ #\/fields\/2 \(v2\): order\.placed v2 \(FULL_TRANSITIVE\): field "currency" was added without a default, so records written with version 1/);
    expect(text.stdout).toMatch(/hint: add a "default" to "currency"/);
  });

  it('puts the data of a finding in details: event, level, version conflicted with, field, types, direction', async () => {
    const dir = committedProject('minimal');
    addVersion(dir, [{ name: 'currency', type: 'string', doc: 'ISO currency.' }]);
    const result = await cli(['check-compat', '--format', 'json'], dir);
    const [finding] = findings(result.stdout);
    expect(finding?.details).toEqual({ eventType: 'order.placed', level: 'FULL_TRANSITIVE', against: 1, direction: 'backward', subject: 'currency', readerType: expect.any(String), writerType: expect.any(String) });
  });

  it.each([
    ['an edited published version', { [V1]: editJson((s) => (s.fields[1].type = 'int')) }, 'PUBLISHED_VERSION_EDITED', V1],
    ['a deleted event', { [EVENT]: null, [V1]: null }, 'EVENT_REMOVED', EVENT],
    ['a changed partition key', { [EVENT]: editJson((e) => (e.key = 'amount_cents')) }, 'KEY_FIELD_CHANGED', EVENT],
  ] as const)('fails on %s against the published ref', async (_name, patch, rule, file) => {
    const dir = committedProject('minimal');
    for (const [path, change] of Object.entries(patch)) {
      if (change === null) rmSync(join(dir, path));
      else writeFileSync(join(dir, path), change(readFileSync(join(dir, path), 'utf8')));
    }
    const result = await cli(['check-compat', '--against', 'git:main', '--format', 'json'], dir);
    expect(findings(result.stdout)).toContainEqual(expect.objectContaining({ rule, file }));
    expect(result.code).toBe(1);
  });

  it('does not count reformatting a published version as an edit', async () => {
    const dir = committedProject('minimal');
    writeFileSync(join(dir, V1), JSON.stringify(JSON.parse(readFileSync(join(dir, V1), 'utf8'))) + '\n');
    const result = await cli(['check-compat', '--against', 'git:main', '--format', 'json'], dir);
    expect(findings(result.stdout)).toEqual([]);
  });

  it('prints github-actions annotations with repository-relative paths, from a subfolder', async () => {
    const repo = mkdtempSync(join(tmpdir(), 'nova-mono-'));
    const service = join(repo, 'services', 'orders');
    cpSync(fixtureCatalog('minimal'), service, { recursive: true });
    git(repo, 'init', '-q', '-b', 'main');
    git(repo, 'add', '-A');
    git(repo, 'commit', '-qm', 'published');
    addVersion(service, [{ name: 'currency', type: 'string', doc: 'ISO currency.' }]);
    const result = await cli(['check-compat', '--against', 'git:HEAD', '--format', 'github-actions'], join(service, 'contracts', 'order'));
    expect(result.stdout).toMatch(/^::error file=services\/orders\/contracts\/order\/order\.placed\.v2\.avsc,line=\d+,title=READER_FIELD_MISSING_DEFAULT_VALUE::/m);
    expect(result.code).toBe(1);
  });

  it('exits 2 with a fetch hint when the ref is missing from a shallow clone', async () => {
    const origin = committedProject('minimal');
    writeFileSync(join(origin, 'README'), 'second commit\n');
    git(origin, 'add', '-A');
    git(origin, 'commit', '-qm', 'second');
    const shallow = join(mkdtempSync(join(tmpdir(), 'nova-shallow-')), 'clone');
    git(origin, 'clone', '-q', '--depth', '1', `file://${origin}`, shallow);
    const result = await cli(['check-compat', '--against', 'git:HEAD~1'], shallow);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/GIT_REF_NOT_FOUND: git ref "HEAD~1" was not found/);
    expect(result.stderr).toMatch(/hint: fetch it first/);
  });

  it('exits 2 on an --against it does not understand', async () => {
    const result = await cli(['check-compat', '--against', 'origin/main']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/use --against git:<ref>/);
  });
});

