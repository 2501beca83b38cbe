import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { editJson, projectFrom, repoRoot } from '../../support/project.js';

const HEAVY = ['ts-morph', 'kafkajs', '@kafkajs/confluent-schema-registry', 'avsc', 'ajv', 'pg'];

/** Every module the built file loads through static imports (dynamic `import()` is not followed). */
function staticClosure(entry: string): { files: Set<string>; packages: Set<string> } {
  const files = new Set<string>();
  const packages = new Set<string>();
  const visit = (file: string): void => {
    if (files.has(file)) return;
    files.add(file);
    const source = readFileSync(file, 'utf8');
    // `import x from 'm'`, `export { x } from 'm'`, and a bare `import 'm'` (loaded for its side effects).
    for (const match of source.matchAll(/^\s*(?:(?:import|export)\s[^;]*?from\s+|import\s*)['"]([^'"]+)['"]/gm)) {
      const spec = match[1] as string;
      if (spec.startsWith('.')) visit(resolve(dirname(file), spec));
      else if (!spec.startsWith('node:')) packages.add(spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0] as string);
    }
  };
  visit(entry);
  return { files, packages };
}

/**
 * The packages (and ajv's files) loaded while the built CLI runs `args` in a fresh process: the
 * CommonJS module cache after the run, which holds every CommonJS file loaded, by import or by
 * require (ajv, avsc and the other heavy libraries are CommonJS).
 */
function loadedWhileRunning(args: readonly string[]): { status: number | null; stdout: string; loaded: string[] } {
  const program = pathToFileURL(join(repoRoot, 'dist', 'src', 'cli', 'program.js')).href;
  const script = `
    import { createRequire } from 'node:module';
    const { run } = await import(${JSON.stringify(program)});
    process.exitCode = await run(['node', 'nova-events', ...${JSON.stringify(args)}]);
    process.stderr.write('\\nLOADED ' + JSON.stringify(Object.keys(createRequire(import.meta.url).cache)) + '\\n');`;
  const result = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: repoRoot, encoding: 'utf8' });
  const line = result.stderr.split('\n').find((l) => l.startsWith('LOADED '));
  if (!line) throw new Error(`no module list: ${result.stderr}`);
  const loaded = (JSON.parse(line.slice('LOADED '.length)) as string[]).flatMap((path) => {
    const m = /node_modules[\\/]((?:@[^\\/]+[\\/])?[^\\/]+)[\\/](.*)$/.exec(path);
    if (!m) return [];
    const name = (m[1] as string).replace(/\\/g, '/');
    return [name === 'ajv' ? `ajv/${(m[2] as string).replace(/\\/g, '/')}` : name];
  });
  return { status: result.status, stdout: result.stdout, loaded: [...new Set(loaded)] };
}

/** What check-compat must not load on a catalog of plain schemas: ajv's compiler (ajv-formats, fast-uri come with it), avsc, and the I/O libraries. */
function heavyLoads(loaded: readonly string[]): string[] {
  return loaded.filter((p) => (p.startsWith('ajv/') ? !p.startsWith('ajv/dist/runtime/') : [...HEAVY, 'ajv-formats', 'fast-uri'].includes(p)));
}

const AUDIT_V1 = 'contracts/audit/audit.recorded.v1.schema.json';

describe('check-compat start-up', () => {
  it('runs on the bundled catalog without ajv\'s compiler, avsc or any I/O library', () => {
    const { status, stdout, loaded } = loadedWhileRunning(['check-compat']);
    expect(stdout).toMatch(/compatible/);
    expect(status).toBe(0);
    expect(heavyLoads(loaded)).toEqual([]);
    // the precompiled validators' helpers do load: the probe sees what the run loads
    expect(loaded).toContain('ajv/dist/runtime/equal.js');
  });

  it.each([
    ['draft-07', undefined],
    ['2019-09', 'https://json-schema.org/draft/2019-09/schema'],
    ['2020-12', 'https://json-schema.org/draft/2020-12/schema'],
  ])('checks a %s JSON Schema contract (with a local $ref) without ajv\'s compiler', (_draft, declared) => {
    const dir = projectFrom('all-types', {
      [AUDIT_V1]: editJson((s) => {
        if (declared === undefined) return;
        s.$schema = declared;
        s.$defs = s.definitions;
        delete s.definitions;
        s.properties.actor.$ref = '#/$defs/actor';
      }),
    });
    const { stdout, loaded } = loadedWhileRunning(['check-compat', '--project', dir, '--format', 'json']);
    expect(JSON.parse(stdout)).toEqual([]);
    expect(heavyLoads(loaded)).toEqual([]);
  });

  it('loads ajv where a schema must really be compiled', () => {
    const dir = projectFrom('all-types', { [AUDIT_V1]: editJson((s) => (s.properties.version.nullable = true)) });
    const { stdout, loaded } = loadedWhileRunning(['check-compat', '--project', dir, '--format', 'json']);
    expect(JSON.parse(stdout)).toMatchObject([{ rule: 'JSON_SCHEMA_INVALID', file: AUDIT_V1, message: '"nullable" cannot be used without "type"' }]);
    expect(loaded).toContain('ajv/dist/ajv.js');
  });

  it('leaves what only avsc refuses to validate: check-compat judges as Avro Java and loads no avsc', () => {
    // avsc wants "aliases" as an array; Avro Java (and our parser) take a string too
    const dir = projectFrom('all-types', { 'contracts/order/order.placed.v2.avsc': editJson((s) => (s.aliases = 'OrderPlacedOld')) });
    const validate = loadedWhileRunning(['validate', '--project', dir, '--format', 'json']);
    expect((JSON.parse(validate.stdout) as Array<{ rule: string }>).map((d) => d.rule)).toEqual(['AVRO_INVALID_SCHEMA']);
    expect(validate.loaded).toContain('avsc');
    const gate = loadedWhileRunning(['check-compat', '--project', dir, '--format', 'json']);
    expect(JSON.parse(gate.stdout)).toEqual([]);
    expect(heavyLoads(gate.loaded)).toEqual([]);
  });
});

describe('CLI start-up', () => {
  it('loads no heavy library before a command runs', () => {
    const { packages } = staticClosure(join(repoRoot, 'dist', 'src', 'cli', 'program.js'));
    expect([...packages].filter((p) => HEAVY.includes(p))).toEqual([]);
    expect([...packages]).toContain('commander');
  });

  it("loads the catalog's metadata validators precompiled, without ajv's compiler", () => {
    const contracts = join(repoRoot, 'dist', 'src', 'contracts');
    for (const file of ['parse.js', 'metadata-schemas.js', 'metadata-validators.generated.js']) {
      const source = readFileSync(join(contracts, file), 'utf8');
      expect(source, file).not.toMatch(/from\s+['"]ajv['"/]/);
      for (const [, spec] of source.matchAll(/require\(["']([^"']+)["']\)/g)) if (spec?.startsWith('ajv')) expect(spec, file).toMatch(/^ajv\/dist\/runtime\//);
    }
  });

  it('keeps the tooling entry free of I/O libraries', () => {
    const { packages } = staticClosure(join(repoRoot, 'dist', 'src', 'tooling.js'));
    expect([...packages].filter((p) => ['ts-morph', 'kafkajs', '@kafkajs/confluent-schema-registry', 'commander'].includes(p))).toEqual([]);
  });

  it('keeps the runtime (the package root) free of codegen, ts-morph, commander, pg and the CLI', () => {
    const { files, packages } = staticClosure(join(repoRoot, 'dist', 'src', 'index.js'));
    expect([...packages].filter((p) => ['ts-morph', 'commander', 'pg'].includes(p))).toEqual([]);
    expect([...files].filter((f) => /[\\/](codegen|cli)[\\/]/.test(f))).toEqual([]);
    expect([...packages]).toContain('avsc');
    // Registry REST goes through our own adapter (src/registry/rest-client.ts), not the library.
    expect([...packages]).not.toContain('@kafkajs/confluent-schema-registry');
  });

  it('loads prom-client only when a metrics registry is passed, and no OpenTelemetry SDK ever', () => {
    for (const entry of [join(repoRoot, 'dist', 'src', 'index.js'), join(repoRoot, 'dist', 'src', 'runtime', 'index.js')]) {
      const { packages } = staticClosure(entry);
      expect([...packages].filter((p) => p === 'prom-client' || (p.startsWith('@opentelemetry/') && p !== '@opentelemetry/api')), entry).toEqual([]);
      // Trace context goes through the API alone, a no-op until the service registers an SDK.
      expect([...packages], entry).toContain('@opentelemetry/api');
    }
  });
});
