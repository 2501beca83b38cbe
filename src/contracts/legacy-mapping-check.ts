import type { EventContract } from '../model/contract.js';
import { avroType } from '../runtime/avro-type.js';
import { legacyMappingProblems, type LegacyMappingProblem } from '../runtime/legacy.js';

/**
 * The problems of an event's legacy mapping, checked with the runtime's own Avro types (so this
 * module loads avsc). `validate`, `generate` and `register` pass it to `loadProject`; the gate
 * (check-compat) does not, so that it starts without avsc.
 */
export function legacyMappingCheck(event: EventContract): LegacyMappingProblem[] {
  const first = event.versions[0];
  if (!first || Object.keys(event.legacy.fields).length === 0) return [];
  let target: Parameters<typeof legacyMappingProblems>[1];
  try {
    target = event.schemaType === 'AVRO' ? { avro: avroType(first.schema) } : { json: first.schema };
  } catch {
    return []; // The schema's own findings say why it does not load.
  }
  return legacyMappingProblems(event.legacy.fields, target);
}
