import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { error, warning } from '../diagnostics/diagnostic.js';
import type { Catalog } from '../model/contract.js';
import { eventSubject } from '../model/contract.js';
import type { RegistryPort } from '../registry/rest-client.js';
import { schemaToRegister, type SubjectState } from '../sync/plan.js';

/**
 * Asks the registry about every contract version it does not hold yet
 * (`POST /compatibility/subjects/{subject}/versions?verbose=true`), and merges its verdicts with
 * the engine's: a refusal is an error with the registry's messages; a verdict that differs
 * from the engine's is a warning carrying both, since the two must agree.
 */
export async function checkAgainstRegistry(
  catalog: Catalog,
  state: ReadonlyMap<string, SubjectState>,
  registry: RegistryPort,
  engineDiagnostics: readonly Diagnostic[],
): Promise<Diagnostic[]> {
  const out: Diagnostic[] = [];
  const tests = catalog.events.flatMap((event) => {
    const subject = eventSubject(event);
    const registered = state.get(subject)?.registered ?? new Map();
    return event.versions.filter((v) => !registered.has(v.version)).map((version) => ({ event, subject, version }));
  });
  const answers = await Promise.all(tests.map(async (t) => ({ ...t, answer: await registry.testCompatibility(t.subject, schemaToRegister(t.event, t.version.version)) })));
  for (const { event, subject, version, answer } of answers) {
    // The engine reports a version's incompatibilities on its own file.
    const engineCompatible = !engineDiagnostics.some((d) => d.severity === 'error' && d.file === version.file);
    const where = { file: version.file, pointer: '', version: version.version };
    if (!answer.compatible) {
      out.push(
        error('REGISTRY_INCOMPATIBLE', where.file, where.pointer, `the registry refused ${event.type} v${version.version} for subject "${subject}": ${answer.messages.join('; ') || '(the registry gave no reason)'}`, {
          hint: 'the registry judged it under the subject\'s level in the registry; see the engine\'s findings for the fix',
          version: version.version,
        }),
      );
    }
    if (answer.compatible !== engineCompatible) {
      out.push(
        warning('VERDICT_MISMATCH', where.file, where.pointer, `the registry judged ${event.type} v${version.version} ${answer.compatible ? 'compatible' : 'incompatible'}, the engine judged it ${engineCompatible ? 'compatible' : 'incompatible'}`, {
          hint: 'a disagreement is a bug to learn from: check the subject\'s level in the registry (nova-events status) and report the pair',
          version: version.version,
        }),
      );
    }
  }
  return out;
}
