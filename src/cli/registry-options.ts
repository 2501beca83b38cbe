import { Option, type Command } from 'commander';
import type { ProjectConfig } from '../contracts/load.js';
import type { RegistryConnection } from '../registry/rest-client.js';
import { EXIT, NovaError } from '../util/errors.js';

/** The registry options of a command line. */
export interface RegistryFlags {
  readonly registryUrl?: string;
  readonly caFile?: string;
  readonly timeout?: string;
}

/** Adds `--registry-url`, `--ca-file` and `--timeout` to a command. */
export function addRegistryOptions(command: Command): Command {
  return command
    .addOption(new Option('--registry-url <url>', 'schema registry URL (else NOVA_SCHEMA_REGISTRY_URL, else registry.url in nova-events.config.json)'))
    .addOption(new Option('--ca-file <pem>', 'extra CA certificates for a TLS registry'))
    .addOption(new Option('--timeout <ms>', 'milliseconds per registry request').default('10000'));
}

/** Help text on where registry credentials come from. */
export const REGISTRY_HELP = `
Registry connection: the URL from --registry-url, NOVA_SCHEMA_REGISTRY_URL or registry.url in
nova-events.config.json. Credentials: NOVA_SCHEMA_REGISTRY_USER and NOVA_SCHEMA_REGISTRY_PASSWORD
(or NOVA_SCHEMA_REGISTRY_BASIC_AUTH=user:password, or user info in the URL) for basic auth,
NOVA_SCHEMA_REGISTRY_TOKEN for a bearer token; registry.username/password/token in the config
file also work. Credentials never appear in output. Network errors and 5xx answers are retried
with backoff; a registry that cannot be reached ends the command with exit code 3.`;

/** The connection from flags, environment and configuration, in that order. */
export function registryConnection(flags: RegistryFlags, env: Readonly<Record<string, string | undefined>>, config: ProjectConfig): RegistryConnection {
  const fromConfig = (config.registry ?? {}) as { url?: string; username?: string; password?: string; token?: string; caFile?: string; timeoutMs?: number };
  const url = flags.registryUrl ?? env['NOVA_SCHEMA_REGISTRY_URL'] ?? fromConfig.url;
  if (!url) {
    throw new NovaError('REGISTRY_URL_MISSING', 'no schema registry URL', { hint: 'pass --registry-url, or set NOVA_SCHEMA_REGISTRY_URL', exitCode: EXIT.USAGE });
  }
  try {
    new URL(url);
  } catch {
    throw new NovaError('REGISTRY_URL_INVALID', 'the schema registry URL is not a valid URL', { exitCode: EXIT.USAGE });
  }
  const timeoutMs = Number(flags.timeout ?? fromConfig.timeoutMs ?? 10_000);
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) throw new NovaError('USAGE', `--timeout must be a positive number of milliseconds`, { exitCode: EXIT.USAGE });
  const basic = env['NOVA_SCHEMA_REGISTRY_BASIC_AUTH'];
  const separator = basic?.indexOf(':') ?? -1;
  const username = env['NOVA_SCHEMA_REGISTRY_USER'] ?? (basic && separator > 0 ? basic.slice(0, separator) : undefined) ?? fromConfig.username;
  const password = env['NOVA_SCHEMA_REGISTRY_PASSWORD'] ?? (basic && separator > 0 ? basic.slice(separator + 1) : undefined) ?? fromConfig.password;
  const token = env['NOVA_SCHEMA_REGISTRY_TOKEN'] ?? fromConfig.token;
  const caFile = flags.caFile ?? fromConfig.caFile;
  return {
    url,
    timeoutMs,
    ...(username !== undefined ? { username } : {}),
    ...(password !== undefined ? { password } : {}),
    ...(token !== undefined ? { token } : {}),
    ...(caFile !== undefined ? { caFile } : {}),
  };
}
