import { existsSync, readdirSync, readFileSync, realpathSync, statSync, lstatSync, type Stats } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { error, type Diagnostic } from '../diagnostics/diagnostic.js';
import { NovaError } from '../util/errors.js';
import type { RuleId } from '../diagnostics/rules.js';

/** A file of the catalog: its path relative to the project root (with `/`) and its text. */
export interface SourceFile {
  readonly path: string;
  readonly text: string;
}

/** The files of the contracts folder, and a finding for every entry in it that could not be read. */
export interface ContractFiles {
  readonly files: SourceFile[];
  readonly diagnostics: Diagnostic[];
}

/** Name of the optional project configuration file at the project root. */
export const CONFIG_FILE = 'nova-events.config.json';

/** Rule: a file or folder inside the contracts folder cannot be read (permissions, a symbolic link loop or a dangling one, not a regular file, a link back to a folder already read). */
export const CONTRACT_PATH_UNREADABLE = 'CONTRACT_PATH_UNREADABLE' satisfies RuleId;
/** Rule: a file inside the contracts folder is larger than MAX_CONTRACT_FILE_BYTES. */
export const CONTRACT_FILE_TOO_LARGE = 'CONTRACT_FILE_TOO_LARGE' satisfies RuleId;
/** Rule (exit 2): the contracts folder itself is missing, not a folder, or cannot be read. */
export const CONTRACTS_FOLDER_INVALID = 'CONTRACTS_FOLDER_INVALID' satisfies RuleId;

/** The largest contract file read (4 MiB; the bundled catalog's largest is a few KiB): a bigger one is a finding, never read into memory. */
export const MAX_CONTRACT_FILE_BYTES = 4 * 1024 * 1024;

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

/** Why a path cannot be read, in words, from the error of `fs` and a look at the link itself. */
function unreadableReason(full: string, e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ELOOP') return 'is a symbolic link loop';
  if (code === 'EACCES' || code === 'EPERM') return 'cannot be read: permission denied';
  if (code === 'ENOENT') {
    try {
      if (lstatSync(full).isSymbolicLink()) return 'is a dangling symbolic link (its target does not exist)';
    } catch {
      // gone between the listing and now
    }
    return 'disappeared while the folder was read';
  }
  return `cannot be read: ${code ?? (e instanceof Error ? e.message : String(e))}`;
}

const UNREADABLE_HINT = 'fix or remove it (files and folders whose name starts with "." are ignored)';

/**
 * Reads every file under `contractsDir` (sorted, recursively, following symbolic links); paths
 * are relative to `root`. An entry that cannot be read (permissions, a dangling link or a link
 * loop, a link back to a folder already read, a FIFO or device, a file over
 * MAX_CONTRACT_FILE_BYTES) is a finding and the rest is still read. Throws a
 * CONTRACTS_FOLDER_INVALID NovaError (exit 2) when the contracts folder itself cannot be read.
 */
export function readContractFiles(root: string, contractsDir: string): ContractFiles {
  const files: SourceFile[] = [];
  const diagnostics: Diagnostic[] = [];
  const seen = new Set<string>();
  const rel = (full: string): string => relative(root, full).split(sep).join('/') || '.';
  const problem = (rule: typeof CONTRACT_PATH_UNREADABLE | typeof CONTRACT_FILE_TOO_LARGE, full: string, message: string, hint = UNREADABLE_HINT): void => {
    diagnostics.push(error(rule, rel(full), '', message, { hint }));
  };

  const walk = (dir: string, entries: string[]): void => {
    for (const entry of entries.sort()) {
      if (entry.startsWith('.')) continue;
      const full = join(dir, entry);
      let stats: Stats;
      try {
        stats = statSync(full);
      } catch (e) {
        problem(CONTRACT_PATH_UNREADABLE, full, `"${rel(full)}" ${unreadableReason(full, e)}`);
        continue;
      }
      if (stats.isDirectory()) {
        const listed = listFolder(full);
        if ('reason' in listed) problem(CONTRACT_PATH_UNREADABLE, full, `folder "${rel(full)}" ${listed.reason}`);
        else if (seen.has(listed.real)) problem(CONTRACT_PATH_UNREADABLE, full, `"${rel(full)}" links to a folder that is already read (${rel(listed.real)})`, 'remove the link: every contract must be in the contracts folder once');
        else {
          seen.add(listed.real);
          walk(full, listed.entries);
        }
      } else if (!stats.isFile()) {
        problem(CONTRACT_PATH_UNREADABLE, full, `"${rel(full)}" is not a regular file or folder (a FIFO, socket or device)`);
      } else if (stats.size > MAX_CONTRACT_FILE_BYTES) {
        problem(CONTRACT_FILE_TOO_LARGE, full, `"${rel(full)}" has ${stats.size} bytes, more than the ${MAX_CONTRACT_FILE_BYTES} a contract file may have`, 'a contract file is a schema or its metadata: split it, or remove what is not a contract from the folder');
      } else {
        try {
          files.push({ path: rel(full), text: readFileSync(full, 'utf8') });
        } catch (e) {
          problem(CONTRACT_PATH_UNREADABLE, full, `"${rel(full)}" ${unreadableReason(full, e)}`);
        }
      }
    }
  };

  const top = resolve(root, contractsDir);
  const listed = listFolder(top);
  if ('reason' in listed) {
    throw new NovaError(CONTRACTS_FOLDER_INVALID, `the contracts folder "${rel(top)}" ${listed.reason}`, {
      file: rel(top),
      hint: `make it a readable folder, or set "contracts" in ${CONFIG_FILE} to the folder holding topics.json`,
    });
  }
  seen.add(listed.real);
  walk(top, listed.entries);
  return { files, diagnostics };
}

/** A folder's real path and entries, or why it cannot be listed. */
function listFolder(full: string): { real: string; entries: string[] } | { reason: string } {
  try {
    const real = realpathSync(full);
    return { real, entries: readdirSync(full) };
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOTDIR') return { reason: 'is a file, not a folder' };
    if (code === 'ENOENT' && !isDanglingLink(full)) return { reason: 'does not exist' };
    return { reason: unreadableReason(full, e) };
  }
}

function isDanglingLink(full: string): boolean {
  try {
    return lstatSync(full).isSymbolicLink();
  } catch {
    return false;
  }
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
