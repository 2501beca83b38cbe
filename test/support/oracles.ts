import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './project.js';

/** Where the other projects' test vectors live: ../shared/oracles beside the checkout. */
export const ORACLES_DIR = process.env['NOVA_ORACLES_DIR'] ?? join(repoRoot, '..', 'shared', 'oracles');

/** True when the oracle folder is there; tests skip (saying so) when it is not. */
export const oraclesPresent = existsSync(join(ORACLES_DIR, 'README.md'));

if (!oraclesPresent) {
  process.stderr.write(`\n[oracles] ${ORACLES_DIR} is absent: the conformance tables are skipped (they need ../shared/oracles beside the checkout)\n`);
}

/** Reads one oracle file (an array of rows), or [] when the folder is absent. */
export function readOracle<T>(file: string): T[] {
  if (!oraclesPresent) return [];
  return JSON.parse(readFileSync(join(ORACLES_DIR, file), 'utf8')) as T[];
}
