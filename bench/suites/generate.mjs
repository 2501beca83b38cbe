// `nova-events generate`, wall time including process start (ms, median): the bundled catalog
// (generate_catalog_ms, as --check, which generates everything and writes nothing) and 200
// synthetic contracts (generate_200_ms); `nova-events docs` for the bundled catalog into a fresh
// folder (docs_catalog_ms; the budget is 2 s).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { timeCommand } from '../stats.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));
const bin = fileURLToPath(new URL('../../bin/nova-events.js', import.meta.url));

/** A project with `count` Avro contracts on 10 topics, each a realistic record. */
function syntheticProject(count) {
  const dir = mkdtempSync(join(tmpdir(), 'nova-events-bench-'));
  const topics = Array.from({ length: 10 }, (_, i) => ({ name: `bench.t${i}.events`, description: `Topic ${i}.`, partitions: 3, retentionMs: 604800000 }));
  mkdirSync(join(dir, 'contracts'), { recursive: true });
  writeFileSync(join(dir, 'contracts', 'topics.json'), JSON.stringify({ topics }));
  for (let i = 0; i < count; i++) {
    const aggregate = `agg${i % 20}`;
    const type = `${aggregate}.event${i}`;
    const folder = join(dir, 'contracts', aggregate);
    mkdirSync(folder, { recursive: true });
    const record = {
      type: 'record',
      name: `Event${i}`,
      namespace: `bench.${aggregate}`,
      doc: `Event ${i}.`,
      fields: [
        { name: 'id', type: { type: 'string', logicalType: 'uuid' }, doc: 'Id.' },
        { name: 'at', type: { type: 'long', logicalType: 'timestamp-millis' }, doc: 'When.' },
        { name: 'state', type: { type: 'enum', name: `State${i}`, symbols: ['A', 'B', 'C'] }, doc: 'State.' },
        { name: 'note', type: ['null', 'string'], default: null, doc: 'Note.' },
        { name: 'tags', type: { type: 'array', items: 'string' }, default: [], doc: 'Tags.' },
        { name: 'counts', type: { type: 'map', values: 'long' }, default: {}, doc: 'Counts.' },
      ],
    };
    writeFileSync(join(folder, `${type}.v1.avsc`), JSON.stringify(record));
    writeFileSync(
      join(folder, `${type}.event.json`),
      JSON.stringify({
        type, aggregate, description: `Event ${i}.`, topic: topics[i % 10].name, schemaType: 'AVRO', subjectStrategy: 'TopicRecordNameStrategy',
        key: 'id', compatibility: 'BACKWARD', owner: 'bench', subscribers: ['bench'], versions: [`${type}.v1.avsc`],
      }),
    );
  }
  return dir;
}

/** Runs the suite; returns its keys. */
export async function run() {
  const dir = syntheticProject(200);
  const site = mkdtempSync(join(tmpdir(), 'nova-events-bench-site-'));
  try {
    timeCommand('node', [bin, 'generate'], { cwd: dir, runs: 0 });
    return {
      generate_catalog_ms: timeCommand('node', [bin, 'generate', '--check'], { cwd: root, runs: 5 }),
      generate_200_ms: timeCommand('node', [bin, 'generate'], { cwd: dir, runs: 5 }),
      docs_catalog_ms: timeCommand('node', [bin, 'docs', '--out', site], { cwd: root, runs: 5 }),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
    rmSync(site, { recursive: true, force: true });
  }
}
