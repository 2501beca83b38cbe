/**
 * Health of a consumer or a relay, for liveness and readiness probes. The consumer's comes from
 * kafkajs's instrumentation events, folded by `consumerHealthStep` (pure: a table of events in,
 * a snapshot out).
 */

/** A consumer's health snapshot (`consumer.health()`). */
export interface ConsumerHealth {
  /** Connected to the cluster (between kafkajs's CONNECT and DISCONNECT). */
  readonly connected: boolean;
  /** A member of its group with partitions assigned (GROUP_JOIN; lost on REBALANCING, CRASH, STOP). */
  readonly groupMember: boolean;
  readonly groupId: string;
  readonly memberId: string | undefined;
  /** The partitions of the last join, by topic. */
  readonly assignment: Readonly<Record<string, readonly number[]>>;
  /** The last fetch from the brokers that succeeded (kafkajs fetches every few seconds even when idle). */
  readonly lastPollAt: Date | undefined;
  /** When the last message was handled, skipped or dead-lettered. */
  readonly lastProcessedAt: Date | undefined;
  /** The last crash: kafkajs restarts after a retriable one (`restart: true`); otherwise the consumer is dead. */
  readonly crash: { readonly error: string; readonly restart: boolean; readonly at: Date } | undefined;
  /** Readiness: connected and a group member. */
  readonly ready: boolean;
  /** Liveness: false only after a crash kafkajs does not restart from. */
  readonly live: boolean;
}

/** The kafkajs consumer instrumentation events the health follows, by their kafkajs names. */
export type ConsumerHealthEvent =
  | { readonly type: 'consumer.connect' | 'consumer.disconnect' | 'consumer.stop' | 'consumer.rebalancing' | 'consumer.fetch'; readonly timestamp: number }
  | { readonly type: 'consumer.group_join'; readonly timestamp: number; readonly payload: { readonly memberId: string; readonly memberAssignment: Readonly<Record<string, readonly number[]>> } }
  | { readonly type: 'consumer.crash'; readonly timestamp: number; readonly payload: { readonly error: unknown; readonly restart: boolean } }
  | { readonly type: 'processed'; readonly timestamp: number };

/** The health of a consumer that has not started. */
export function initialConsumerHealth(groupId: string): ConsumerHealth {
  return { connected: false, groupMember: false, groupId, memberId: undefined, assignment: {}, lastPollAt: undefined, lastProcessedAt: undefined, crash: undefined, ready: false, live: true };
}

function withVerdicts(health: Omit<ConsumerHealth, 'ready' | 'live'>): ConsumerHealth {
  return { ...health, ready: health.connected && health.groupMember, live: !(health.crash && !health.crash.restart) };
}

function errorText(error: unknown): string {
  try {
    return (error instanceof Error ? `${error.name}: ${error.message}` : String(error)).slice(0, 500);
  } catch {
    return 'an error that cannot be printed';
  }
}

/** The health after one event. */
export function consumerHealthStep(health: ConsumerHealth, event: ConsumerHealthEvent): ConsumerHealth {
  const at = new Date(event.timestamp);
  switch (event.type) {
    case 'consumer.connect':
      return withVerdicts({ ...health, connected: true, crash: undefined });
    case 'consumer.disconnect':
      return withVerdicts({ ...health, connected: false, groupMember: false, memberId: undefined, assignment: {} });
    case 'consumer.stop':
    case 'consumer.rebalancing':
      return withVerdicts({ ...health, groupMember: false });
    case 'consumer.group_join':
      return withVerdicts({ ...health, groupMember: true, memberId: event.payload.memberId, assignment: { ...event.payload.memberAssignment }, crash: undefined });
    case 'consumer.crash':
      return withVerdicts({ ...health, groupMember: false, crash: { error: errorText(event.payload.error), restart: event.payload.restart === true, at } });
    case 'consumer.fetch':
      return { ...health, lastPollAt: at };
    case 'processed':
      return { ...health, lastProcessedAt: at };
  }
}

/** A relay's health snapshot (`relay.health()`). */
export interface RelayHealth {
  /** The relay's state (see RelayState). */
  readonly state: 'starting' | 'running' | 'kafka-unavailable' | 'database-unavailable' | 'stopped';
  /** Both the database and Kafka answered the last batch. */
  readonly connected: boolean;
  /** The last claim query that succeeded (a poll of the outbox, whether it found rows or not). */
  readonly lastPollAt: Date | undefined;
  /** The last batch the broker acknowledged. */
  readonly lastPublishAt: Date | undefined;
  /** Readiness: running. */
  readonly ready: boolean;
  /** Liveness: the relay loop has not stopped (an outage is not a reason to restart it). */
  readonly live: boolean;
}

/** A relay's health from its state and times. */
export function relayHealth(state: RelayHealth['state'], lastPollAt: Date | undefined, lastPublishAt: Date | undefined): RelayHealth {
  return { state, connected: state === 'running', lastPollAt, lastPublishAt, ready: state === 'running', live: state !== 'stopped' };
}
