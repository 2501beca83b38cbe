import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Debian's chromium, which the browser tests drive through playwright-core (NOVA_CHROMIUM overrides the path). */
export const CHROMIUM = process.env['NOVA_CHROMIUM'] || '/usr/bin/chromium';

/** The flags the tests start chromium with (without the last one it tries the network at start). */
export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'];

/** Why the browser tests cannot run here, or undefined when chromium is installed. */
export function chromiumMissing(): string | undefined {
  return existsSync(CHROMIUM) ? undefined : `${CHROMIUM} is not installed and could not be installed with apt-get (see the browser setup's log)`;
}

/**
 * Installs Debian's chromium with apt-get where it is missing: once (the browser project's
 * global setup), quietly (apt's output goes to a log file), waiting for another apt run's lock.
 * Returns why it could not, or undefined when chromium is there.
 */
export function ensureChromium(log: (line: string) => void): string | undefined {
  if (existsSync(CHROMIUM)) return undefined;
  if (process.platform !== 'linux' || typeof process.getuid !== 'function' || process.getuid() !== 0) {
    return `${CHROMIUM} is missing and installing it needs root on Debian (apt-get install -y chromium)`;
  }
  if (spawnSync('apt-get', ['--version']).status !== 0) return `${CHROMIUM} is missing and apt-get is not available`;
  const logFile = join(tmpdir(), 'nova-events-chromium-install.log');
  log(`browser tests: installing chromium with apt-get (once; output in ${logFile})`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const lock = ['-o', 'DPkg::Lock::Timeout=600'];
  let output = '';
  for (const args of [['update', ...lock], ['install', '-y', '--no-install-recommends', ...lock, 'chromium']]) {
    const result = spawnSync('apt-get', ['-q', ...args], { env, encoding: 'utf8', timeout: 15 * 60_000 });
    output += `$ apt-get ${args.join(' ')}\n${result.stdout ?? ''}${result.stderr ?? ''}\n`;
    writeFileSync(logFile, output);
    if (result.status !== 0) return `apt-get ${args[0]} failed (exit ${result.status ?? result.signal}); see ${logFile}`;
  }
  return existsSync(CHROMIUM) ? undefined : `apt-get installed chromium but ${CHROMIUM} is not there; see ${logFile}`;
}
