import { describe, expect, it } from 'vitest';
import { consumerHealthStep, initialConsumerHealth, relayHealth, type ConsumerHealthEvent } from '../../../src/runtime/health.js';

const join: ConsumerHealthEvent = { type: 'consumer.group_join', timestamp: 2000, payload: { memberId: 'm-1', memberAssignment: { 'nova.content.events': [0, 1] } } };
const at = (type: 'consumer.connect' | 'consumer.disconnect' | 'consumer.stop' | 'consumer.rebalancing' | 'consumer.fetch', timestamp = 1000) => ({ type, timestamp }) as ConsumerHealthEvent;
const crash = (restart: boolean): ConsumerHealthEvent => ({ type: 'consumer.crash', timestamp: 5000, payload: { error: new Error('coordinator gone'), restart } });

type Verdict = { connected: boolean; groupMember: boolean; ready: boolean; live: boolean };
const cases: [string, ConsumerHealthEvent[], Verdict][] = [
  ['not started', [], { connected: false, groupMember: false, ready: false, live: true }],
  ['connected, not yet in the group', [at('consumer.connect')], { connected: true, groupMember: false, ready: false, live: true }],
  ['joined', [at('consumer.connect'), join], { connected: true, groupMember: true, ready: true, live: true }],
  ['rebalancing', [at('consumer.connect'), join, at('consumer.rebalancing')], { connected: true, groupMember: false, ready: false, live: true }],
  ['rejoined after a rebalance', [at('consumer.connect'), join, at('consumer.rebalancing'), join], { connected: true, groupMember: true, ready: true, live: true }],
  ['crashed, kafkajs restarts it', [at('consumer.connect'), join, crash(true)], { connected: true, groupMember: false, ready: false, live: true }],
  ['crashed for good', [at('consumer.connect'), join, crash(false)], { connected: true, groupMember: false, ready: false, live: false }],
  ['restarted after a crash', [at('consumer.connect'), join, crash(true), join], { connected: true, groupMember: true, ready: true, live: true }],
  ['stopped', [at('consumer.connect'), join, at('consumer.stop'), at('consumer.disconnect')], { connected: false, groupMember: false, ready: false, live: true }],
];

describe('consumer health from kafkajs instrumentation events', () => {
  it.each(cases)('%s', (_, events, verdict) => {
    const health = events.reduce(consumerHealthStep, initialConsumerHealth('feed-service'));
    expect({ connected: health.connected, groupMember: health.groupMember, ready: health.ready, live: health.live }).toEqual(verdict);
  });

  it('keeps the member, its assignment, the last poll and the crash', () => {
    const health = [at('consumer.connect'), join, at('consumer.fetch', 3000), at('consumer.fetch', 4000), crash(true)].reduce(consumerHealthStep, initialConsumerHealth('g'));
    expect(health).toMatchObject({ groupId: 'g', memberId: 'm-1', assignment: { 'nova.content.events': [0, 1] }, lastPollAt: new Date(4000), crash: { error: 'Error: coordinator gone', restart: true, at: new Date(5000) } });
  });

  it('never throws on an error that cannot be printed', () => {
    const hostile = { toString: () => { throw new Error('no'); } };
    const health = consumerHealthStep(initialConsumerHealth('g'), { type: 'consumer.crash', timestamp: 1, payload: { error: hostile, restart: false } });
    expect(health.crash?.error).toBe('an error that cannot be printed');
  });
});

describe('relay health', () => {
  it.each([
    ['starting', false, true],
    ['running', true, true],
    ['kafka-unavailable', false, true],
    ['database-unavailable', false, true],
    ['stopped', false, false],
  ] as const)('%s: ready %s, live %s', (state, ready, live) => {
    expect(relayHealth(state, undefined, undefined)).toMatchObject({ state, ready, live, connected: ready });
  });
});
