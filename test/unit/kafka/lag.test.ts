import { describe, expect, it } from 'vitest';
import { catalogGroups, computeLag, type CommittedOffsets, type EndOffsets } from '../../../src/kafka/lag.js';

const ends: EndOffsets[] = [
  { topic: 'orders', partitions: [{ partition: 0, high: '100', low: '0' }, { partition: 1, high: '50', low: '10' }, { partition: 2, high: '7', low: '0' }] },
  { topic: 'users', partitions: [{ partition: 0, high: '3', low: '0' }] },
];
const group = (name: string, topics: CommittedOffsets['topics'], state = 'Stable'): CommittedOffsets => ({ group: name, state, topics });

describe('consumer lag', () => {
  it.each<[string, CommittedOffsets, { partitions: object[]; lag: number }]>([
    [
      'end - committed per partition, summed',
      group('g', [{ topic: 'orders', partitions: [{ partition: 0, offset: '90' }, { partition: 1, offset: '50' }, { partition: 2, offset: '2' }] }]),
      { partitions: [{ partition: 0, committed: 90, end: 100, lag: 10 }, { partition: 1, committed: 50, end: 50, lag: 0 }, { partition: 2, committed: 2, end: 7, lag: 5 }], lag: 15 },
    ],
    [
      'no commit (-1) on a partition: no lag, in no total',
      group('g', [{ topic: 'orders', partitions: [{ partition: 0, offset: '-1' }, { partition: 1, offset: '40' }, { partition: 2, offset: '7' }] }]),
      { partitions: [{ partition: 0, committed: null, end: 100, lag: null }, { partition: 1, committed: 40, lag: 10 }, { partition: 2, lag: 0 }], lag: 10 },
    ],
    [
      'a partition added after the last commit: listed without a commit',
      group('g', [{ topic: 'orders', partitions: [{ partition: 0, offset: '100' }, { partition: 1, offset: '50' }] }]),
      { partitions: [{ partition: 0, lag: 0 }, { partition: 1, lag: 0 }, { partition: 2, committed: null, end: 7, lag: null }], lag: 0 },
    ],
    [
      'a commit past the end (a recreated topic): no lag rather than a negative one',
      group('g', [{ topic: 'users', partitions: [{ partition: 0, offset: '10' }] }]),
      { partitions: [{ topic: 'users', committed: 10, end: 3, lag: 0 }], lag: 0 },
    ],
    [
      'a topic deleted since the commit: no end, no lag',
      group('g', [{ topic: 'gone', partitions: [{ partition: 0, offset: '5' }] }]),
      { partitions: [{ topic: 'gone', committed: 5, end: null, lag: null }], lag: 0 },
    ],
    ['a group with no offsets', group('g', [], 'Dead'), { partitions: [], lag: 0 }],
    [
      'several topics, sorted by topic and partition',
      group('g', [{ topic: 'users', partitions: [{ partition: 0, offset: '1' }] }, { topic: 'orders', partitions: [{ partition: 2, offset: '0' }, { partition: 1, offset: '10' }, { partition: 0, offset: '0' }] }]),
      { partitions: [{ topic: 'orders', partition: 0, lag: 100 }, { topic: 'orders', partition: 1, lag: 40 }, { topic: 'orders', partition: 2, lag: 7 }, { topic: 'users', partition: 0, lag: 2 }], lag: 149 },
    ],
  ])('computes %s', (_name, committed, expected) => {
    const [report] = computeLag([committed], ends).groups;
    expect(report!.partitions).toEqual(expected.partitions.map((p) => expect.objectContaining(p)));
    expect(report!.lag).toBe(expected.lag);
  });

  it.each<[string, number | undefined, string[]]>([
    ['no limit', undefined, []],
    ['a limit both groups are under', 15, []],
    ['a limit one group is above', 14, ['a']],
    ['a limit of 0', 0, ['a', 'b']],
  ])("checks each group's total against %s", (_name, maxLag, exceeded) => {
    const report = computeLag(
      [group('a', [{ topic: 'orders', partitions: [{ partition: 0, offset: '85' }] }]), group('b', [{ topic: 'users', partitions: [{ partition: 0, offset: '2' }] }])],
      ends,
      maxLag,
    );
    expect(report.totalLag).toBe(16);
    expect(report.exceeded.map((e) => e.group)).toEqual(exceeded);
    expect(report.maxLag).toBe(maxLag ?? null);
  });

  it.each([
    ['a committed offset that is not a number', [group('g', [{ topic: 'orders', partitions: [{ partition: 0, offset: 'abc' }] }])], ends],
    ['an end offset that is not a number', [group('g', [])], [{ topic: 'x', partitions: [{ partition: 0, high: '1e3', low: '0' }] }]],
    ['an end offset that is not a string', [group('g', [])], [{ topic: 'x', partitions: [{ partition: 0, high: null as unknown as string, low: '0' }] }]],
  ])('refuses a broker answer with %s (exit 3)', (_name, committed, endOffsets) => {
    expect(() => computeLag(committed, endOffsets)).toThrow(expect.objectContaining({ rule: 'KAFKA_BAD_RESPONSE' }));
  });

  it('defaults to the catalog subscribers, once each, sorted', () => {
    expect(catalogGroups([{ subscribers: ['search-service', 'feed-service'] }, { subscribers: ['feed-service'] }, { subscribers: [] }])).toEqual(['feed-service', 'search-service']);
  });
});
