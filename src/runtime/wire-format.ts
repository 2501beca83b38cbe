import { NovaError } from '../util/errors.js';
import type { RuleId } from '../diagnostics/rules.js';

/** The first byte of every Confluent-framed message. */
export const MAGIC_BYTE = 0;

/** Bytes before the payload: the magic byte and a 4-byte big-endian schema id. */
export const WIRE_HEADER_SIZE = 5;

/** Rule id of a message whose bytes are not a Confluent-framed payload. */
export const UNDECODABLE = 'UNDECODABLE_MESSAGE' satisfies RuleId;

/** Writes the 5-byte Confluent header for `schemaId` into `target` at offset 0. */
export function writeWireHeader(target: Buffer, schemaId: number): void {
  target[0] = MAGIC_BYTE;
  target.writeUInt32BE(schemaId, 1);
}

/**
 * The schema id of a Confluent-framed message. Throws UNDECODABLE_MESSAGE when the buffer is
 * too short or does not start with the magic byte.
 */
export function readSchemaId(message: Buffer | null): number {
  if (!message || message.length < WIRE_HEADER_SIZE) {
    throw new NovaError(UNDECODABLE, `the message has ${message?.length ?? 0} bytes, fewer than the ${WIRE_HEADER_SIZE}-byte wire header`);
  }
  if (message[0] !== MAGIC_BYTE) {
    throw new NovaError(UNDECODABLE, `the message starts with byte ${message[0]}, not the magic byte ${MAGIC_BYTE}`);
  }
  return message.readUInt32BE(1);
}
