import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'vitest';
import { repoRoot } from './project.js';

/** Where the other projects' test vectors live: ../shared/oracles beside the checkout. */
export const ORACLES_DIR = process.env['NOVA_ORACLES_DIR'] ?? join(repoRoot, '..', 'shared', 'oracles');

/**
 * True under CI (`CI=true`, `CI=1`, ...). There an absent oracle file fails the run: a green CI
 * run must mean the conformance tables ran.
 */
export const oraclesRequired = ['true', '1', 'yes'].includes((process.env['CI'] ?? '').toLowerCase());

/** What an absent-oracle test carries for the summary reporter (`task.meta.oracleAbsent`). */
export interface OracleAbsence {
  readonly file: string;
  readonly path: string;
}

declare module 'vitest' {
  interface TaskMeta {
    oracleAbsent?: OracleAbsence;
  }
}

/**
 * A suite over one oracle file's rows. When the file is present, `body` gets its rows and
 * declares the tests. When it is absent, the suite holds one test instead, named after the file
 * and where it was looked for: under CI it fails, elsewhere it is skipped (so the summary line
 * counts it, and the summary reporter names the absent files).
 */
export function describeOracle<T>(file: string, title: string, body: (rows: T[]) => void): void {
  const path = join(ORACLES_DIR, file);
  if (existsSync(path)) {
    const rows = JSON.parse(readFileSync(path, 'utf8')) as T[];
    describe(title, () => body(rows));
    return;
  }
  const missing = `oracle file ${file} is missing: looked for ${path} (../shared/oracles beside the checkout, or NOVA_ORACLES_DIR)`;
  describe(title, () => {
    it(`needs ${file}`, { meta: { oracleAbsent: { file, path } } }, (context) => {
      if (oraclesRequired) throw new Error(`${missing}; CI=true requires the conformance tables to run`);
      context.skip(missing);
    });
  });
}
