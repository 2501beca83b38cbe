import { checkCompatibility } from '../compat/check.js';
import type { JsonCompatPolicy } from '../compat/json/schema-diff.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { error, warning } from '../diagnostics/diagnostic.js';
import type { Catalog, ContractVersion, EventContract } from '../model/contract.js';
import { eventSubject } from '../model/contract.js';
import type { RegistryPort } from '../registry/port.js';
import { schemaToRegister, type SubjectState } from '../sync/plan.js';

/**
 * The engine's verdict on the question the registry answers: the candidate against the
 * versions the subject holds (those of the contract's versions the registry has, in the
 * registry's order), under the subject's level in the registry (the contract's when the subject
 * inherits the global one, which the state does not carry). Pure.
 */
export function engineVerdict(event: EventContract, candidate: ContractVersion, state: SubjectState | undefined, policy: JsonCompatPolicy): boolean {
  const held = event.versions
    .filter((v) => state?.registered.has(v.version))
    .sort((a, b) => state!.registered.get(a.version)!.version - state!.registered.get(b.version)!.version);
  return checkCompatibility({
    schemaType: event.schemaType,
    level: state?.level ?? event.compatibility,
    previous: held.map((v) => v.schema as object),
    candidate: candidate.schema as object,
    policy,
  }).compatible;
}

/**
 * Asks the registry about every contract version it does not hold yet
 * (`POST /compatibility/subjects/{subject}/versions?verbose=true`), and compares its verdicts
 * with the engine's on the same question: a refusal is an error with the registry's messages; a
 * verdict that differs from the engine's is a warning carrying both, since the two must agree.
 * Findings on the files (a missing `doc`, say) are not verdicts and play no part.
 */
export async function checkAgainstRegistry(
  catalog: Catalog,
  state: ReadonlyMap<string, SubjectState>,
  registry: RegistryPort,
  policy: JsonCompatPolicy = 'STRICT',
): Promise<Diagnostic[]> {
  const out: Diagnostic[] = [];
  const tests = catalog.events.flatMap((event) => {
    const subject = eventSubject(event);
    const registered = state.get(subject)?.registered ?? new Map();
    return event.versions.filter((v) => !registered.has(v.version)).map((version) => ({ event, subject, version }));
  });
  const answers = await Promise.all(tests.map(async (t) => ({ ...t, answer: await registry.testCompatibility(t.subject, schemaToRegister(t.event, t.version.version)) })));
  for (const { event, subject, version, answer } of answers) {
    const engineCompatible = engineVerdict(event, version, state.get(subject), policy);
    const where = { file: version.file, pointer: '', version: version.version };
    if (!answer.compatible) {
      out.push(
        error('REGISTRY_INCOMPATIBLE', where.file, where.pointer, `the registry refused ${event.type} v${version.version} for subject "${subject}": ${answer.messages.join('; ') || '(the registry gave no reason)'}`, {
          hint: 'the registry judged it under the subject\'s level in the registry; see the engine\'s findings for the fix',
          version: version.version,
          details: { eventType: event.type, subject },
        }),
      );
    }
    if (answer.compatible !== engineCompatible) {
      out.push(
        warning('VERDICT_MISMATCH', where.file, where.pointer, `the registry judged ${event.type} v${version.version} ${answer.compatible ? 'compatible' : 'incompatible'}, the engine judged it ${engineCompatible ? 'compatible' : 'incompatible'}`, {
          hint: 'a disagreement is a bug to learn from: check the subject\'s level in the registry (nova-events status) and report the pair',
          version: version.version,
          details: { eventType: event.type, subject, registryCompatible: answer.compatible, engineCompatible },
        }),
      );
    }
  }
  return out;
}
