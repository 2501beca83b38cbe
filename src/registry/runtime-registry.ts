import type { RegistryOptions } from './connection.js';
import type { RuntimeRegistry } from './port.js';
import { connectRegistry } from './rest-client.js';

export { REGISTRY_BAD_RESPONSE, REGISTRY_UNAVAILABLE } from './port.js';
export type { RuntimeRegistry } from './port.js';
export type { RegistryOptions } from './connection.js';

/**
 * The runtime's view of the registry adapter (`connectRegistry`): lookups at connect, schemas
 * by id on first sight, and auto-registration at the contract's level.
 */
export function connectRuntimeRegistry(options: RegistryOptions): RuntimeRegistry {
  const client = connectRegistry(options);
  return {
    displayUrl: client.displayUrl,
    lookupId: (subject, schemaType, schema) => client.lookupId(subject, schemaType, schema),
    register: (subject, schemaType, schema, level) => client.registerAtLevel(subject, { schemaType, schema }, level),
    schemaById: (id) => client.schemaById(id),
  };
}
