import type { RuleId } from '../diagnostics/rules.js';
import type { IHeaders, KafkaMessage } from 'kafkajs';

/** Suffix of a topic's dead-letter topic. */
export const DEAD_LETTER_SUFFIX = '.dlq';

/** Headers a dead-lettered event carries besides its own. */
export const DLQ_HEADER = {
  reason: 'dlq_reason',
  error: 'dlq_error',
  stack: 'dlq_stack',
  attempts: 'dlq_attempts',
  sourceTopic: 'dlq_source_topic',
  sourcePartition: 'dlq_source_partition',
  sourceOffset: 'dlq_source_offset',
  consumerGroup: 'dlq_consumer_group',
  time: 'dlq_time',
} as const;

/** Why an event went to the dead-letter topic. */
export interface DeadLetterCause {
  /** A rule id: HANDLER_FAILED, UNDECODABLE_MESSAGE, UNKNOWN_EVENT_TYPE, ... */
  readonly reason: RuleId;
  readonly error: unknown;
  readonly attempts: number;
}

/** The first lines of an error's stack, without the message line. */
export function stackSummary(error: unknown, lines = 5): string {
  const stack = error instanceof Error && typeof error.stack === 'string' ? error.stack.split('\n').slice(1, 1 + lines) : [];
  return stack.map((line) => line.trim()).join('\n');
}

/** An error's message for a header; never throws, whatever a handler threw. */
function errorText(error: unknown): string {
  try {
    return error instanceof Error ? String(error.message) : String(error);
  } catch {
    return Object.prototype.toString.call(error);
  }
}

/**
 * The original headers that can be sent again. A header without a value is left out: kafkajs
 * 2.2.4 reads it as `null` but cannot write one (its record size computation calls
 * `Buffer.byteLength(null)` and throws), and a dead letter that cannot be sent would stop the
 * partition.
 */
function sendableHeaders(headers: IHeaders | undefined): IHeaders {
  const out: [string, Buffer | string | (Buffer | string)[]][] = [];
  if (typeof headers !== 'object' || headers === null) return {};
  const sendable = (value: unknown): value is Buffer | string => typeof value === 'string' || Buffer.isBuffer(value);
  for (const [name, value] of Object.entries(headers)) {
    if (Array.isArray(value)) {
      const values = value.filter(sendable);
      if (values.length > 0) out.push([name, values]);
    } else if (sendable(value)) {
      out.push([name, value]);
    }
  }
  return Object.fromEntries(out);
}

/** The dead-letter copy of a message: original key, value and headers plus the error headers. */
export function deadLetterMessage(
  message: KafkaMessage,
  source: { readonly topic: string; readonly partition: number; readonly groupId: string },
  cause: DeadLetterCause,
): { key: Buffer | null; value: Buffer | null; headers: IHeaders } {
  const error = errorText(cause.error);
  return {
    key: message.key,
    value: message.value,
    headers: {
      ...sendableHeaders(message.headers),
      [DLQ_HEADER.reason]: cause.reason,
      [DLQ_HEADER.error]: error.slice(0, 2000),
      [DLQ_HEADER.stack]: stackSummary(cause.error),
      [DLQ_HEADER.attempts]: String(cause.attempts),
      [DLQ_HEADER.sourceTopic]: source.topic,
      [DLQ_HEADER.sourcePartition]: String(source.partition),
      [DLQ_HEADER.sourceOffset]: message.offset,
      [DLQ_HEADER.consumerGroup]: source.groupId,
      [DLQ_HEADER.time]: new Date().toISOString(),
    },
  };
}
