import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { run } from '../../src/cli/program.js';

/** The repository root. */
export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Path of a fixture catalog under test/fixtures/catalogs. */
export function fixtureCatalog(name: string): string {
  return join(repoRoot, 'test', 'fixtures', 'catalogs', name);
}

/**
 * Copies a fixture catalog into a fresh temporary folder and applies `patch`: file path ->
 * new text, or a function of the old text, or null to delete. Returns the folder.
 */
export function projectFrom(
  fixture: string,
  patch: Record<string, string | null | ((old: string) => string)> = {},
): string {
  const dir = mkdtempSync(join(tmpdir(), 'nova-events-test-'));
  cpSync(fixtureCatalog(fixture), dir, { recursive: true });
  for (const [path, change] of Object.entries(patch)) {
    const full = join(dir, path);
    if (change === null) rmSync(full);
    else {
      mkdirSync(dirname(full), { recursive: true });
      writeFileSync(full, typeof change === 'function' ? change(readFileSync(full, 'utf8')) : change);
    }
  }
  return dir;
}

/** Edits a JSON file's text through a function of its parsed value. */
export function editJson(edit: (json: any) => void): (old: string) => string {
  return (old) => {
    const json = JSON.parse(old);
    edit(json);
    return JSON.stringify(json, null, 2) + '\n';
  };
}

/** The result of one in-process CLI run. */
export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the CLI in this process with `args`, in `cwd`, capturing its output. */
export async function cli(args: string[], cwd: string = repoRoot, env: Record<string, string | undefined> = process.env): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const code = await run(['node', 'nova-events', ...args], {
    stdout: (t) => {
      stdout += t;
    },
    stderr: (t) => {
      stderr += t;
    },
    cwd,
    env,
  });
  return { code, stdout, stderr };
}

/** Runs git in `cwd` (a test repository), failing the test on error. */
export function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@t', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@t' },
  });
}

/** A fixture catalog committed as the first commit of a fresh git repository. */
export function committedProject(fixture: string): string {
  const dir = projectFrom(fixture);
  git(dir, 'init', '-q', '-b', 'main');
  git(dir, 'add', '-A');
  git(dir, 'commit', '-qm', 'published');
  return dir;
}
