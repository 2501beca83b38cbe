// The compatibility engine and the check-compat CLI. Keys (ms, median):
// compat_full_transitive_200x10_ms, cli_help_ms, cli_check_compat_ms, node_start_ms.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { checkCompatibility } from '../../dist/src/tooling.js';
import { median, timeIt } from '../stats.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));
const bin = fileURLToPath(new URL('../../bin/nova-events.js', import.meta.url));

/** Version k of a synthetic subject: a realistic record that gains one optional field per version. */
function version(subject, k) {
  const fields = [
    { name: 'id', type: { type: 'string', logicalType: 'uuid' } },
    { name: 'at', type: { type: 'long', logicalType: 'timestamp-millis' } },
    { name: 'status', type: { type: 'enum', name: `Status${subject}`, symbols: ['A', 'B', 'C'], default: 'A' } },
    { name: 'location', type: ['null', { type: 'record', name: `Loc${subject}`, fields: [{ name: 'city', type: ['null', 'string'], default: null }] }], default: null },
    { name: 'tags', type: { type: 'array', items: 'string' }, default: [] },
  ];
  for (let i = 2; i <= k; i++) fields.push({ name: `f${i}`, type: ['null', 'long'], default: null });
  return { type: 'record', name: `Event${subject}`, namespace: 'bench', fields };
}

/** Checks every version of 200 subjects against all older ones under FULL_TRANSITIVE. */
function fullTransitive200x10() {
  let checks = 0;
  for (let s = 0; s < 200; s++) {
    const versions = Array.from({ length: 10 }, (_, i) => version(s, i + 1));
    for (let k = 1; k < versions.length; k++) {
      const result = checkCompatibility({ schemaType: 'AVRO', level: 'FULL_TRANSITIVE', previous: versions.slice(0, k), candidate: versions[k] });
      if (!result.compatible) throw new Error(`synthetic subject ${s} v${k + 1} judged incompatible`);
      checks += k * 2;
    }
  }
  return checks;
}

/**
 * Median wall time in ms of each command (process start included), run in turn round after
 * round (after one warm-up round): on a shared machine the load then weighs on all of them
 * alike, so their ratios hold even when the absolute times drift.
 */
function timeCommandsInTurn(commands, rounds = 11) {
  const times = Object.fromEntries(Object.keys(commands).map((key) => [key, []]));
  for (let round = 0; round <= rounds; round++) {
    for (const [key, { args, cwd }] of Object.entries(commands)) {
      const start = process.hrtime.bigint();
      const result = spawnSync(process.execPath, args, { cwd, encoding: 'utf8' });
      const ms = Number(process.hrtime.bigint() - start) / 1e6;
      if (result.status !== 0) throw new Error(`node ${args.join(' ')} exited ${result.status}: ${result.stderr || result.stdout}`);
      if (round > 0) times[key].push(ms);
    }
  }
  return Object.fromEntries(Object.entries(times).map(([key, list]) => [key, median(list)]));
}

/** Runs the suite; returns its keys. */
export async function run() {
  return {
    compat_full_transitive_200x10_ms: await timeIt(fullTransitive200x10, 5),
    ...timeCommandsInTurn({
      node_start_ms: { args: ['-e', '0'] },
      cli_help_ms: { args: [bin, '--help'] },
      cli_check_compat_ms: { args: [bin, 'check-compat'], cwd: root },
    }),
  };
}
