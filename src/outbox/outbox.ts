import { createEventEncoder, type EventEncoderOptions } from '../runtime/event-encoder.js';
import type { EventCatalog } from '../runtime/event-spec.js';
import { topicsFromEnv } from '../runtime/environment.js';
import { dualPublishSpecs, LegacyCodec } from '../runtime/legacy-codec.js';
import type { PublishOptions } from '../runtime/headers.js';
import { NovaError } from '../util/errors.js';
import { insertStatement, insertValues, outboxTable, PRIORITY, type OutboxLocation, type OutboxPriority } from './table.js';
import type { RuleId } from '../diagnostics/rules.js';

/** Rule id of an enqueue whose INSERT the database refused (no table, a duplicate event id, ...). */
export const OUTBOX_ENQUEUE_FAILED = 'OUTBOX_ENQUEUE_FAILED' satisfies RuleId;

/**
 * What `enqueue` writes through: anything with node-postgres's `query(text, values)`, bound to
 * the caller's open transaction (a `pg` Client or PoolClient after `BEGIN`, or an adapter over
 * an ORM's transaction; see the README).
 */
export interface OutboxQueryable {
  query(text: string, values: unknown[]): Promise<unknown>;
}

/** Options of `createOutbox`: the registry (ids are resolved at connect), naming and the table. */
export interface OutboxOptions extends EventEncoderOptions, OutboxLocation {
  /** Cutover: rows of these event types also carry their legacy JSON copy, which the relay sends in the same batch. */
  readonly legacy?: { readonly dualPublish?: readonly string[] };
}

/** Per-event options of `enqueue`: the publish options plus the relay priority. */
export interface EnqueueOptions extends PublishOptions {
  /** `normal` by default; the relay publishes higher priorities first across aggregates. */
  readonly priority?: OutboxPriority;
}

/** A typed outbox: enqueues the catalog's events inside the caller's transaction. */
export interface NovaOutbox<Inputs> {
  /** Resolves the schema id of every event's newest version; fails fast when one is not registered. */
  connect(): Promise<void>;
  /**
   * Validates and encodes the event against its contract and inserts it into the outbox
   * through `db`, in the caller's transaction: it reaches Kafka only if that transaction
   * commits. A bad payload throws PAYLOAD_INVALID (and so fails the transaction).
   */
  enqueue<T extends keyof Inputs & string>(db: OutboxQueryable, type: T, payload: Inputs[T], options?: EnqueueOptions): Promise<{ readonly eventId: string }>;
}

/** The runtime outbox behind the generated `createOutbox`. */
export function createCatalogOutbox<Inputs>(catalog: EventCatalog, outboxOptions: OutboxOptions): NovaOutbox<Inputs> {
  const options: OutboxOptions = { ...outboxOptions, topics: { ...topicsFromEnv(catalog), ...outboxOptions.topics } };
  const table = outboxTable(options);
  const encoder = createEventEncoder(catalog, options);
  const insert = insertStatement(table);
  const dualPublish = dualPublishSpecs(catalog, options.legacy?.dualPublish);
  const legacyCodec = new LegacyCodec();
  return {
    connect: () => encoder.connect(),
    async enqueue(db, type, payload, enqueueOptions) {
      const priority = PRIORITY[enqueueOptions?.priority ?? 'normal'];
      if (priority === undefined) {
        throw new NovaError('PAYLOAD_INVALID', `priority must be one of ${Object.keys(PRIORITY).join(', ')}`, { pointer: '/options/priority' });
      }
      const event = encoder.encode(type, payload, enqueueOptions);
      const legacySpec = dualPublish.get(type);
      const copy = legacySpec ? legacyCodec.copy(legacySpec, event, (topic) => options.topics?.[topic] ?? topic) : undefined;
      const legacyCopy = copy ? { topic: copy.topic, headers: copy.message.headers, value: copy.message.value.toString('utf8') } : undefined;
      try {
        await db.query(insert, insertValues({ topic: event.topic, value: event.message.value, headers: event.message.headers, ...(legacyCopy ? { legacyCopy } : {}) }, priority));
      } catch (cause) {
        const code = (cause as { code?: unknown }).code;
        const hint =
          code === '42P01' || code === '3F000'
            ? `create it with \`nova-events outbox migrate --schema ${table.schema}\` (or apply \`outbox migrate --print\`)`
            : code === '23505'
              ? 'an event with this eventId is already in the outbox'
              : undefined;
        throw new NovaError(OUTBOX_ENQUEUE_FAILED, `${type}: the outbox ${table.qualified} refused the event: ${(cause as Error).message}`, {
          cause,
          ...(hint ? { hint } : {}),
        });
      }
      return { eventId: event.eventId };
    },
  };
}
