import { join } from 'node:path';
import { Project } from 'ts-morph';
import { describe, expect, it } from 'vitest';
import { catalog } from '../../../generated/catalog.js';
import { CodecCache } from '../../../src/runtime/codec.js';
import { latestVersion, type EventSpec } from '../../../src/runtime/event-spec.js';
import { repoRoot } from '../../support/project.js';
import { samplePayload } from '../../support/samples.js';

/** A TypeScript expression that evaluates to `value` (bigint, Date, Buffer included). */
function literal(value: unknown): string {
  if (typeof value === 'bigint') return `${value}n`;
  if (value instanceof Date) return `new Date(${value.getTime()})`;
  if (Buffer.isBuffer(value)) return `Buffer.from('${value.toString('hex')}', 'hex')`;
  if (Array.isArray(value)) return `[${value.map(literal).join(', ')}]`;
  if (value !== null && typeof value === 'object') {
    return `{ ${Object.entries(value).map(([k, v]) => `${JSON.stringify(k)}: ${literal(v)}`).join(', ')} }`;
  }
  return JSON.stringify(value);
}

/**
 * Decodes a sample of every event type of the catalog and proves with the TypeScript compiler
 * that the decoded value satisfies the generated payload type: the type mapping and the
 * runtime's value mapping are the same table.
 */
describe('decoded samples satisfy their generated types', () => {
  const codecs = new CodecCache();
  const specs = Object.values(catalog) as EventSpec[];
  const samples = specs.map((spec) => {
    const version = latestVersion(spec);
    const writer = { schemaType: spec.schemaType, schema: version.schema };
    const value = samplePayload(spec);
    const bytes = codecs.encoder(spec, version, 1).encode(value);
    return { spec, decoded: codecs.decoder(spec, version, 1, writer).decode(bytes) };
  });

  it('covers every event type', () => {
    expect(samples.map((s) => s.spec.type).sort()).toEqual(Object.keys(catalog).sort());
  });

  it('type-checks every decoded sample against EventPayloads', () => {
    const project = new Project({
      compilerOptions: { strict: true, module: 199 /* NodeNext */, moduleResolution: 99 /* NodeNext */, target: 9 /* ES2022 */, types: ['node'], skipLibCheck: true, noEmit: true },
      skipAddingFilesFromTsConfig: true,
    });
    const lines = [
      "import type { EventPayloads } from '../../../generated/events.js';",
      ...samples.map((s, i) => `export const sample${i}: EventPayloads[${JSON.stringify(s.spec.type)}] = ${literal(s.decoded)};`),
    ];
    const file = project.createSourceFile(join(repoRoot, 'test', 'unit', 'codegen', '__samples__.ts'), lines.join('\n'), { overwrite: true });
    const problems = project.getPreEmitDiagnostics().filter((d) => d.getSourceFile() === file);
    expect(problems.map((d) => `${d.getLineNumber()}: ${String(d.getMessageText())}`)).toEqual([]);
    // A full type-check of the generated catalog (54 events) takes several seconds on a shared core.
  }, 60_000);

  it('would catch a value of the wrong shape', () => {
    const project = new Project({ compilerOptions: { strict: true, module: 199, moduleResolution: 99, target: 9, types: ['node'], skipLibCheck: true }, skipAddingFilesFromTsConfig: true });
    const file = project.createSourceFile(
      join(repoRoot, 'test', 'unit', 'codegen', '__wrong__.ts'),
      `import type { EventPayloads } from '../../../generated/events.js';\nexport const wrong: EventPayloads['post.liked'] = { post_id: 'p', user_id: 'u', liked_at: 5n };`,
      { overwrite: true },
    );
    expect(project.getPreEmitDiagnostics().filter((d) => d.getSourceFile() === file)).toHaveLength(1);
  });
});
