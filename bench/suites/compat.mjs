// The compatibility engine and the check-compat CLI. Keys (ms, median):
// compat_full_transitive_200x10_ms, cli_help_ms, cli_check_compat_ms, node_start_ms.
import { fileURLToPath } from 'node:url';
import { checkCompatibility } from '../../dist/src/tooling.js';
import { timeCommand, timeIt } from '../stats.mjs';

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

/** Runs the suite; returns its keys. */
export async function run() {
  return {
    compat_full_transitive_200x10_ms: await timeIt(fullTransitive200x10, 5),
    node_start_ms: timeCommand(process.execPath, ['-e', '0']),
    cli_help_ms: timeCommand(process.execPath, [bin, '--help']),
    cli_check_compat_ms: timeCommand(process.execPath, [bin, 'check-compat'], { cwd: root }),
  };
}
