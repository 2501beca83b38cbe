import { ensureChromium } from './chromium.js';

/**
 * Makes sure Debian's chromium is installed before the browser tests (apt-get, once). Where it
 * cannot be, the tests skip; the reason is printed, under CI too, so a skip is never silent.
 */
export default function setup(): void {
  const problem = ensureChromium((line) => process.stderr.write(`${line}\n`));
  if (problem !== undefined) process.stderr.write(`browser tests SKIPPED: ${problem}\n`);
}
