import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';

/** A file of the catalog: its path relative to the project root (with `/`) and its text. */
export interface SourceFile {
  readonly path: string;
  readonly text: string;
}

/** Name of the optional project configuration file at the project root. */
export const CONFIG_FILE = 'nova-events.config.json';

/**
 * The project root: the nearest folder at or above `from` holding `nova-events.config.json`
 * or `contracts/topics.json`. Undefined when there is none.
 */
export function findProjectRoot(from: string): string | undefined {
  let dir = resolve(from);
  for (;;) {
    if (existsSync(join(dir, CONFIG_FILE)) || existsSync(join(dir, 'contracts', 'topics.json'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/** Reads every file under `contractsDir` (sorted, recursively); paths are relative to `root`. */
export function readContractFiles(root: string, contractsDir: string): SourceFile[] {
  const files: SourceFile[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir).sort()) {
      if (entry.startsWith('.')) continue;
      const full = join(dir, entry);
      if (statSync(full).isDirectory()) walk(full);
      else files.push({ path: relative(root, full).split(sep).join('/'), text: readFileSync(full, 'utf8') });
    }
  };
  walk(resolve(root, contractsDir));
  return files;
}

/** The project root's path relative to its git work tree (`""` at the top, `"svc/"` below it), found without running git. */
export function repoPrefix(root: string): string {
  let dir = resolve(root);
  for (;;) {
    if (existsSync(join(dir, '.git'))) {
      const rel = relative(dir, resolve(root)).split(sep).join('/');
      return rel === '' ? '' : `${rel}/`;
    }
    const parent = dirname(dir);
    if (parent === dir) return '';
    dir = parent;
  }
}
