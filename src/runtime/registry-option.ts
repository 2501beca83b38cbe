import { connectRuntimeRegistry, type RegistryOptions, type RuntimeRegistry } from '../registry/runtime-registry.js';

/** A registry given as connection options or as a ready client (tests, custom transports). */
export type RegistryInput = RegistryOptions | RuntimeRegistry;

/** The runtime registry client for a `registry` option. */
export function runtimeRegistry(input: RegistryInput): RuntimeRegistry {
  return 'schemaById' in input ? input : connectRuntimeRegistry(input);
}
