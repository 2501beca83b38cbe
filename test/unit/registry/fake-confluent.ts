import type { CompatibilityLevel } from '../../../src/model/contract.js';
import { answer, serve, type TestServer } from './http-server.js';

/** A subject of the fake: its schema texts (version n at index n-1) and its own level. */
export interface FakeSubject {
  readonly texts: string[];
  readonly level?: CompatibilityLevel;
}

/**
 * A minimal Confluent Schema Registry on a local port: versions, lookup, config and
 * compatibility, with Confluent's error codes, and a verdict function the test chooses.
 */
export function fakeConfluent(subjects: Map<string, FakeSubject>, verdict: (subject: string, schema: string) => boolean): Promise<TestServer> {
  const notFound = (code: number, message: string) => ({ error_code: code, message });
  return serve((req, res) => {
    const path = decodeURIComponent(req.url.split('?')[0]!);
    const body = req.body ? (JSON.parse(req.body) as { schema?: string }) : {};
    let match: RegExpMatchArray | null;
    if ((match = path.match(/^\/subjects\/([^/]+)\/versions$/)) && req.method === 'GET') {
      const subject = subjects.get(match[1]!);
      return subject ? answer(res, 200, subject.texts.map((_, i) => i + 1)) : answer(res, 404, notFound(40401, 'Subject not found.'));
    }
    if ((match = path.match(/^\/subjects\/([^/]+)$/)) && req.method === 'POST') {
      const subject = subjects.get(match[1]!);
      if (!subject) return answer(res, 404, notFound(40401, 'Subject not found.'));
      const index = subject.texts.indexOf(body.schema ?? '');
      return index < 0 ? answer(res, 404, notFound(40403, 'Schema not found')) : answer(res, 200, { subject: match[1], id: 100 + index, version: index + 1, schema: body.schema });
    }
    if ((match = path.match(/^\/config\/([^/]+)$/)) && req.method === 'GET') {
      const subject = subjects.get(match[1]!);
      if (!subject) return answer(res, 404, notFound(40401, 'Subject not found.'));
      return subject.level ? answer(res, 200, { compatibilityLevel: subject.level }) : answer(res, 404, notFound(40408, 'Subject does not have subject-level compatibility configured'));
    }
    if ((match = path.match(/^\/compatibility\/subjects\/([^/]+)\/versions$/)) && req.method === 'POST') {
      if (!subjects.has(match[1]!)) return answer(res, 404, notFound(40401, 'Subject not found.'));
      const compatible = verdict(match[1]!, body.schema ?? '');
      return answer(res, 200, compatible ? { is_compatible: true, messages: [] } : { is_compatible: false, messages: ['reader field "x" has no default'] });
    }
    return answer(res, 404, { error_code: 404, message: 'HTTP 404 Not Found' });
  });
}
