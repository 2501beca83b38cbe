import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, fixtureCatalog, repoRoot } from '../../support/project.js';

const outside = mkdtempSync(join(tmpdir(), 'nova-outside-'));
const noRegistry = { ...process.env, NOVA_SCHEMA_REGISTRY_URL: undefined };

describe('--format json failures print one error object on stdout, with the exit code of text format', () => {
  it.each([
    { name: 'an unknown option', args: ['validate', '--bogus', '--format', 'json'], code: 2, rule: 'USAGE', message: /unknown option '--bogus'/ },
    { name: 'an unknown option, --format=json', args: ['list', '--format=json', '--bogus'], code: 2, rule: 'USAGE', message: /unknown option/ },
    { name: 'an unknown command', args: ['frobnicate', '--format', 'json'], code: 2, rule: 'USAGE', message: /unknown command/ },
    { name: 'a bad --against', args: ['check-compat', '--against', 'nowhere', '--format', 'json'], code: 2, rule: 'USAGE', message: /--against "nowhere"/ },
    { name: 'no project', args: ['validate', '--format', 'json'], cwd: outside, code: 2, rule: 'PROJECT_NOT_FOUND', message: /no nova-events project/ },
    { name: 'no registry URL (status)', args: ['status', '--format', 'json'], code: 2, rule: 'REGISTRY_URL_MISSING', message: /registry URL/ },
    { name: 'no registry URL (register)', args: ['register', '--dry-run', '--format', 'json'], code: 2, rule: 'REGISTRY_URL_MISSING', message: /registry URL/ },
    { name: 'no registry URL (check-compat --against registry)', args: ['check-compat', '--against', 'registry', '--format', 'json'], code: 2, rule: 'REGISTRY_URL_MISSING', message: /registry URL/ },
    { name: 'a registry that cannot be reached', args: ['status', '--format', 'json', '--registry-url', 'http://127.0.0.1:1', '--timeout', '200'], code: 3, rule: 'REGISTRY_UNAVAILABLE', message: /ECONNREFUSED/ },
  ])('$name', async ({ args, cwd, code, rule, message }) => {
    const result = await cli(args, cwd ?? repoRoot, noRegistry);
    expect(result.code).toBe(code);
    const report = JSON.parse(result.stdout) as { error: Record<string, unknown> };
    expect(report).toEqual({ error: expect.objectContaining({ rule, message: expect.stringMatching(message), exitCode: code }) });
    expect(Object.keys(report.error).every((k) => ['rule', 'message', 'hint', 'file', 'pointer', 'exitCode'].includes(k))).toBe(true);
    expect(result.stderr).not.toBe('');
  }, 30_000);

  it('in text format the error goes to stderr only', async () => {
    const result = await cli(['status'], repoRoot, noRegistry);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/REGISTRY_URL_MISSING/);
  });
});

describe('--project', () => {
  it.each([
    ['before the command name', ['--project', fixtureCatalog('minimal'), 'validate', '--format', 'json']],
    ['after the command name', ['validate', '--project', fixtureCatalog('minimal'), '--format', 'json']],
    ['as --project=<dir> before the command name', [`--project=${fixtureCatalog('minimal')}`, 'list', '--format', 'json']],
  ])('works %s', async (_, args) => {
    const result = await cli(args, outside);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
  });

  it("the command's own --project wins over the program's", async () => {
    const result = await cli(['--project', outside, 'list', '--project', fixtureCatalog('minimal'), '--format', 'json'], outside);
    expect(result.code).toBe(0);
    expect((JSON.parse(result.stdout) as Array<{ type: string }>).map((r) => r.type)).toEqual(['order.placed']);
  });
});

describe('list', () => {
  it('shows the SUBJECT column its help promises', async () => {
    const result = await cli(['list']);
    expect(result.code).toBe(0);
    const [header, ...rows] = result.stdout.trimEnd().split('\n');
    expect(header?.split(/\s+/)).toEqual(['TYPE', 'TOPIC', 'SUBJECT', 'KEY', 'FORMAT', 'COMPATIBILITY', 'VERSIONS', 'OWNER']);
    expect(rows.find((r) => r.startsWith('post.created '))?.split(/\s+/).slice(0, 3)).toEqual(['post.created', 'nova.content.events', 'nova.content.events-nova.post.PostCreated']);
  });
});
