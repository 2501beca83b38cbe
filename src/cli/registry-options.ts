import { Option, type Command } from 'commander';
import { CONFIG_FILE } from '../contracts/discover.js';
import type { ProjectConfig } from '../contracts/load.js';
import {
  LOCAL_REGISTRY_URL,
  mergeRegistryOptions,
  REGISTRY_ENV,
  REGISTRY_URL_MISSING,
  registryOptionsFromConfig,
  registryOptionsFromEnv,
  resolveConnection,
  type RegistryOptions,
} from '../registry/connection.js';
import { NovaError } from '../util/errors.js';

/** The registry options of a command line. */
export interface RegistryFlags {
  readonly registryUrl?: string;
  readonly caFile?: string;
  readonly timeout?: string;
}

/** Adds `--registry-url`, `--ca-file` and `--timeout` to a command. */
export function addRegistryOptions(command: Command): Command {
  return command
    .addOption(new Option('--registry-url <url>', `schema registry URL (else ${REGISTRY_ENV.url}, else registry.url in ${CONFIG_FILE})`))
    .addOption(new Option('--ca-file <pem>', 'extra CA certificates for a TLS registry'))
    .addOption(new Option('--timeout <ms>', 'milliseconds per registry request (else registry.timeoutMs in the config file, else 10000)'));
}

/** Help text on where registry credentials come from. */
export const REGISTRY_HELP = `
Registry connection: the URL from --registry-url, ${REGISTRY_ENV.url} or registry.url in
${CONFIG_FILE} (the local services of npm run services:start: ${LOCAL_REGISTRY_URL}).
Credentials: ${REGISTRY_ENV.user} and ${REGISTRY_ENV.password}
(or ${REGISTRY_ENV.basicAuth}=user:password, or user info in the URL) for basic auth,
${REGISTRY_ENV.token} for a bearer token; registry.username/password/token in the config
file also work. Credentials never appear in output. Network errors, timeouts, 429 and 5xx
answers are retried with jittered backoff; a registry that cannot be reached, or that answers
with something other than the Confluent API (a wrong URL path), ends the command with exit code 3.`;

/**
 * The connection from flags, environment and configuration, in that order (credentials from the
 * environment, then the config file, then the URL's user info). Checked here, so a bad one is a
 * usage error (exit 2) before any request.
 */
export function registryConnection(flags: RegistryFlags, env: Readonly<Record<string, string | undefined>>, config: ProjectConfig): RegistryOptions {
  const fromFlags: Partial<RegistryOptions> = {
    ...(flags.registryUrl !== undefined ? { url: flags.registryUrl } : {}),
    ...(flags.caFile !== undefined ? { caFile: flags.caFile } : {}),
    ...(flags.timeout !== undefined ? { timeoutMs: Number(flags.timeout) } : {}),
  };
  const merged = mergeRegistryOptions(fromFlags, registryOptionsFromEnv(env), registryOptionsFromConfig(config.registry, CONFIG_FILE));
  if (!merged.url) {
    throw new NovaError(REGISTRY_URL_MISSING, 'no schema registry URL', {
      hint: `pass --registry-url, or set ${REGISTRY_ENV.url} (or registry.url in ${CONFIG_FILE}); with the local services of npm run services:start: ${REGISTRY_ENV.url}=${LOCAL_REGISTRY_URL}`,
    });
  }
  const options = merged as RegistryOptions;
  resolveConnection(options);
  return options;
}
