import { describe, expect, it } from 'vitest';
import { exitCodeOf } from '../../../src/cli/exit-codes.js';
import { RULES, type RuleId } from '../../../src/diagnostics/rules.js';
import { cli } from '../../support/project.js';

describe('exit codes from the rule category', () => {
  // The codes these errors carried in NovaError before the CLI decided them from the table.
  it.each([
    ...(['REGISTRY_UNAVAILABLE', 'REGISTRY_UNAUTHORIZED', 'REGISTRY_INVALID_SCHEMA', 'REGISTRY_INCOMPATIBLE', 'REGISTRY_ERROR', 'REGISTRY_BAD_RESPONSE', 'CONTRACT_NOT_REGISTERED', 'DATABASE_UNAVAILABLE', 'OUTBOX_ENQUEUE_FAILED'] as const).map((rule) => [rule, 3] as const),
    ...(
      [
        'USAGE', 'INTERNAL_ERROR', 'PROJECT_NOT_FOUND', 'CONFIG_INVALID', 'CONTRACTS_FOLDER_INVALID', 'GENERATED_FOLDER_INVALID', 'GENERATE_WRITE_FAILED',
        'REGISTRY_URL_MISSING', 'REGISTRY_URL_INVALID', 'REGISTRY_CA_UNREADABLE', 'DATABASE_URL_MISSING', 'DATABASE_URL_INVALID', 'KAFKA_BROKERS_MISSING',
        'KAFKA_BROKERS_INVALID', 'OUTBOX_TABLE_MISSING', 'OUTBOX_IDENTIFIER_INVALID', 'GIT_UNAVAILABLE', 'GIT_NOT_A_REPOSITORY', 'GIT_REF_NOT_FOUND', 'GIT_FAILED',
      ] as const
    ).map((rule) => [rule, 2] as const),
  ] satisfies ReadonlyArray<readonly [RuleId, number]>)('%s ends a command with exit %i', (rule, code) => {
    expect(exitCodeOf(rule)).toBe(code);
  });

  it('gives every rule an exit code of 1, 2 or 3', () => {
    for (const id of Object.keys(RULES) as RuleId[]) expect([1, 2, 3], id).toContain(exitCodeOf(id));
  });
});

describe('nova-events rules', () => {
  it('lists every rule as JSON with its category, severity, exit code, purpose and hint', async () => {
    const result = await cli(['rules', '--format', 'json']);
    expect(result.code).toBe(0);
    const rows = JSON.parse(result.stdout) as Array<{ id: RuleId; category: string; severity: string; exitCode: number; purpose: string; hint: string }>;
    expect(rows.map((r) => r.id).sort()).toEqual(Object.keys(RULES).sort());
    expect(rows.find((r) => r.id === 'REGISTRY_BAD_RESPONSE')).toEqual({ id: 'REGISTRY_BAD_RESPONSE', category: 'registry', severity: 'error', exitCode: 3, purpose: RULES.REGISTRY_BAD_RESPONSE.purpose, hint: RULES.REGISTRY_BAD_RESPONSE.hint });
  });

  it('prints a text table, one rule a line', async () => {
    const result = await cli(['rules']);
    expect(result.code).toBe(0);
    expect(result.stdout.trimEnd().split('\n')).toHaveLength(Object.keys(RULES).length);
    expect(result.stdout).toMatch(/^VERDICT_MISMATCH\s+gate\s+warning\s+the engine and the registry agree/m);
  });
});
