/**
 * The other direction of the contract: what the spec *shows* a response carries must be there. A property is
 * shown when the response's example has it, when the schema gives it an `example`, or when its schema is an
 * object or array a mock server (Prism and the like) would build from the property examples inside it.
 * Schema validation alone cannot see an emulator that leaves a field out: the spec's objects require nothing.
 *
 * Free-form objects (a schema without `properties`: metadata, featureDetails, priceData, ...) must be present
 * when shown, but the keys of their examples are sample data, not fields: they are not demanded.
 */
type Json = Record<string, any>;

const isObject = (value: unknown): value is Json => value !== null && typeof value === 'object' && !Array.isArray(value);

export function missingShownFields(schemas: Json, schema: Json | undefined, example: unknown, body: unknown): string[] {
  const missing: string[] = [];
  walk(schemas, schema, example, body, '', missing);
  return missing;
}

function resolve(schemas: Json, schema: Json | undefined, seen = new Set<string>()): Json | undefined {
  if (!schema) return undefined;
  if (typeof schema.$ref === 'string') {
    const name = /^#\/components\/schemas\/(.+)$/.exec(schema.$ref)?.[1];
    if (!name || seen.has(name)) return undefined;
    seen.add(name);
    return resolve(schemas, { ...schemas[name], ...withoutRef(schema) }, seen);
  }
  if (Array.isArray(schema.allOf)) {
    const parts = schema.allOf.map((part: Json) => resolve(schemas, part, seen) ?? {});
    const properties = Object.assign({}, schema.properties, ...parts.map((part: Json) => part.properties ?? {}));
    return { ...schema, allOf: undefined, type: 'object', properties };
  }
  return schema;
}

function withoutRef(schema: Json): Json {
  const { $ref: _ref, ...rest } = schema;
  return rest;
}

/** Whether a mock server would put this property into a response: it has an example, or one can be built. */
function shown(schemas: Json, property: Json | undefined, depth = 0): boolean {
  const resolved = resolve(schemas, property);
  if (!resolved || depth > 8) return false;
  if ('example' in resolved) return true;
  if (resolved.type === 'array' || resolved.items) return true;
  if (isObject(resolved.properties)) return Object.values(resolved.properties).some((inner) => shown(schemas, inner as Json, depth + 1));
  return false;
}

function walk(schemas: Json, rawSchema: Json | undefined, example: unknown, body: unknown, path: string, missing: string[]): void {
  const schema = resolve(schemas, rawSchema);
  if (Array.isArray(body)) {
    const items = schema?.items as Json | undefined;
    const sample = Array.isArray(example) ? mergedItems(example) : undefined;
    body.forEach((item, index) => walk(schemas, items, sample, item, `${path}/${index}`, missing));
    return;
  }
  if (!isObject(body)) return;
  const properties: Json | undefined = isObject(schema?.properties) ? schema.properties : undefined;
  // Without a schema the example is all the spec says; with one, only declared properties are fields.
  const fromExample = isObject(example) && (properties || !schema) ? Object.keys(example) : [];
  const names = new Set([...fromExample, ...Object.entries(properties ?? {}).filter(([, inner]) => shown(schemas, inner as Json)).map(([name]) => name)]);
  for (const name of names) {
    if (!(name in body)) {
      missing.push(`${path}/${name}`);
      continue;
    }
    const inner = properties?.[name] as Json | undefined;
    const innerExample = isObject(example) && name in example ? example[name] : resolve(schemas, inner)?.example;
    walk(schemas, inner, innerExample, body[name], `${path}/${name}`, missing);
  }
}

/** An example list's items merged into one: a body item must carry what any example item shows. */
function mergedItems(items: unknown[]): unknown {
  const objects = items.filter(isObject);
  return objects.length ? Object.assign({}, ...objects) : items[0];
}
