#!/usr/bin/env node
// `npm run bench` runs every suite side by side in this process and prints the figures with
// their baselines; `npm run bench -- --json` prints one JSON object of all the keys. Only the
// publish and outbox suites need services (the broker, the registry, PostgreSQL): they are
// started before them when they do not already answer, and only what was started is stopped.
import { serviceAddresses, start, stop } from '../scripts/services.mjs';
import * as codec from './suites/codec.mjs';
import * as compat from './suites/compat.mjs';
import * as generate from './suites/generate.mjs';
import * as metrics from './suites/metrics.mjs';
import * as outbox from './suites/outbox.mjs';
import * as publish from './suites/publish.mjs';

const json = process.argv.includes('--json');
const log = (text) => process.stderr.write(`${text}\n`);
const results = {};
for (const [name, suite] of Object.entries({ compat, generate, codec, metrics })) {
  if (!json) log(`running ${name}...`);
  Object.assign(results, await suite.run());
}
const started = await start(['kafka', 'registry', 'postgres']);
try {
  for (const [name, suite] of Object.entries({ publish, outbox })) {
    if (!json) log(`running ${name}...`);
    Object.assign(results, await suite.run(serviceAddresses()));
  }
} finally {
  await stop(started);
}

if (json) process.stdout.write(JSON.stringify(results) + '\n');
else {
  const r = results;
  const ms = (label, value, note = '') => process.stdout.write(`${label.padEnd(40)} ${value.toFixed(1).padStart(9)} ms${note}\n`);
  const ratio = (label, value, target) => process.stdout.write(`${label.padEnd(40)} ${value.toFixed(2).padStart(9)} x   (target >= ${target})\n`);
  ms('compat FULL_TRANSITIVE 200x10', r.compat_full_transitive_200x10_ms, '  (18000 reader/writer checks)');
  ms('node -e 0 (baseline)', r.node_start_ms);
  ms('nova-events --help', r.cli_help_ms, `  (${(r.cli_help_ms / r.node_start_ms).toFixed(2)}x node start)`);
  ms('nova-events check-compat (catalog)', r.cli_check_compat_ms, `  (${(r.cli_check_compat_ms / r.node_start_ms).toFixed(2)}x node start)`);
  ms('nova-events generate (catalog)', r.generate_catalog_ms);
  ms('nova-events generate (200 contracts)', r.generate_200_ms);
  ms('nova-events docs (catalog)', r.docs_catalog_ms, '  (budget 2000)');
  ratio('encode vs avsc toBuffer', r.encode_vs_avsc, 1.0);
  ratio('decode vs avsc fromBuffer', r.decode_vs_avsc, 0.95);
  ratio('decode v1->v2 vs avsc cached resolver', r.decode_resolved_vs_avsc_resolver, 0.95);
  ratio('encode vs registry lib encode', r.encode_vs_registry_lib, 2);
  ratio('decode vs registry lib decode', r.decode_vs_registry_lib, 2);
  ratio('decode v1->v2 vs registry lib + reader', r.decode_reader_vs_registry_lib, 2);
  const overhead = (label, value) => process.stdout.write(`${label.padEnd(40)} ${(value * 100).toFixed(1).padStart(9)} %   (target <= 5; lower is better)\n`);
  overhead('publish cost of metrics', r.publish_metrics_overhead);
  overhead('consume cost of metrics', r.consume_metrics_overhead);
  ratio('publishBatch vs raw kafkajs sendBatch', r.publish_batch_vs_kafkajs, 0.95);
  ratio('outbox relay vs publishBatch (events/s)', r.relay_vs_publish_batch, 0.5);
  ms('outbox commit -> handler p50', r.outbox_commit_to_handler_p50_ms, '  (LISTEN/NOTIFY, 1,000 events at 200/s)');
  ms('outbox commit -> handler p99', r.outbox_commit_to_handler_p99_ms);
  process.stdout.write(`${'enqueue tx vs plain insert tx'.padEnd(40)} ${r.enqueue_overhead_vs_insert.toFixed(2).padStart(9)} x   (time; lower is better)\n`);
}
