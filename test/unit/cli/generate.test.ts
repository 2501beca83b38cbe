import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, editJson, projectFrom } from '../../support/project.js';

const list = (dir: string): string[] => (existsSync(dir) ? readdirSync(dir, { recursive: true, encoding: 'utf8' }).sort() : []);

describe('nova-events generate', () => {
  it('writes the generated files once, then finds them up to date', async () => {
    const dir = projectFrom('minimal');
    const first = await cli(['generate'], dir);
    expect(first).toMatchObject({ code: 0, stdout: 'generated/: 5 written, 0 removed, 0 unchanged\n' });
    expect(list(join(dir, 'generated'))).toEqual(['catalog.ts', 'client.ts', 'events.ts', 'index.ts', 'types', 'types/order.ts']);
    expect(await cli(['generate'], dir)).toMatchObject({ code: 0, stdout: 'generated/: 0 written, 0 removed, 5 unchanged\n' });
    expect(await cli(['generate', '--check'], dir)).toMatchObject({ code: 0, stdout: 'generated/ is up to date (5 files)\n' });
  });

  it('--check exits 1 and lists the stale files without writing', async () => {
    const dir = projectFrom('minimal');
    await cli(['generate'], dir);
    const before = readFileSync(join(dir, 'generated', 'types', 'order.ts'), 'utf8');
    const edit = editJson((schema) => {
      schema.fields[1].doc = 'Total in euro cents.';
    });
    writeFileSync(join(dir, 'contracts/order/order.placed.v1.avsc'), edit(readFileSync(join(dir, 'contracts/order/order.placed.v1.avsc'), 'utf8')));
    const check = await cli(['generate', '--check'], dir);
    expect(check.code).toBe(1);
    expect(check.stdout).toContain('generated/ is stale: 2 file(s) differ');
    expect(check.stdout).toContain('changed  generated/types/order.ts');
    expect(check.stdout).toContain('changed  generated/catalog.ts');
    expect(readFileSync(join(dir, 'generated', 'types', 'order.ts'), 'utf8')).toBe(before);
    const json = await cli(['generate', '--check', '--format', 'json'], dir);
    expect(JSON.parse(json.stdout)).toEqual({ upToDate: false, changed: ['catalog.ts', 'types/order.ts'], stale: [] });
  });

  it('removes generated files the contracts no longer give, and keeps hand-written ones', async () => {
    const dir = projectFrom('minimal');
    await cli(['generate'], dir);
    const banner = readFileSync(join(dir, 'generated', 'index.ts'), 'utf8').split('\n')[0];
    writeFileSync(join(dir, 'generated', 'types', 'gone.ts'), `${banner}\nexport type Gone = 1;\n`);
    writeFileSync(join(dir, 'generated', 'types', 'mine.ts'), 'export type Mine = 1;\n');
    expect(await cli(['generate', '--check'], dir)).toMatchObject({ code: 1 });
    expect(await cli(['generate'], dir)).toMatchObject({ code: 0, stdout: 'generated/: 0 written, 1 removed, 5 unchanged\n' });
    expect(existsSync(join(dir, 'generated', 'types', 'gone.ts'))).toBe(false);
    expect(existsSync(join(dir, 'generated', 'types', 'mine.ts'))).toBe(true);
  });

  it('stops on invalid contracts with the validate findings and writes nothing', async () => {
    const dir = projectFrom('minimal', {
      'contracts/order/order.placed.v1.avsc': editJson((schema) => {
        schema.fields[1].type = 'money';
      }),
    });
    const result = await cli(['generate'], dir);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('AVRO_UNKNOWN_TYPE');
    expect(result.stdout).toContain('contracts/order/order.placed.v1.avsc');
    expect(result.stderr).toContain('nothing was changed');
    expect(existsSync(join(dir, 'generated'))).toBe(false);
  });

  it('writes all files or none when the disk refuses one', async () => {
    const dir = projectFrom('minimal');
    mkdirSync(join(dir, 'generated'), { recursive: true });
    writeFileSync(join(dir, 'generated', 'types'), 'a file where a folder must go');
    const result = await cli(['generate'], dir);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('GENERATE_WRITE_FAILED');
    expect(list(join(dir, 'generated'))).toEqual(['types']);
  });

  it('keeps the bundled generated/ in step with contracts/', async () => {
    expect(await cli(['generate', '--check'])).toMatchObject({ code: 0 });
  });
});
