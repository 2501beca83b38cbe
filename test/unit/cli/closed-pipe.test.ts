import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../../support/project.js';

const bin = join(repoRoot, 'bin', 'nova-events.js');
const RUNS = 20;

interface Outcome {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stderr: string;
}

/** Runs the built CLI with one of its output pipes closed by the reader before anything was written. */
function runWithClosedPipe(args: readonly string[], closed: 'stdout' | 'stderr'): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    if (closed === 'stdout') {
      child.stdout.destroy();
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    } else {
      child.stderr.destroy();
      child.stdout.resume();
    }
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stderr }));
  });
}

/** `bash -c 'set -o pipefail; <cli> | head -1'`, the reported reproduction; resolves to the pipeline's status and stderr. */
function runPipedToHead(args: readonly string[]): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const command = `set -o pipefail; "${process.execPath}" "${bin}" ${args.join(' ')} | head -1 >/dev/null`;
    const child = spawn('bash', ['-c', command], { cwd: repoRoot, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stderr }));
  });
}

async function repeat(times: number, once: () => Promise<Outcome>): Promise<Outcome[]> {
  const outcomes: Outcome[] = [];
  for (let i = 0; i < times; i += 4) outcomes.push(...(await Promise.all(Array.from({ length: Math.min(4, times - i) }, once))));
  return outcomes;
}

describe('a closed output pipe ends the CLI quietly with exit 0', () => {
  it.each([
    { args: ['--help'], closed: 'stdout' as const },
    { args: ['list'], closed: 'stdout' as const },
    { args: ['validate', '--no-such-option'], closed: 'stderr' as const },
  ])(`$args with $closed closed (${RUNS} runs)`, async ({ args, closed }) => {
    const outcomes = await repeat(RUNS, () => runWithClosedPipe(args, closed));
    expect(outcomes.filter((o) => o.code !== 0 || o.signal !== null || o.stderr !== '')).toEqual([]);
  }, 60_000);

  it(`nova-events --help | head -1 (${RUNS} runs)`, async () => {
    const outcomes = await repeat(RUNS, () => runPipedToHead(['--help']));
    expect(outcomes.filter((o) => o.code !== 0 || o.stderr !== '')).toEqual([]);
  }, 60_000);
});
