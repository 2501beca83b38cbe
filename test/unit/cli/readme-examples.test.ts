import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../../support/project.js';

/** One command of a ```sh or ```console block of README.md. */
interface Example {
  readonly command: string;
  /** The output the README shows under it (console blocks), else undefined. */
  readonly output: string | undefined;
  /** The exit code the README says (`# exits N`), 0 when it says none. */
  readonly code: number;
  /** Why it is not run, when it is not. */
  readonly skip: string | undefined;
}

/** Examples that need something the unit run does not have; every other one must run as written. */
function skipReason(command: string, comment: string): string | undefined {
  if (/after the edit above/.test(comment)) return 'shows the output after an edit of a bundled contract the README describes';
  if (/^npm (install|ci)\b/.test(command)) return 'installs the package';
  if (/^npm (test|run services:)/.test(command)) return 'starts or needs Kafka and the registry';
  if (/^npx nova-events (register|status)\b|--against registry/.test(command)) return 'needs a schema registry';
  if (/^(\w+=\S+ )*npx nova-events (relay|outbox (status|retry)|outbox migrate(?! --print))\b/.test(command)) return 'needs PostgreSQL (the relay also Kafka)';
  if (/^(\w+=\S+ )*npx nova-events (topics|lag)\b/.test(command)) return 'needs Kafka';
  if (/--against git:/.test(command)) return 'needs the repository and its remote ref (the docs tests run --against on a test repository)';
  if (/^promtool /.test(command)) return 'needs Prometheus tooling (the alerts tests run promtool on the same output)';
  if (/^npx nova-events /.test(command)) return undefined;
  throw new Error(`README example "${command}" is neither run nor skipped here: add it to skipReason`);
}

function readmeExamples(): Example[] {
  const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');
  const examples: Example[] = [];
  const add = (line: string, output: string | undefined): void => {
    const comment = /\s+#\s(.*)$/.exec(line)?.[1] ?? '';
    const command = line.replace(/\s+#\s.*$/, '').trim();
    const code = Number(/exits (\d)/.exec(comment)?.[1] ?? 0);
    for (const part of command.split(' && ')) examples.push({ command: part.trim(), output: command.includes(' && ') ? undefined : output, code, skip: skipReason(part.trim(), comment) });
  };
  for (const [, kind, body] of readme.matchAll(/```(sh|console)\n([\s\S]*?)```/g)) {
    const lines = (body as string).replace(/\n$/, '').split('\n');
    if (kind === 'sh') {
      for (const line of lines) if (line.trim() !== '' && !line.trim().startsWith('#')) add(line, undefined);
      continue;
    }
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i] as string;
      if (!line.startsWith('$ ')) continue;
      const output: string[] = [];
      while (i + 1 < lines.length && !(lines[i + 1] as string).startsWith('$ ')) output.push(lines[++i] as string);
      while (output.length > 0 && output[output.length - 1] === '') output.pop();
      add(line.slice(2), output.join('\n'));
    }
  }
  return examples;
}

const examples = readmeExamples();
const bin = join(repoRoot, 'bin', 'nova-events.js');
// A copy of the project, so that `generate` writes nowhere that matters.
const project = mkdtempSync(join(tmpdir(), 'nova-readme-'));
for (const entry of ['contracts', 'generated', 'nova-events.config.json']) cpSync(join(repoRoot, entry), join(project, entry), { recursive: true });
afterAll(() => rmSync(project, { recursive: true, force: true }));

describe("README.md's examples run as written", () => {
  it('lists what is skipped, and why', () => {
    expect(examples.filter((e) => e.skip).map((e) => `${e.command}: ${e.skip}`)).toEqual([
      'npm install: installs the package',
      'npm test: starts or needs Kafka and the registry',
      'npx nova-events validate: shows the output after an edit of a bundled contract the README describes',
      'npx nova-events check-compat: shows the output after an edit of a bundled contract the README describes',
      'npx nova-events docs --out public --against git:origin/main: needs the repository and its remote ref (the docs tests run --against on a test repository)',
      'npx nova-events register --dry-run: needs a schema registry',
      'npx nova-events register: needs a schema registry',
      'npx nova-events register --format json: needs a schema registry',
      'npx nova-events topics plan --brokers 127.0.0.1:19092: needs Kafka',
      "KAFKA_TOPIC_PREFIX=staging npx nova-events topics apply --format json | jq '.changes': needs Kafka",
      'npx nova-events lag --group feed-service: needs Kafka',
      "npx nova-events lag --max-lag 1000 --format json | jq '.groups[] | {group, lag}': needs Kafka",
      'NOVA_OUTBOX_DATABASE_URL=postgres://postgres@127.0.0.1:5432/test npx nova-events relay --brokers 127.0.0.1:19092: needs PostgreSQL (the relay also Kafka)',
      'npx nova-events relay --database-url postgres://relay@db:5432/content --schema content --batch-size 500: needs PostgreSQL (the relay also Kafka)',
      'NOVA_KAFKA_SASL_MECHANISM=scram-sha-512 NOVA_KAFKA_USERNAME=relay NOVA_KAFKA_PASSWORD=... npx nova-events relay --brokers kafka:9093 --ssl-ca-file ca.pem: needs PostgreSQL (the relay also Kafka)',
      'npx nova-events outbox status --format json: needs PostgreSQL (the relay also Kafka)',
      'npx nova-events outbox retry --dead: needs PostgreSQL (the relay also Kafka)',
      'promtool check rules deploy/prometheus/nova-events.rules.yaml: needs Prometheus tooling (the alerts tests run promtool on the same output)',
      'npm run services:start: starts or needs Kafka and the registry',
      'npm run services:status: starts or needs Kafka and the registry',
      'npm run services:stop: starts or needs Kafka and the registry',
    ]);
    expect(examples.filter((e) => !e.skip).length).toBeGreaterThanOrEqual(10);
  });

  it('`npx nova-events` finds the bin in this repository after npm install', () => {
    const result = spawnSync('npx', ['--offline', 'nova-events', '--version'], { cwd: repoRoot, encoding: 'utf8' });
    expect(result.stderr).toBe('');
    expect(result.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
    expect(result.status).toBe(0);
  }, 60_000);

  // `npx nova-events` is the bin of this checkout, run directly (npx itself is tested above)
  it.each(examples.filter((e) => !e.skip).map((e) => [e.command, e] as const))('%s', (_, example) => {
    const command = example.command.replace(/^npx nova-events\b/, `"${process.execPath}" "${bin}"`).replace(/\| npx nova-events\b/g, `| "${process.execPath}" "${bin}"`);
    const result = spawnSync('bash', ['-o', 'pipefail', '-c', command], {
      cwd: project,
      encoding: 'utf8',
      env: { ...process.env, NOVA_SCHEMA_REGISTRY_URL: '' },
    });
    expect(result.status, result.stderr).toBe(example.code);
    if (example.output !== undefined) expect(result.stdout.replace(/\n$/, '')).toBe(example.output);
  }, 30_000);
});
