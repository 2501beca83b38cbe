#!/usr/bin/env node
// `npm run bench` runs every suite side by side in this process and prints the figures with
// their baselines; `npm run bench -- --json` prints one JSON object of all the keys.
import * as compat from './suites/compat.mjs';

const suites = { compat };
const json = process.argv.includes('--json');
const results = {};
for (const [name, suite] of Object.entries(suites)) {
  if (!json) process.stderr.write(`running ${name}...\n`);
  Object.assign(results, await suite.run());
}

if (json) process.stdout.write(JSON.stringify(results) + '\n');
else {
  const r = results;
  const line = (label, value, note = '') => process.stdout.write(`${label.padEnd(36)} ${value.toFixed(1).padStart(9)} ms${note}\n`);
  line('compat FULL_TRANSITIVE 200x10', r.compat_full_transitive_200x10_ms, '  (18000 reader/writer checks)');
  line('node -e 0 (baseline)', r.node_start_ms);
  line('nova-events --help', r.cli_help_ms, `  (${(r.cli_help_ms / r.node_start_ms).toFixed(2)}x node start)`);
  line('nova-events check-compat (catalog)', r.cli_check_compat_ms, `  (${(r.cli_check_compat_ms / r.node_start_ms).toFixed(2)}x node start)`);
}
