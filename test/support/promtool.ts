import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from './project.js';

const CACHED = join(repoRoot, 'node_modules', '.cache', 'nova-events', 'promtool');

function works(path: string): boolean {
  try {
    execFileSync(path, ['--version'], { stdio: 'ignore', timeout: 20_000 });
    return true;
  } catch {
    return false;
  }
}

function quiet(command: string, args: string[], cwd?: string): boolean {
  try {
    execFileSync(command, args, { stdio: 'ignore', timeout: 300_000, ...(cwd ? { cwd } : {}) });
    return true;
  } catch {
    return false;
  }
}

/**
 * Debian's promtool (package `prometheus`): on PATH, else taken out of the package into
 * node_modules/.cache (`apt-get download` + `dpkg-deb -x`: nothing is installed, so no
 * Prometheus server is started). Returns the path, or why it cannot be had.
 */
export function promtool(): { readonly path: string } | { readonly missing: string } {
  for (const path of ['promtool', CACHED]) if (works(path)) return { path };
  if (!quiet('apt-get', ['--version'])) return { missing: 'promtool is not on PATH and apt-get is not available to fetch Debian\'s prometheus package' };
  const dir = mkdtempSync(join(tmpdir(), 'nova-promtool-'));
  try {
    let fetched = quiet('apt-get', ['download', '-qq', 'prometheus'], dir);
    if (!fetched && process.getuid?.() === 0) fetched = quiet('apt-get', ['update', '-qq']) && quiet('apt-get', ['download', '-qq', 'prometheus'], dir);
    const deb = readdirSync(dir).find((f) => f.endsWith('.deb'));
    if (!fetched || !deb) return { missing: 'apt-get could not download Debian\'s prometheus package (promtool)' };
    if (!quiet('dpkg-deb', ['-x', deb, 'x'], dir)) return { missing: 'dpkg-deb could not unpack the prometheus package' };
    mkdirSync(join(CACHED, '..'), { recursive: true });
    execFileSync('cp', [join(dir, 'x', 'usr', 'bin', 'promtool'), CACHED]);
    return existsSync(CACHED) && works(CACHED) ? { path: CACHED } : { missing: 'the promtool of the prometheus package does not run here' };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
