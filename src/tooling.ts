/**
 * `nova-events/tooling`: the pure compatibility engine and catalog functions, for other tools.
 * Nothing here reads files or talks to the network.
 */
export { checkCompatibility, levelSemantics } from './compat/check.js';
export type { CheckCompatibilityInput, SchemaInput, TypedSchemaInput } from './compat/check.js';
export type { CompatFinding, CompatResult } from './compat/finding.js';
export type { JsonCompatPolicy } from './compat/json/schema-diff.js';
export { parseCatalog } from './contracts/parse.js';
export { validateCatalog } from './contracts/validate.js';
export type { Catalog, CompatibilityLevel, EventContract, SchemaType } from './model/contract.js';
export type { Diagnostic } from './diagnostics/diagnostic.js';
