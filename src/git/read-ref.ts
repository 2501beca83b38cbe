import { spawnSync } from 'node:child_process';
import type { SourceFile } from '../contracts/discover.js';
import { NovaError } from '../util/errors.js';

function git(root: string, args: string[], input?: string): { status: number; stdout: Buffer; stderr: string } {
  const result = spawnSync('git', ['-C', root, ...args], { input, maxBuffer: 512 * 1024 * 1024 });
  if (result.error) {
    throw new NovaError('GIT_UNAVAILABLE', `git could not be run: ${result.error.message}`, { hint: 'install git, or drop --against' });
  }
  return { status: result.status ?? 1, stdout: result.stdout, stderr: result.stderr.toString('utf8') };
}

/**
 * Reads the files under `dir` (relative to the project `root`) as they are at git `ref`,
 * without a checkout: one `ls-tree` and one `cat-file --batch`. Paths come back relative to
 * `root`. Throws a usage NovaError when the ref is missing (a shallow clone, a typo).
 */
export function readFilesAtRef(root: string, ref: string, dir: string): SourceFile[] {
  const inside = git(root, ['rev-parse', '--show-prefix']);
  if (inside.status !== 0) {
    throw new NovaError('GIT_NOT_A_REPOSITORY', `${root} is not inside a git repository`, { hint: 'run check-compat in the repository, or drop --against' });
  }
  const prefix = inside.stdout.toString('utf8').trim();
  const verify = git(root, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`]);
  if (verify.status !== 0) {
    throw new NovaError('GIT_REF_NOT_FOUND', `git ref "${ref}" was not found in this clone`, {
      hint: `fetch it first (a shallow CI clone lacks it): git fetch --no-tags --depth=50 origin ${ref.replace(/^origin\//, '')}, or with actions/checkout set fetch-depth: 0`,
    });
  }
  const commit = verify.stdout.toString('utf8').trim();
  const tree = git(root, ['ls-tree', '-r', '-z', '--full-tree', commit, '--', `${prefix}${dir}`]);
  if (tree.status !== 0) throw new NovaError('GIT_FAILED', `git ls-tree failed: ${tree.stderr.trim()}`);
  const entries = tree.stdout
    .toString('utf8')
    .split('\0')
    .filter(Boolean)
    .map((line) => {
      const [meta, path] = line.split('\t') as [string, string];
      const [, type, sha] = meta.split(' ') as [string, string, string];
      return { type, sha, path };
    })
    .filter((e) => e.type === 'blob');
  if (entries.length === 0) return [];
  const batch = git(root, ['cat-file', '--batch'], entries.map((e) => e.sha).join('\n') + '\n');
  if (batch.status !== 0) throw new NovaError('GIT_FAILED', `git cat-file failed: ${batch.stderr.trim()}`);
  const files: SourceFile[] = [];
  let offset = 0;
  for (const entry of entries) {
    const headerEnd = batch.stdout.indexOf(10, offset);
    const size = Number(batch.stdout.subarray(offset, headerEnd).toString('utf8').split(' ')[2]);
    const start = headerEnd + 1;
    files.push({ path: entry.path.slice(prefix.length), text: batch.stdout.subarray(start, start + size).toString('utf8') });
    offset = start + size + 1;
  }
  return files;
}
