import { randomAvroValue } from '../../src/formats/avro/random-value.js';
import { sampleFlatJsonValue } from '../../src/formats/json-schema/sample.js';
import { avroType } from '../../src/runtime/avro-type.js';
import { latestVersion, type EventSpec } from '../../src/runtime/event-spec.js';
import { seededRandom, testSeed } from './seed.js';

export { randomAvroValue };

/** The seed of this file's samples, read once. */
const seed = testSeed();
/** How many samples of each event type this file drew, so that the nth sample of a type is always the same. */
const drawn = new Map<string, number>();

/**
 * A valid payload of an event's newest version: a random Avro value from the test seed
 * (`test/support/seed.ts`: fixed by default, NOVA_TEST_SEED to vary it; the nth sample of a
 * type is the same in every run with that seed), or for (flat) JSON Schema events its required
 * properties with a value of their type.
 */
export function samplePayload(spec: EventSpec): Record<string, unknown> {
  const schema: unknown = JSON.parse(latestVersion(spec).schema);
  if (spec.schemaType === 'AVRO') {
    const n = drawn.get(spec.type) ?? 0;
    drawn.set(spec.type, n + 1);
    return randomAvroValue(avroType(schema), seededRandom(`sample:${spec.type}:${n}`, seed)) as Record<string, unknown>;
  }
  return sampleFlatJsonValue(schema);
}
