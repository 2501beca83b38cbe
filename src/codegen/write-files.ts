import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { GENERATED_BANNER } from './banner.js';
import type { GeneratedFile } from './generate.js';

/** How `generated/` differs from what the contracts give. */
export interface GeneratedDiff {
  /** Files to create or rewrite. */
  readonly changed: readonly string[];
  /** Generated files (with the banner) that the contracts no longer give. */
  readonly stale: readonly string[];
  /** Files already up to date. */
  readonly unchanged: readonly string[];
}

function listFiles(dir: string, root = dir): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? listFiles(path, root) : [relative(root, path).split(sep).join('/')];
  });
}

/** Whether a file found in the output folder is one this generator wrote (and may remove). */
export type IsGenerated = (path: string, read: () => string) => boolean;

const isGeneratedTypeScript: IsGenerated = (path, read) => path.endsWith('.ts') && read().startsWith(GENERATED_BANNER);

/**
 * Compares the generated folder with the files the contracts give. A file the contracts no
 * longer give is stale only when `isGenerated` says it was generated (by default: a `.ts` file
 * with the banner), so hand-written files in the folder are never removed.
 */
export function diffGenerated(dir: string, files: readonly GeneratedFile[], isGenerated: IsGenerated = isGeneratedTypeScript): GeneratedDiff {
  const changed: string[] = [];
  const unchanged: string[] = [];
  for (const file of files) {
    const path = join(dir, file.path);
    if (existsSync(path) && readFileSync(path, 'utf8') === file.contents) unchanged.push(file.path);
    else changed.push(file.path);
  }
  const wanted = new Set(files.map((f) => f.path));
  const stale = listFiles(dir).filter((path) => !wanted.has(path) && isGenerated(path, () => readFileSync(join(dir, path), 'utf8')));
  return { changed, stale, unchanged };
}

/**
 * Writes the changed files and removes stale generated ones, all or none: every new content is
 * first written beside its target (`.nova-tmp`); only when all of them are on disk are they
 * renamed into place. A failure before that removes the temporary files and the folders it
 * created, and leaves the folder as it was.
 */
export function writeGenerated(dir: string, files: readonly GeneratedFile[], diff: GeneratedDiff): void {
  const byPath = new Map(files.map((f) => [f.path, f]));
  const temporary: { tmp: string; target: string }[] = [];
  const createdFolders: string[] = [];
  try {
    for (const path of diff.changed) {
      const target = join(dir, path);
      const tmp = `${target}.nova-tmp`;
      const created = mkdirSync(dirname(target), { recursive: true });
      if (created !== undefined) createdFolders.push(created);
      writeFileSync(tmp, byPath.get(path)!.contents);
      temporary.push({ tmp, target });
    }
  } catch (error) {
    for (const { tmp } of temporary) rmSync(tmp, { force: true });
    // Folders this call created held only its temporary files: removing them leaves no trace.
    for (const folder of createdFolders.reverse()) rmSync(folder, { recursive: true, force: true });
    throw error;
  }
  for (const { tmp, target } of temporary) renameSync(tmp, target);
  for (const path of diff.stale) rmSync(join(dir, path));
}
