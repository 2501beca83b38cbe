import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, committedProject, editJson, projectFrom } from '../../support/project.js';

const pages = (dir: string): string[] => readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((p) => p.endsWith('.html')).sort();

describe('nova-events docs', () => {
  it('writes site/ in the project once, then finds it unchanged', async () => {
    const dir = projectFrom('all-types');
    const first = await cli(['docs'], dir);
    expect(first).toMatchObject({ code: 0, stdout: 'site/: 10 written, 0 removed, 0 unchanged; open site/index.html\n' });
    expect(pages(join(dir, 'site'))).toEqual([
      'events/audit.recorded.html', 'events/audit.recorded.v1.html', 'events/order.placed.html', 'events/order.placed.v1.html', 'events/order.placed.v2.html', 'index.html', 'topics.html',
    ]);
    expect(await cli(['docs'], dir)).toMatchObject({ code: 0, stdout: 'site/: 0 written, 0 removed, 10 unchanged; open site/index.html\n' });
  });

  it('removes the pages of events that are gone, and keeps files it did not write', async () => {
    const dir = projectFrom('all-types');
    await cli(['docs'], dir);
    const tag = readFileSync(join(dir, 'site', 'index.html'), 'utf8');
    writeFileSync(join(dir, 'site', 'events', 'gone.created.html'), tag);
    writeFileSync(join(dir, 'site', 'events', 'notes.html'), '<p>hand-written</p>');
    writeFileSync(join(dir, 'site', 'CNAME'), 'docs.example');
    const second = await cli(['docs', '--format', 'json'], dir);
    expect(JSON.parse(second.stdout)).toMatchObject({ written: [], removed: ['events/gone.created.html'], unchanged: 10 });
    expect(existsSync(join(dir, 'site', 'events', 'notes.html'))).toBe(true);
    expect(existsSync(join(dir, 'site', 'CNAME'))).toBe(true);
  });

  it('--out is relative to the working folder', async () => {
    const dir = projectFrom('minimal');
    mkdirSync(join(dir, 'work'));
    const result = await cli(['docs', '--out', 'public', '--project', '..'], join(dir, 'work'));
    expect(result.code).toBe(0);
    expect(existsSync(join(dir, 'work', 'public', 'index.html'))).toBe(true);
  });

  it('--against git:<ref> adds a changes page with the new version\'s diff and verdict', async () => {
    const dir = committedProject('all-types');
    const v2 = readFileSync(join(dir, 'contracts/order/order.placed.v2.avsc'), 'utf8');
    writeFileSync(join(dir, 'contracts/order/order.placed.v3.avsc'), editJson((schema) => {
      schema.fields.push({ name: 'coupon', type: ['null', 'string'], default: null, doc: 'Coupon code.' });
    })(v2));
    writeFileSync(join(dir, 'contracts/order/order.placed.event.json'), editJson((meta) => {
      meta.versions.push('order.placed.v3.avsc');
      meta.subscribers.push('mail-service');
    })(readFileSync(join(dir, 'contracts/order/order.placed.event.json'), 'utf8')));
    const result = await cli(['docs', '--against', 'git:main'], dir);
    expect(result.code).toBe(0);
    const changes = readFileSync(join(dir, 'site', 'changes.html'), 'utf8');
    expect(changes).toContain('<section class="step" id="v2-v3"');
    expect(changes).toContain('field &quot;coupon&quot; was added with default null');
    expect(changes).toContain('BACKWARD_TRANSITIVE: compatible');
    expect(changes).toContain('mail-service');
    expect(readFileSync(join(dir, 'site', 'index.html'), 'utf8')).toContain('href="changes.html"');
  });

  it.each([
    [['--against', 'registry'], 'USAGE: docs --against takes a git ref only'],
    [['--against', 'main'], 'USAGE: --against "main" is not understood'],
    [['--against', 'git:no-such-ref'], 'GIT_REF_NOT_FOUND'],
  ])('%j is a usage error (exit 2)', async (args, message) => {
    const dir = committedProject('minimal');
    const result = await cli(['docs', ...args], dir);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(message);
    expect(existsSync(join(dir, 'site'))).toBe(false);
  });

  it('refuses invalid contracts with the validate findings and writes nothing', async () => {
    const dir = projectFrom('minimal', { 'contracts/order/order.placed.v1.avsc': '{"type": "record"' });
    const result = await cli(['docs'], dir);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('docs: the contracts are invalid; nothing was changed');
    expect(existsSync(join(dir, 'site'))).toBe(false);
  });

  it('writes nothing when the site cannot be written whole (DOCS_WRITE_FAILED, exit 2)', async () => {
    const dir = projectFrom('all-types');
    mkdirSync(join(dir, 'site'));
    // A file where the events/ folder must go: every page before it is written aside, then dropped.
    writeFileSync(join(dir, 'site', 'events'), 'in the way');
    const result = await cli(['docs'], dir);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('DOCS_WRITE_FAILED');
    expect(readdirSync(join(dir, 'site')).sort()).toEqual(['events']);
  });
});
