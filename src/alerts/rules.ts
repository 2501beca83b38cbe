import type { Catalog } from '../model/contract.js';

/** One Prometheus alerting rule. */
export interface AlertRule {
  readonly alert: string;
  readonly expr: string;
  readonly for?: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
}

/** A Prometheus rule group. */
export interface RuleGroup {
  readonly name: string;
  readonly rules: readonly AlertRule[];
}

/** A Prometheus rule file (`groups:`). */
export interface RuleFile {
  readonly groups: readonly RuleGroup[];
}

/** What the generated rules can be tuned by; the defaults are the seeds'. */
export interface AlertOptions {
  /** Consumer group id of a subscriber service: `<service><groupSuffix>` (e.g. `-group`); none by default. */
  readonly groupSuffix?: string;
  /** Messages behind before the lag alert fires; 1000 (seed 000). */
  readonly maxLag?: number;
  /** How long the lag must last; 5m (seed 000). */
  readonly lagFor?: string;
  /** Age of the oldest pending outbox row before its alert fires, in seconds; 300. */
  readonly maxBacklogAgeSeconds?: number;
  /** Pending outbox rows before the backlog alert fires; 1000 (seed 001). */
  readonly maxBacklog?: number;
}

/** A PromQL string literal (names come from contract files: untrusted). */
function promString(value: string): string {
  return JSON.stringify(value);
}

/** The topics each subscriber reads, from the catalog's events: subscriber -> sorted topics. */
export function subscriberTopics(catalog: Pick<Catalog, 'events'>): Map<string, string[]> {
  const topics = new Map<string, Set<string>>();
  for (const event of catalog.events) {
    for (const subscriber of event.subscribers) {
      const set = topics.get(subscriber) ?? new Set<string>();
      set.add(event.topic);
      topics.set(subscriber, set);
    }
  }
  return new Map([...topics].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([subscriber, set]) => [subscriber, [...set].sort()]));
}

/**
 * The Prometheus alerting rules of the catalog, over the runtime's metrics: the seeds' lag alert
 * (`kafka_consumer_lag > 1000` for 5 minutes) for each consumer group (the subscribers of the
 * catalog's events), dead-letter growth, publish failures, and the outbox backlog.
 */
export function alertRules(catalog: Pick<Catalog, 'events'>, options: AlertOptions = {}): RuleFile {
  const maxLag = options.maxLag ?? 1000;
  const lagFor = options.lagFor ?? '5m';
  const suffix = options.groupSuffix ?? '';
  const lag: AlertRule[] = [...subscriberTopics(catalog)].map(([service, topics]) => {
    const group = `${service}${suffix}`;
    return {
      alert: 'KafkaConsumerLagHigh',
      expr: `kafka_consumer_lag{group=${promString(group)}} > ${maxLag}`,
      for: lagFor,
      labels: { severity: 'warning', service },
      annotations: {
        summary: 'Kafka consumer {{ $labels.group }} lag is {{ $value }}',
        description: `${group} (subscriber of ${topics.join(', ')}) is more than ${maxLag} messages behind on {{ $labels.topic }} partition {{ $labels.partition }} for ${lagFor}.`,
      },
    };
  });
  return {
    groups: [
      { name: 'nova-events-kafka-lag', rules: lag },
      {
        name: 'nova-events-delivery',
        rules: [
          {
            alert: 'EventsDeadLettered',
            expr: 'sum by (topic, reason) (increase(events_dead_lettered_total[10m])) > 0',
            labels: { severity: 'warning' },
            annotations: {
              summary: 'Events from {{ $labels.topic }} are going to its dead-letter topic ({{ $labels.reason }})',
              description: '{{ $value }} events were dead-lettered in 10 minutes; read {{ $labels.topic }}.dlq (dlq_reason, dlq_error headers), fix the cause, then replay them.',
            },
          },
          {
            alert: 'EventPublishingFailed',
            expr: 'sum by (event_type, topic) (rate(events_publish_failures_total[5m])) > 0.1',
            labels: { severity: 'critical' },
            annotations: { summary: 'Publishing {{ $labels.event_type }} to {{ $labels.topic }} fails ({{ $value }}/s)' },
          },
        ],
      },
      {
        name: 'nova-events-outbox',
        rules: [
          {
            alert: 'OutboxBacklogAge',
            expr: `max(outbox_oldest_pending_age_seconds) > ${options.maxBacklogAgeSeconds ?? 300}`,
            for: '5m',
            labels: { severity: 'warning' },
            annotations: { summary: 'The oldest outbox row has waited {{ $value }} s: is a relay running, can it reach Kafka?' },
          },
          {
            alert: 'OutboxBacklog',
            expr: `max(outbox_queue_size) > ${options.maxBacklog ?? 1000}`,
            labels: { severity: 'critical' },
            annotations: { summary: '{{ $value }} outbox rows are pending' },
          },
          {
            alert: 'OutboxDeadRows',
            expr: 'max(outbox_dead_total) > 0',
            labels: { severity: 'warning' },
            annotations: { summary: '{{ $value }} outbox rows failed every attempt', description: 'see `nova-events outbox status`; requeue them with `nova-events outbox retry --dead` once the cause is fixed.' },
          },
        ],
      },
    ],
  };
}

/** A rule file as YAML: every string double-quoted (a JSON string is a valid YAML scalar). */
export function rulesToYaml(file: RuleFile): string {
  const q = (s: string) => JSON.stringify(s);
  const lines = ['# Generated by `nova-events alerts` from the catalog; do not edit by hand.', 'groups:'];
  for (const group of file.groups) {
    lines.push(`  - name: ${q(group.name)}`);
    if (group.rules.length === 0) {
      lines.push('    rules: []');
      continue;
    }
    lines.push('    rules:');
    for (const rule of group.rules) {
      lines.push(`      - alert: ${q(rule.alert)}`, `        expr: ${q(rule.expr)}`);
      if (rule.for !== undefined) lines.push(`        for: ${q(rule.for)}`);
      for (const key of ['labels', 'annotations'] as const) {
        lines.push(`        ${key}:`);
        for (const [name, value] of Object.entries(rule[key])) lines.push(`          ${q(name)}: ${q(value)}`);
      }
    }
  }
  return `${lines.join('\n')}\n`;
}
