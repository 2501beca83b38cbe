import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../../support/project.js';

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
      for (const [, spec] of source.matchAll(/require\(["']([^"']+)["']\)/g)) expect(spec, file).toMatch(/^ajv\/dist\/runtime\//);
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
