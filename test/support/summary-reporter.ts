import type { Reporter, TestModule } from 'vitest/node';
import type {} from './oracles.js'; // its TaskMeta.oracleAbsent
import { DEFAULT_TEST_SEED, testSeed } from './seed.js';

/**
 * Prints one plain closing line, `tests: N passed, N failed, N skipped`, that any CI can read,
 * and before it what a green line would hide: the oracle files that were absent (their tables
 * did not run) and, when a test failed, the seed of the random samples.
 */
export default class SummaryReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    let passed = 0;
    let failed = 0;
    let skipped = 0;
    const absent = new Map<string, string>();
    for (const module of testModules) {
      for (const test of module.children.allTests()) {
        const state = test.result().state;
        if (state === 'passed') passed++;
        else if (state === 'failed') failed++;
        else skipped++;
        const oracle = test.meta().oracleAbsent;
        if (oracle) absent.set(oracle.file, oracle.path);
      }
      if (module.state() === 'failed' && [...module.children.allTests()].length === 0) failed++;
    }
    const lines: string[] = [];
    if (absent.size > 0) {
      lines.push(`oracles absent (${absent.size} conformance tables not run): ${[...absent.values()].sort().join(', ')}`);
    }
    const seed = testSeed();
    if (failed > 0 || seed !== DEFAULT_TEST_SEED) lines.push(`random samples: seed ${seed} (NOVA_TEST_SEED=${seed} reproduces them)`);
    lines.push(`tests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
    process.stdout.write(`\n${lines.join('\n')}\n`);
  }
}
