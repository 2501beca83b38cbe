import type { CompatibilityLevel } from '../../src/model/contract.js';
import type { CompatibilityAnswer, RegistryPort, RegistrySchema } from '../../src/registry/rest-client.js';

/**
 * An in-memory RegistryPort for unit tests of pure planning logic (never in place of the
 * integration tests on Apicurio): subjects hold schemas by exact text, ids are global.
 */
export class MemoryRegistry implements RegistryPort {
  readonly displayUrl = 'memory://registry';
  readonly subjectsByName = new Map<string, { texts: string[]; ids: number[]; level?: CompatibilityLevel }>();
  private readonly idsByText = new Map<string, number>();
  /** Calls to register, for assertions. */
  registrations = 0;

  async subjects(): Promise<string[]> {
    return [...this.subjectsByName.keys()];
  }
  async versions(subject: string): Promise<number[]> {
    return (this.subjectsByName.get(subject)?.texts ?? []).map((_, i) => i + 1);
  }
  async lookup(subject: string, schema: RegistrySchema): Promise<{ id: number; version: number } | undefined> {
    const found = this.subjectsByName.get(subject);
    const index = found?.texts.indexOf(schema.schema) ?? -1;
    return index < 0 ? undefined : { id: found!.ids[index]!, version: index + 1 };
  }
  async register(subject: string, schema: RegistrySchema): Promise<number> {
    this.registrations++;
    const existing = await this.lookup(subject, schema);
    if (existing) return existing.id;
    const id = this.idsByText.get(schema.schema) ?? this.idsByText.size + 1;
    this.idsByText.set(schema.schema, id);
    const entry = this.subjectsByName.get(subject) ?? { texts: [], ids: [] };
    entry.texts.push(schema.schema);
    entry.ids.push(id);
    this.subjectsByName.set(subject, entry);
    return id;
  }
  async subjectLevel(subject: string): Promise<CompatibilityLevel | undefined> {
    return this.subjectsByName.get(subject)?.level;
  }
  async setSubjectLevel(subject: string, level: CompatibilityLevel): Promise<void> {
    const entry = this.subjectsByName.get(subject) ?? { texts: [], ids: [] };
    entry.level = level;
    this.subjectsByName.set(subject, entry);
  }
  async testCompatibility(): Promise<CompatibilityAnswer> {
    return { compatible: true, messages: [] };
  }
}
