import { describe, expect, it } from 'vitest';
import { catalog } from '../../../generated/catalog.js';
import { specOf } from '../../../src/runtime/event-spec.js';
import type { EventCatalog } from '../../../src/runtime/event-spec.js';

describe('specOf', () => {
  it('finds a catalog type', () => {
    expect(specOf(catalog as EventCatalog, 'post.created').type).toBe('post.created');
  });

  it.each(['constructor', 'toString', '__proto__', 'hasOwnProperty', 'post.exploded', ''])('refuses %j as UNKNOWN_EVENT_TYPE, never a prototype member', (type) => {
    expect(() => specOf(catalog as EventCatalog, type)).toThrow(expect.objectContaining({ rule: 'UNKNOWN_EVENT_TYPE' }));
  });
});
