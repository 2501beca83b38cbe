import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../../support/project.js';

/** Runs vitest on one oracle test file with the oracle folder pointed at an empty one. */
function runWithoutOracles(ci: string | undefined): { code: number | null; summary: string[] } {
  const empty = mkdtempSync(join(tmpdir(), 'nova-events-no-oracles-'));
  const env: NodeJS.ProcessEnv = { ...process.env, NOVA_ORACLES_DIR: empty, NO_COLOR: '1', FORCE_COLOR: '0' };
  for (const key of Object.keys(env)) if (key === 'CI' || key.startsWith('VITEST')) delete env[key];
  if (ci !== undefined) env['CI'] = ci;
  const result = spawnSync(process.execPath, [join(repoRoot, 'node_modules', 'vitest', 'vitest.mjs'), 'run', '--project', 'unit', 'test/unit/compat/levels-oracle.test.ts'], {
    cwd: repoRoot,
    env,
    encoding: 'utf8',
    timeout: 60_000,
  });
  const summary = result.stdout.split('\n').filter((line) => /^(tests: |oracles absent )/.test(line)).map((line) => line.replaceAll(empty, '<empty>'));
  return { code: result.status, summary };
}

describe('absent oracle files', () => {
  it.each([
    [undefined, 0, ['oracles absent (1 conformance tables not run): <empty>/compat-levels.json', 'tests: 0 passed, 0 failed, 1 skipped']],
    ['false', 0, ['oracles absent (1 conformance tables not run): <empty>/compat-levels.json', 'tests: 0 passed, 0 failed, 1 skipped']],
    ['true', 1, ['oracles absent (1 conformance tables not run): <empty>/compat-levels.json', 'tests: 0 passed, 1 failed, 0 skipped']],
  ])('with CI=%s: exit %d, and the summary names the file', (ci, code, summary) => {
    expect(runWithoutOracles(ci)).toEqual({ code, summary });
  }, 60_000);
});
