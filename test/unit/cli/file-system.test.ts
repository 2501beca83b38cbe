import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli, projectFrom, repoRoot } from '../../support/project.js';

/** One broken project: how to break a copy of the minimal fixture, and what every command must say. */
interface Case {
  readonly name: string;
  readonly setup: (dir: string) => void;
  /** 1: a finding in the report; 2: a configuration error. */
  readonly code: 1 | 2;
  readonly rule: string;
  /** The path the finding or error names. */
  readonly file: string;
  readonly pointer?: string;
  readonly message?: RegExp;
}

const config = (json: string) => (dir: string) => writeFileSync(join(dir, 'nova-events.config.json'), json);
const order = (dir: string, name: string) => join(dir, 'contracts', 'order', name);

const CASES: Case[] = [
  { name: 'a symbolic link loop', setup: (d) => (symlinkSync('b.avsc', order(d, 'a.avsc')), symlinkSync('a.avsc', order(d, 'b.avsc'))), code: 1, rule: 'CONTRACT_PATH_UNREADABLE', file: 'contracts/order/a.avsc', message: /symbolic link loop/ },
  { name: 'a dangling symbolic link', setup: (d) => symlinkSync('nowhere.avsc', order(d, 'x.avsc')), code: 1, rule: 'CONTRACT_PATH_UNREADABLE', file: 'contracts/order/x.avsc', message: /dangling/ },
  { name: 'a folder link back to the contracts folder (a cycle)', setup: (d) => symlinkSync('..', order(d, 'up')), code: 1, rule: 'CONTRACT_PATH_UNREADABLE', file: 'contracts/order/up', message: /already read/ },
  { name: 'a FIFO among the contracts (reading it would hang)', setup: (d) => spawnSync('mkfifo', [order(d, 'pipe.avsc')]), code: 1, rule: 'CONTRACT_PATH_UNREADABLE', file: 'contracts/order/pipe.avsc', message: /not a regular file/ },
  { name: 'a contract file over the size limit', setup: (d) => writeFileSync(order(d, 'huge.avsc'), Buffer.alloc(4 * 1024 * 1024 + 1, 0x20)), code: 1, rule: 'CONTRACT_FILE_TOO_LARGE', file: 'contracts/order/huge.avsc' },
  { name: 'topics.json that is an array', setup: (d) => writeFileSync(join(d, 'contracts', 'topics.json'), '[1]'), code: 1, rule: 'METADATA_INVALID', file: 'contracts/topics.json', pointer: '' },
  { name: 'topics.json that is null', setup: (d) => writeFileSync(join(d, 'contracts', 'topics.json'), 'null'), code: 1, rule: 'METADATA_INVALID', file: 'contracts/topics.json', pointer: '' },
  { name: 'topics.json that is a string', setup: (d) => writeFileSync(join(d, 'contracts', 'topics.json'), '"topics"'), code: 1, rule: 'METADATA_INVALID', file: 'contracts/topics.json', pointer: '' },
  { name: '"contracts" naming a file (ENOTDIR)', setup: config('{"contracts": "contracts/topics.json"}'), code: 2, rule: 'CONTRACTS_FOLDER_INVALID', file: 'contracts/topics.json', message: /is a file, not a folder/ },
  { name: '"contracts" naming a symbolic link loop', setup: (d) => (symlinkSync('loop', join(d, 'loop')), config('{"contracts": "loop"}')(d)), code: 2, rule: 'CONTRACTS_FOLDER_INVALID', file: 'loop', message: /symbolic link loop/ },
  { name: '"contracts" naming a folder that does not exist', setup: config('{"contracts": "nope"}'), code: 2, rule: 'PROJECT_NOT_FOUND', file: 'nope' },
  { name: '"contracts" that is a number', setup: config('{"contracts": 42}'), code: 2, rule: 'CONFIG_INVALID', file: 'nova-events.config.json', pointer: '/contracts', message: /must be a non-empty string, not a number \(42\)/ },
  { name: '"contracts" that is an empty string', setup: config('{"contracts": ""}'), code: 2, rule: 'CONFIG_INVALID', file: 'nova-events.config.json', pointer: '/contracts' },
  { name: '"generated" that is a number', setup: config('{"generated": 7}'), code: 2, rule: 'CONFIG_INVALID', file: 'nova-events.config.json', pointer: '/generated' },
  { name: '"runtimeImport" that is an object', setup: config('{"runtimeImport": {}}'), code: 2, rule: 'CONFIG_INVALID', file: 'nova-events.config.json', pointer: '/runtimeImport' },
  { name: '"registry" that is a string', setup: config('{"registry": "http://x"}'), code: 2, rule: 'CONFIG_INVALID', file: 'nova-events.config.json', pointer: '/registry' },
  { name: '"registry.password" that is a number (its value is never shown)', setup: config('{"registry": {"password": 123456789}}'), code: 2, rule: 'CONFIG_INVALID', file: 'nova-events.config.json', pointer: '/registry/password', message: /^(?!.*123456789)/ },
  { name: '"registry.timeoutMs" that is a string', setup: config('{"registry": {"timeoutMs": "10s"}}'), code: 2, rule: 'CONFIG_INVALID', file: 'nova-events.config.json', pointer: '/registry/timeoutMs' },
  { name: 'a config that is not JSON', setup: config('{"contracts": '), code: 2, rule: 'CONFIG_INVALID', file: 'nova-events.config.json', message: /not valid JSON/ },
  { name: 'a config that is an array', setup: config('["contracts"]'), code: 2, rule: 'CONFIG_INVALID', file: 'nova-events.config.json', message: /not an array/ },
  { name: 'a config that is a folder', setup: (d) => mkdirSync(join(d, 'nova-events.config.json')), code: 2, rule: 'CONFIG_INVALID', file: 'nova-events.config.json' },
  { name: 'a config that is a dangling link', setup: (d) => symlinkSync('gone.json', join(d, 'nova-events.config.json')), code: 2, rule: 'CONFIG_INVALID', file: 'nova-events.config.json', message: /dangling/ },
];

const COMMANDS = [['validate'], ['list'], ['check-compat'], ['generate', '--check']];
const made: string[] = [];
afterAll(() => made.forEach((d) => rmSync(d, { recursive: true, force: true })));

function brokenProject(setup: (dir: string) => void): string {
  const dir = projectFrom('minimal');
  made.push(dir);
  setup(dir);
  return dir;
}

/** What a `--format json` run reported: the error object, or the finding about `file`. */
function reported(stdout: string, file: string): Record<string, unknown> | undefined {
  const json = JSON.parse(stdout) as unknown;
  if (Array.isArray(json)) return (json as Array<Record<string, unknown>>).find((d) => d['file'] === file);
  if (json !== null && typeof json === 'object' && 'error' in json) return (json as { error: Record<string, unknown> }).error;
  return undefined;
}

describe('a broken file system or configuration is a finding or a config error naming the path, never a crash', () => {
  describe.each(CASES)('$name', (c) => {
    it.each(COMMANDS)('%s', async (...command) => {
      const dir = brokenProject(c.setup);
      const result = await cli([...command, '--project', dir, '--format', 'json']);
      expect(result.stderr).not.toMatch(/unexpected error|\n\s+at /);
      expect(result.code).toBe(c.code);
      if (command[0] === 'list' && c.code === 1) {
        // list prints the rows it could read and sends the findings to validate
        expect(result.stderr).toMatch(/run "nova-events validate"/);
        return;
      }
      const found = reported(result.stdout, c.file);
      expect(found, result.stdout).toMatchObject({ rule: c.rule, file: c.file, ...(c.pointer !== undefined ? { pointer: c.pointer } : {}) });
      if (c.message) expect(String(found?.['message'])).toMatch(c.message);
    });
  });

  it('a generated folder that is a file is a config error naming it', async () => {
    const dir = brokenProject(config('{"generated": "contracts/topics.json"}'));
    const result = await cli(['generate', '--check', '--project', dir, '--format', 'json']);
    expect(result.code).toBe(2);
    expect(JSON.parse(result.stdout)).toMatchObject({ error: { rule: 'GENERATED_FOLDER_INVALID', file: 'contracts/topics.json' } });
  });

  it('a --project folder that does not exist is named as such', async () => {
    const result = await cli(['validate', '--project', join(repoRoot, 'no-such-folder')]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/PROJECT_NOT_FOUND: the project folder ".*no-such-folder" does not exist/);
  });
});

// Permissions do not stop root, so as root the built CLI runs as the unprivileged user "nobody"
// (setpriv from util-linux); as any other user it runs directly. The files stay readable for
// "nobody" except the one the case makes unreadable.
const asRoot = process.getuid?.() === 0;
const hasSetpriv = spawnSync('setpriv', ['--version']).status === 0;
const unprivileged = (args: string[]) =>
  asRoot ? ['setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, ...args]] as const : [process.execPath, args] as const;

describe.skipIf(asRoot && !hasSetpriv)('an unreadable file or folder (EACCES)', () => {
  it.each([
    { name: 'an unreadable contract file', target: 'contracts/order/order.placed.v1.avsc', code: 1, rule: 'CONTRACT_PATH_UNREADABLE' },
    { name: 'an unreadable aggregate folder', target: 'contracts/order', code: 1, rule: 'CONTRACT_PATH_UNREADABLE' },
    { name: 'an unreadable contracts folder', target: 'contracts', code: 2, rule: 'CONTRACTS_FOLDER_INVALID' },
    { name: 'an unreadable configuration', target: 'nova-events.config.json', code: 2, rule: 'CONFIG_INVALID' },
  ])('$name', ({ target, code, rule }) => {
    const dir = brokenProject(config('{}'));
    chmodSync(dir, 0o755);
    chmodSync(join(dir, target), 0o000);
    const [command, args] = unprivileged([join(repoRoot, 'bin', 'nova-events.js'), 'validate', '--project', dir, '--format', 'json']);
    const result = spawnSync(command, args, { encoding: 'utf8', cwd: dir });
    expect(result.stderr).not.toMatch(/unexpected error|\n\s+at /);
    expect(result.status).toBe(code);
    expect(reported(result.stdout, target), result.stdout).toMatchObject({ rule, file: target, message: expect.stringMatching(/permission denied/) });
  });
});
