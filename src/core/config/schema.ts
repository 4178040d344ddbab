// Access to schemas/tsae.schema.json, the single source of truth for fields, defaults and docs.
// Bundled by esbuild and emitted by tsc (resolveJsonModule), so no file lookup at run time.

import schemaJson from '../../../schemas/tsae.schema.json';

export interface JsonSchema {
  $ref?: string;
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  additionalProperties?: boolean | JsonSchema;
  required?: string[];
  items?: JsonSchema | JsonSchema[];
  oneOf?: JsonSchema[];
  enum?: unknown[];
  const?: unknown;
  default?: unknown;
  description?: string;
  markdownDescription?: string;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  minItems?: number;
  maxItems?: number;
  definitions?: Record<string, JsonSchema>;
}

export const configSchema = schemaJson as unknown as JsonSchema;

/** The schema with `$ref` replaced by its target; sibling keywords (default, description) win. */
export function deref(schema: JsonSchema): JsonSchema {
  if (!schema.$ref) return schema;
  const name = schema.$ref.replace(/^#\/definitions\//, '');
  const target = configSchema.definitions?.[name];
  if (!target) return schema;
  const { $ref: _ref, ...siblings } = schema;
  return { ...deref(target), ...siblings };
}

/** The branch of a `oneOf` that describes an object, if any (e.g. earlyStopping: false | {...}). */
export function objectBranch(schema: JsonSchema): JsonSchema | undefined {
  return schema.oneOf?.map(deref).find((branch) => branch.type === 'object');
}

/** Schema of the property or item `segment` inside `parent`. */
export function childSchema(parent: JsonSchema, segment: string): JsonSchema | undefined {
  const schema = deref(parent);
  const object = schema.properties ? schema : objectBranch(schema);
  if (object?.properties && Object.prototype.hasOwnProperty.call(object.properties, segment)) {
    return deref(object.properties[segment]);
  }
  if (schema.items !== undefined && /^\d+$/.test(segment)) {
    const items = schema.items;
    return Array.isArray(items) ? (items[Number(segment)] ? deref(items[Number(segment)]) : undefined) : deref(items);
  }
  return undefined;
}

/** Schema at a dotted config path ('' is the root). */
export function schemaAt(configPath: string): JsonSchema | undefined {
  let schema: JsonSchema | undefined = configSchema;
  for (const segment of splitPath(configPath)) {
    if (!schema) return undefined;
    schema = childSchema(schema, segment);
  }
  return schema;
}

export function splitPath(configPath: string): string[] {
  return configPath === '' ? [] : configPath.split('.');
}

/** Property names an object schema allows (the object branch for a oneOf). */
export function propertyNames(schema: JsonSchema): string[] {
  const resolved = deref(schema);
  const object = resolved.properties ? resolved : objectBranch(resolved);
  return Object.keys(object?.properties ?? {});
}

/** True when `key` of the object at `parentPath` must be written by the user (required, no default). */
export function isRequiredWithoutDefault(parentPath: string, key: string): boolean {
  const parent = schemaAt(parentPath);
  if (!parent) return false;
  const object = parent.properties ? parent : objectBranch(parent);
  const child = object?.properties?.[key];
  return (object?.required ?? []).includes(key) && (child === undefined || deref(child).default === undefined);
}
