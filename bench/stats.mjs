import { spawnSync } from 'node:child_process';

/** Median of a list of numbers. */
export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Median wall time in ms of `runs` calls of a synchronous or async function (after one warm-up). */
export async function timeIt(fn, runs = 5) {
  await fn();
  const times = [];
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint();
    await fn();
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  return median(times);
}

/** Median wall time in ms of running a command to completion (process start included). */
export function timeCommand(command, args, { runs = 7, cwd, expectStatus = 0 } = {}) {
  const times = [];
  for (let i = 0; i < runs + 1; i++) {
    const start = process.hrtime.bigint();
    const result = spawnSync(command, args, { cwd, encoding: 'utf8' });
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    if (result.status !== expectStatus) {
      throw new Error(`${command} ${args.join(' ')} exited ${result.status}: ${result.stderr || result.stdout}`);
    }
    if (i > 0) times.push(ms);
  }
  return median(times);
}

/**
 * Our throughput divided by the baseline's (higher is better): both functions run `ops` times
 * per round, alternating, for `rounds` rounds after a warm-up round; medians are compared.
 */
export function compareThroughput(ours, baseline, { ops = 100_000, rounds = 9 } = {}) {
  const oursTimes = [];
  const baseTimes = [];
  for (let round = 0; round < rounds + 1; round++) {
    const order = round % 2 === 0 ? [ours, baseline] : [baseline, ours];
    const times = new Map();
    for (const fn of order) {
      const start = process.hrtime.bigint();
      for (let i = 0; i < ops; i++) fn();
      times.set(fn, Number(process.hrtime.bigint() - start));
    }
    if (round > 0) {
      oursTimes.push(times.get(ours));
      baseTimes.push(times.get(baseline));
    }
  }
  return median(baseTimes) / median(oursTimes);
}
