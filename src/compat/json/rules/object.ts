import type { JsonSchemaNode, ObjectNode } from '../../../formats/json-schema/model.js';
import type { DiffContext } from '../context.js';
import { compareSchemas } from '../schema-diff.js';
import { compareBound } from './bounds.js';
import { compareAdditional, compareCoverage } from './content-model.js';

/** Open: any extra property is accepted with any value (no patternProperties, no additional schema). */
function isOpenContentModel(schema: ObjectNode): boolean {
  return schema.patternProperties.length === 0 && schema.schemaOfAdditionalProperties === undefined && schema.permitsAdditionalProperties;
}

/** Partially open: the schema an extra property named `name` must match, if any. */
function partialSchemaFor(schema: ObjectNode, name: string): JsonSchemaNode | undefined {
  for (const [pattern, node] of schema.patternProperties) if (pattern.test(name)) return node;
  return schema.schemaOfAdditionalProperties;
}

function union<T>(a: Iterable<T>, b: Iterable<T>): T[] {
  return [...new Set([...a, ...b])];
}

function compareRequired(ctx: DiffContext, original: ObjectNode, update: ObjectNode): void {
  ctx.at('required', () => {
    for (const name of original.properties.keys()) {
      if (!update.properties.has(name)) continue;
      const was = original.required.includes(name);
      const is = update.required.includes(name);
      if (was && !is) ctx.add('REQUIRED_ATTRIBUTE_REMOVED', name);
      else if (!was && is) ctx.add(update.properties.get(name)?.meta.hasDefault ? 'REQUIRED_ATTRIBUTE_WITH_DEFAULT_ADDED' : 'REQUIRED_ATTRIBUTE_ADDED', name);
    }
  });
}

function propertyRemoved(ctx: DiffContext, name: string, originalSchema: JsonSchemaNode, update: ObjectNode): void {
  // Only the update's content model matters: old data with the property must still validate.
  if (isOpenContentModel(update)) return ctx.add('PROPERTY_REMOVED_FROM_OPEN_CONTENT_MODEL');
  const partial = partialSchemaFor(update, name);
  if (partial) {
    return compareCoverage(ctx, originalSchema, partial, 'PROPERTY_REMOVED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL', 'PROPERTY_REMOVED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL');
  }
  ctx.add(originalSchema.kind === 'false' ? 'PROPERTY_WITH_FALSE_REMOVED_FROM_CLOSED_CONTENT_MODEL' : 'PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL');
}

function propertyAdded(ctx: DiffContext, name: string, updateSchema: JsonSchemaNode, original: ObjectNode, update: ObjectNode): void {
  const required = update.required.includes(name);
  // Only the original's content model matters: old data may already carry the property.
  if (isOpenContentModel(original)) {
    if (updateSchema.kind === 'empty' || updateSchema.kind === 'true') return ctx.add('PROPERTY_WITH_EMPTY_SCHEMA_ADDED_TO_OPEN_CONTENT_MODEL');
    if (!required) return ctx.add('OPTIONAL_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL');
    return ctx.add(updateSchema.meta.hasDefault ? 'PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL' : 'REQUIRED_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL');
  }
  const partial = partialSchemaFor(original, name);
  if (partial) {
    compareCoverage(ctx, partial, updateSchema, 'PROPERTY_ADDED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL', 'PROPERTY_ADDED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL');
  }
  if (!required) ctx.add('OPTIONAL_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL');
  else ctx.add(updateSchema.meta.hasDefault ? 'REQUIRED_PROPERTY_WITH_DEFAULT_ADDED_TO_UNOPEN_CONTENT_MODEL' : 'REQUIRED_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL');
}

function compareProperties(ctx: DiffContext, original: ObjectNode, update: ObjectNode): void {
  ctx.at('properties', () => {
    for (const name of union(original.properties.keys(), update.properties.keys())) {
      ctx.at(name, () => {
        const o = original.properties.get(name);
        const u = update.properties.get(name);
        if (o && !u) propertyRemoved(ctx, name, o, update);
        else if (!o && u) propertyAdded(ctx, name, u, original, update);
        else compareSchemas(ctx, o, u);
      });
    }
  });
}

function compareDependencies(ctx: DiffContext, original: ObjectNode, update: ObjectNode): void {
  ctx.at('dependencies', () => {
    for (const name of union(original.propertyDependencies.keys(), update.propertyDependencies.keys())) {
      const o = original.propertyDependencies.get(name);
      const u = update.propertyDependencies.get(name);
      if (!u) ctx.add('DEPENDENCY_ARRAY_REMOVED', name);
      else if (!o) ctx.add('DEPENDENCY_ARRAY_ADDED', name);
      else {
        const extended = o.every((x) => u.includes(x));
        const narrowed = u.every((x) => o.includes(x));
        if (extended && narrowed) continue;
        ctx.add(extended ? 'DEPENDENCY_ARRAY_EXTENDED' : narrowed ? 'DEPENDENCY_ARRAY_NARROWED' : 'DEPENDENCY_ARRAY_CHANGED', name);
      }
    }
    for (const name of union(original.schemaDependencies.keys(), update.schemaDependencies.keys())) {
      ctx.at(name, () => {
        const o = original.schemaDependencies.get(name);
        const u = update.schemaDependencies.get(name);
        if (!u) ctx.add('DEPENDENCY_SCHEMA_REMOVED');
        else if (!o) ctx.add('DEPENDENCY_SCHEMA_ADDED');
        else compareSchemas(ctx, o, u);
      });
    }
  });
}

/** Objects: required flags, properties against the content models, dependencies, additional properties, sizes. */
export function compareObject(ctx: DiffContext, original: ObjectNode, update: ObjectNode): void {
  compareRequired(ctx, original, update);
  compareProperties(ctx, original, update);
  compareDependencies(ctx, original, update);
  compareAdditional(
    ctx,
    'additionalProperties',
    'ADDITIONAL_PROPERTIES',
    { permits: original.permitsAdditionalProperties, ...(original.schemaOfAdditionalProperties ? { schema: original.schemaOfAdditionalProperties } : {}) },
    { permits: update.permitsAdditionalProperties, ...(update.schemaOfAdditionalProperties ? { schema: update.schemaOfAdditionalProperties } : {}) },
  );
  compareBound(ctx, 'maxProperties', original.maxProperties, update.maxProperties, 'MAX_PROPERTIES');
  compareBound(ctx, 'minProperties', original.minProperties, update.minProperties, 'MIN_PROPERTIES');
}
