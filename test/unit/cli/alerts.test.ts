import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { alertRules, rulesToYaml, subscriberTopics } from '../../../src/alerts/rules.js';
import { loadProject } from '../../../src/contracts/load.js';
import type { EventContract } from '../../../src/model/contract.js';
import { cli, repoRoot } from '../../support/project.js';
import { promtool } from '../../support/promtool.js';

const project = loadProject(repoRoot);
const event = (topic: string, subscribers: string[]) => ({ topic, subscribers }) as unknown as EventContract;

describe('alertRules (pure, from the catalog)', () => {
  it('has one lag alert per subscriber group, naming the topics it reads', () => {
    const rules = alertRules({ events: [event('a.events', ['feed-service', 'search-service']), event('b.events', ['feed-service']), event('c.events', [])] });
    const lag = rules.groups.find((g) => g.name === 'nova-events-kafka-lag')!.rules;
    expect(lag.map((r) => [r.expr, r.for, r.labels['service']])).toEqual([
      ['kafka_consumer_lag{group="feed-service"} > 1000', '5m', 'feed-service'],
      ['kafka_consumer_lag{group="search-service"} > 1000', '5m', 'search-service'],
    ]);
    expect(lag[0]!.annotations['description']).toContain('subscriber of a.events, b.events');
  });

  it('the catalog: every subscriber of every topic has its lag alert', () => {
    const groups = [...subscriberTopics(project.catalog).keys()];
    expect(groups.length).toBeGreaterThan(3);
    const exprs = alertRules(project.catalog, { groupSuffix: '-group', maxLag: 50 }).groups[0]!.rules.map((r) => r.expr);
    expect(exprs).toEqual(groups.map((g) => `kafka_consumer_lag{group="${g}-group"} > 50`));
  });

  it('quotes names from contract files as PromQL strings', () => {
    const rules = alertRules({ events: [event('a', ['evil"} or vector(1) > 0 #'])] });
    expect(rules.groups[0]!.rules[0]!.expr).toBe('kafka_consumer_lag{group="evil\\"} or vector(1) > 0 #"} > 1000');
  });
});

describe('nova-events alerts', () => {
  it('writes YAML to --out and JSON that parses back to the same rules', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nova-alerts-'));
    const yaml = await cli(['alerts', '--out', join(dir, 'rules.yaml')]);
    expect(yaml.code).toBe(0);
    expect(yaml.stderr).toMatch(/wrote \d+ alerting rules/);
    expect(readFileSync(join(dir, 'rules.yaml'), 'utf8')).toBe(rulesToYaml(alertRules(project.catalog)));
    const json = await cli(['alerts', '--format', 'json']);
    expect(JSON.parse(json.stdout)).toEqual(alertRules(project.catalog));
  });

  it('refuses a --max-lag that is not a whole number (exit 2)', async () => {
    expect((await cli(['alerts', '--max-lag', 'lots'])).code).toBe(2);
  });
});

describe('promtool', () => {
  const tool = promtool();
  const path = 'path' in tool ? tool.path : undefined;
  if (!path) console.warn(`skipping the promtool checks: ${'missing' in tool ? tool.missing : ''}`);

  it.skipIf(!path)('accepts the generated rules (YAML and JSON): promtool check rules', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nova-alerts-'));
    for (const [file, format] of [['rules.yaml', 'yaml'], ['rules.json', 'json']] as const) {
      expect((await cli(['alerts', '--format', format, '--out', join(dir, file)])).code).toBe(0);
      const out = execFileSync(path!, ['check', 'rules', join(dir, file)], { encoding: 'utf8' });
      expect(out).toMatch(/SUCCESS: \d+ rules found/);
    }
  });

  it.skipIf(!path)('fires the lag alert after 5 minutes above 1000, and never at 1000 or below: promtool test rules', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nova-alerts-'));
    expect((await cli(['alerts', '--out', join(dir, 'rules.yaml')])).code).toBe(0);
    const series = (group: string, values: string) => `      - series: 'kafka_consumer_lag{group="${group}",topic="nova.content.events",partition="0"}'\n        values: '${values}'`;
    writeFileSync(
      join(dir, 'test.yaml'),
      `rule_files: [rules.yaml]
evaluation_interval: 1m
tests:
  - interval: 1m
    input_series:
${series('feed-service', '1500x10')}
${series('search-service', '1000x10')}
    alert_rule_test:
      - eval_time: 3m
        alertname: KafkaConsumerLagHigh
        exp_alerts: []
      - eval_time: 6m
        alertname: KafkaConsumerLagHigh
        exp_alerts:
          - exp_labels: {severity: warning, service: feed-service, group: feed-service, topic: nova.content.events, partition: "0"}
            exp_annotations:
              summary: "Kafka consumer feed-service lag is 1500"
              description: "feed-service (subscriber of ${subscriberTopics(project.catalog).get('feed-service')!.join(', ')}) is more than 1000 messages behind on nova.content.events partition 0 for 5m."
`,
    );
    const out = execFileSync(path!, ['test', 'rules', 'test.yaml'], { cwd: dir, encoding: 'utf8' });
    expect(out).toContain('SUCCESS');
  });
});
