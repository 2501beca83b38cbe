/**
 * Compile-time tests of the generated client, checked by `tsc -p tsconfig.json --noEmit` in
 * `npm test`. Each `@ts-expect-error` must be an error, or the build fails. Never executed.
 */
import type { Kafka } from 'kafkajs';
import type { PostCreated, PostCreatedV1, UserCreated } from '../../generated/index.js';
import { createConsumer, createOutbox, createProducer, type EventPayloads, type EventType, type OutboxQueryable } from '../../src/index.js';

declare const kafka: Kafka;
declare const tx: OutboxQueryable;
const registry = { url: 'http://registry:8081' };

export async function positiveUses(): Promise<void> {
  const producer = createProducer({ kafka, registry, source: 'content-service' });
  await producer.publish(
    'post.created',
    { post_id: 'p', author_id: 'u', media_type: 'IMAGE', status: 'PUBLISHED', created_at: new Date() },
    { correlationId: 'c' },
  );
  await producer.publish('post.liked', { post_id: 'p', user_id: 'u', liked_at: new Date() });
  await producer.publish('media.uploaded', { media_id: 'm', owner_id: 'u', filename: 'a.jpg', media_type: 'IMAGE', mime_type: 'image/jpeg', file_size: 10n ** 15n, uploaded_at: new Date() });
  await producer.publishBatch([
    { type: 'post.liked', payload: { post_id: 'p', user_id: 'u', liked_at: new Date() } },
    { type: 'post.unliked', payload: { post_id: 'p', user_id: 'u', unliked_at: new Date() } },
  ]);
  await producer.publish('service.call', { caller_service: 'a', called_service: 'b', method: 'm', status: 'success', latency_ms: 3, timestamp: '2026-01-01T00:00:00Z' });

  const consumer = createConsumer({ kafka, registry, groupId: 'feed-service' });
  consumer.on('post.created', async (event, meta) => {
    const author: string = event.author_id;
    const created: Date = event.created_at;
    const tags: string[] = event.tags;
    const type: 'post.created' = meta.type;
    void [author, created, tags, type];
  });
  consumer.on('user.created', (event: UserCreated) => {
    void event.user_id;
  });
  const outbox = createOutbox({ registry, schema: 'content' });
  const { eventId } = await outbox.enqueue(tx, 'post.liked', { post_id: 'p', user_id: 'u', liked_at: new Date() }, { priority: 'high', correlationId: 'c' });
  const id: string = eventId;
  void id;
  const types: EventType[] = ['post.created', 'user.created'];
  const payload: EventPayloads['post.created'] = {} as PostCreated;
  void [types, payload];
}

export async function negativeUses(): Promise<void> {
  const producer = createProducer({ kafka, registry });
  // @ts-expect-error an unknown event type
  await producer.publish('post.exploded', { post_id: 'p' });
  // @ts-expect-error a missing required field (created_at)
  await producer.publish('post.created', { post_id: 'p', author_id: 'u', media_type: 'IMAGE', status: 'PUBLISHED' });
  // @ts-expect-error a mistyped field (status is an enum)
  await producer.publish('post.created', { post_id: 'p', author_id: 'u', media_type: 'IMAGE', status: 'LIVE', created_at: new Date() });
  // @ts-expect-error a mistyped field (created_at is a Date, not a string)
  await producer.publish('post.liked', { post_id: 'p', user_id: 'u', liked_at: '2026-01-01' });
  // @ts-expect-error an unknown field (v1's user_id was renamed author_id)
  await producer.publish('post.created', { post_id: 'p', user_id: 'u', author_id: 'u', media_type: 'IMAGE', status: 'PUBLISHED', created_at: new Date() });
  // @ts-expect-error a long is a bigint
  await producer.publish('media.uploaded', { media_id: 'm', owner_id: 'u', filename: 'a.jpg', media_type: 'IMAGE', mime_type: 'image/jpeg', file_size: '10', uploaded_at: new Date() });
  // @ts-expect-error a batch item whose payload belongs to another type
  await producer.publishBatch([{ type: 'post.liked', payload: { post_id: 'p', user_id: 'u', unliked_at: new Date() } }]);

  const outbox = createOutbox({ registry });
  // @ts-expect-error an unknown event type
  await outbox.enqueue(tx, 'post.exploded', { post_id: 'p' });
  // @ts-expect-error a mistyped field (liked_at is a Date)
  await outbox.enqueue(tx, 'post.liked', { post_id: 'p', user_id: 'u', liked_at: 1 });
  // @ts-expect-error a priority the seeds do not name
  await outbox.enqueue(tx, 'post.liked', { post_id: 'p', user_id: 'u', liked_at: new Date() }, { priority: 'urgent' });

  const consumer = createConsumer({ kafka, registry, groupId: 'g' });
  // @ts-expect-error a handler that expects another event's shape
  consumer.on('post.created', (event: UserCreated) => void event);
  // @ts-expect-error a handler that expects an older version's shape
  consumer.on('post.created', (event: PostCreatedV1) => void event);
  // @ts-expect-error an unknown event type
  consumer.on('post.exploded', () => undefined);
  consumer.on('post.created', (event) => {
    // @ts-expect-error the field was renamed in v2
    void event.user_id;
  });
}
