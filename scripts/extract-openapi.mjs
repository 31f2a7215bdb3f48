#!/usr/bin/env node
/**
 * Writes `spec/kelviq-openapi.extract.json`: a facts-only extract of the official Kelviq OpenAPI spec for the
 * operations this tool uses, so the contract tests (and the emulator's `spec-examples` mode) need nothing outside
 * the repository. Kept: paths, methods, parameters, request and response schemas, enums, required fields,
 * constraints and example values. Left out: descriptions, summaries, titles, tags and vendor (`x-*`) keys.
 *
 *   npm run spec:extract                      # reads ../shared/kelviq-api/openapi.json
 *   node scripts/extract-openapi.mjs <spec>   # reads another copy of the spec
 *
 * The output is deterministic (object keys sorted, `required` sorted, 2-space JSON), so a regenerated extract
 * differs from the committed one only when the spec's facts changed. Unknown schema keywords stop the script
 * rather than being dropped silently: a new fact must be kept or named as prose here.
 */
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const DEFAULT_SOURCE = resolve(ROOT, '../shared/kelviq-api/openapi.json');
export const EXTRACT_PATH = resolve(ROOT, 'spec/kelviq-openapi.extract.json');
export const NOTICE_PATH = resolve(ROOT, 'spec/NOTICE.md');

/** Every `/catalog/...` path (all methods), and the listed extra operations. */
export const OPERATION_PREFIX = '/catalog/';
/** `GET /subscriptions/`: the plan-usage checks of another issue read it. */
export const EXTRA_OPERATIONS = [['/subscriptions/', 'get']];
/**
 * Component schemas kept although no kept operation references them:
 * - the two error shapes the catalog endpoints answer with (their responses document no body; the tests check
 *   the emulator's error bodies against these);
 * - `Charge`, the charge as the product-offering endpoint returns it (server-owned `id`, `details`,
 *   `featureQuantityPrice`): the emulator's extra-fields mode gives catalog charges those fields.
 */
export const EXTRA_SCHEMAS = ['Charge', 'DetailErrorResponse', 'ErrorResponse'];

const METHODS = ['get', 'put', 'post', 'patch', 'delete', 'options', 'head', 'trace'];
const PROSE = new Set(['description', 'summary', 'title', 'externalDocs', 'tags']);
const isProse = (key) => PROSE.has(key) || key.startsWith('x-');

/** Schema keywords that state facts, and how their values are walked. */
const SCHEMA_KEYWORDS = {
  type: 'value',
  format: 'value',
  enum: 'value',
  const: 'value',
  required: 'sorted',
  nullable: 'value',
  readOnly: 'value',
  writeOnly: 'value',
  deprecated: 'value',
  default: 'value',
  minimum: 'value',
  maximum: 'value',
  exclusiveMinimum: 'value',
  exclusiveMaximum: 'value',
  multipleOf: 'value',
  minLength: 'value',
  maxLength: 'value',
  pattern: 'value',
  minItems: 'value',
  maxItems: 'value',
  uniqueItems: 'value',
  minProperties: 'value',
  maxProperties: 'value',
  example: 'value',
  examples: 'value',
  $ref: 'value',
  items: 'schema',
  not: 'schema',
  additionalProperties: 'schema',
  properties: 'schemaMap',
  oneOf: 'schemaList',
  anyOf: 'schemaList',
  allOf: 'schemaList',
};

function fail(where, message) {
  throw new Error(`extract-openapi: ${where}: ${message}`);
}

function schema(value, where) {
  if (typeof value === 'boolean') return value;
  if (!value || typeof value !== 'object' || Array.isArray(value)) fail(where, 'a schema must be an object or a boolean');
  const out = {};
  for (const [key, inner] of Object.entries(value)) {
    if (isProse(key)) continue;
    const kind = SCHEMA_KEYWORDS[key];
    if (!kind) fail(`${where}.${key}`, 'unknown schema keyword (keep it in SCHEMA_KEYWORDS or name it as prose)');
    if (kind === 'value') out[key] = inner;
    else if (kind === 'sorted') out[key] = [...inner].sort();
    else if (kind === 'schema') out[key] = schema(inner, `${where}.${key}`);
    else if (kind === 'schemaList') out[key] = inner.map((item, index) => schema(item, `${where}.${key}[${index}]`));
    else out[key] = Object.fromEntries(Object.entries(inner).map(([name, item]) => [name, schema(item, `${where}.${key}.${name}`)]));
  }
  return out;
}

/** Media types: the schema and the example values (an `examples` entry keeps only its `value`). */
function content(value, where) {
  const out = {};
  for (const [mediaType, media] of Object.entries(value ?? {})) {
    const kept = {};
    for (const [key, inner] of Object.entries(media)) {
      if (key === 'schema') kept.schema = schema(inner, `${where}.${mediaType}.schema`);
      else if (key === 'example') kept.example = inner;
      else if (key === 'examples') kept.examples = Object.fromEntries(Object.entries(inner).map(([name, entry]) => [name, { value: entry.value }]));
      else if (!isProse(key)) fail(`${where}.${mediaType}.${key}`, 'unknown media type key');
    }
    out[mediaType] = kept;
  }
  return out;
}

function parameter(value, where) {
  const out = {};
  for (const [key, inner] of Object.entries(value)) {
    if (isProse(key)) continue;
    if (key === 'schema') out.schema = schema(inner, `${where}.schema`);
    else if (['name', 'in', 'required', 'example', 'examples', 'deprecated', 'style', 'explode', 'allowEmptyValue', '$ref'].includes(key)) out[key] = inner;
    else fail(`${where}.${key}`, 'unknown parameter key');
  }
  return out;
}

function operation(value, where) {
  const out = {};
  for (const [key, inner] of Object.entries(value)) {
    if (isProse(key)) continue;
    if (key === 'operationId' || key === 'security' || key === 'deprecated') out[key] = inner;
    else if (key === 'parameters') out.parameters = inner.map((item, index) => parameter(item, `${where}.parameters[${index}]`));
    else if (key === 'requestBody') {
      out.requestBody = { ...(inner.required === undefined ? {} : { required: inner.required }), content: content(inner.content, `${where}.requestBody`) };
    } else if (key === 'responses') {
      out.responses = Object.fromEntries(
        Object.entries(inner).map(([status, response]) => {
          const kept = {};
          if (response.content) kept.content = content(response.content, `${where}.responses.${status}`);
          if (response.headers) {
            kept.headers = Object.fromEntries(
              Object.entries(response.headers).map(([name, header]) => [name, parameter(header, `${where}.responses.${status}.headers.${name}`)]),
            );
          }
          return [status, kept];
        }),
      );
    } else fail(`${where}.${key}`, 'unknown operation key');
  }
  return out;
}

function collectRefs(value, found) {
  if (Array.isArray(value)) for (const item of value) collectRefs(item, found);
  else if (value && typeof value === 'object') {
    for (const [key, inner] of Object.entries(value)) {
      if (key === '$ref' && typeof inner === 'string') found.add(inner);
      else collectRefs(inner, found);
    }
  }
  return found;
}

const SCHEMA_REF = /^#\/components\/schemas\/([^/]+)$/;

/** Keys sorted at every level (JSON objects have no order), arrays as they are. */
function sortKeys(value) {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (!value || typeof value !== 'object') return value;
  return Object.fromEntries(Object.keys(value).sort().map((key) => [key, sortKeys(value[key])]));
}

/** The whole spec (parsed JSON) → the extract (a plain object, keys sorted). */
export function extractSpec(spec) {
  const paths = {};
  for (const [template, item] of Object.entries(spec.paths ?? {})) {
    const all = template.startsWith(OPERATION_PREFIX);
    const extra = EXTRA_OPERATIONS.filter(([path]) => path === template).map(([, method]) => method);
    if (!all && extra.length === 0) continue;
    const kept = {};
    for (const [key, inner] of Object.entries(item)) {
      if (METHODS.includes(key)) {
        if (all || extra.includes(key)) kept[key] = operation(inner, `paths.${template}.${key}`);
      } else if (key === 'parameters') kept.parameters = inner.map((p, index) => parameter(p, `paths.${template}.parameters[${index}]`));
      else if (key === 'servers') kept.servers = inner.map((server) => ({ url: server.url }));
      else if (!isProse(key)) fail(`paths.${template}.${key}`, 'unknown path item key');
    }
    paths[template] = kept;
  }
  for (const [template, method] of EXTRA_OPERATIONS) {
    if (!paths[template]?.[method]) fail('paths', `the spec has no ${method.toUpperCase()} ${template}`);
  }

  // The transitive closure of the component schemas the kept operations (and EXTRA_SCHEMAS) reference.
  const source = spec.components?.schemas ?? {};
  const pending = [...collectRefs(paths, new Set())].map((ref) => SCHEMA_REF.exec(ref)?.[1] ?? fail('paths', `unsupported $ref ${ref}`));
  pending.push(...EXTRA_SCHEMAS);
  const schemas = {};
  while (pending.length) {
    const name = pending.pop();
    if (schemas[name]) continue;
    if (!source[name]) fail('components.schemas', `${name} is referenced but not defined`);
    schemas[name] = schema(source[name], `components.schemas.${name}`);
    for (const ref of collectRefs(schemas[name], new Set())) pending.push(SCHEMA_REF.exec(ref)?.[1] ?? fail(name, `unsupported $ref ${ref}`));
  }

  const securitySchemes = Object.fromEntries(
    Object.entries(spec.components?.securitySchemes ?? {}).map(([name, scheme]) => [
      name,
      Object.fromEntries(Object.entries(scheme).filter(([key]) => !isProse(key))),
    ]),
  );
  return sortKeys({
    openapi: spec.openapi,
    info: { title: spec.info?.title, version: spec.info?.version },
    servers: (spec.servers ?? []).map((server) => ({ url: server.url })),
    security: spec.security,
    paths,
    components: { securitySchemes, schemas },
  });
}

/** The file's text: stable 2-space JSON with a final newline. */
export function extractText(spec) {
  return `${JSON.stringify(extractSpec(spec), null, 2)}\n`;
}

export function noticeText(spec) {
  const servers = (spec.servers ?? []).map((server) => `- ${server.url}`).join('\n');
  return `# spec/kelviq-openapi.extract.json: source and licence

\`kelviq-openapi.extract.json\` is a facts-only extract of the official Kelviq OpenAPI specification,
"${spec.info?.title}" version ${spec.info?.version} (OpenAPI ${spec.openapi}), whose servers are:

${servers}

It holds the operations this tool uses (every \`/catalog/...\` path, and ${EXTRA_OPERATIONS.map(([path, method]) => `\`${method.toUpperCase()} ${path}\``).join(', ')}),
with their parameters, request bodies and responses, the component schemas they reference (transitively), and
${EXTRA_SCHEMAS.map((name) => `\`${name}\``).join(', ')}: paths, methods, types, formats, enums, required fields,
constraints and example values. Descriptions, summaries, titles, tags and vendor (\`x-*\`) keys are left out.

It is generated, not edited: \`npm run spec:extract\` (that is, \`node scripts/extract-openapi.mjs [path/to/openapi.json]\`)
reads the spec from \`../shared/kelviq-api/openapi.json\` by default and rewrites this folder. The test
\`test/contract/spec-extract.test.ts\` fails when the committed extract differs from a regeneration of that file.

## Licence

The Kelviq OpenAPI specification is MIT licensed (so the notes accompanying the copy this extract was generated
from state). The specification itself names no copyright holder: its \`info\` object has neither a \`license\`
nor a \`contact\` entry. The licence text below is the one in Kelviq's documentation repository (its \`LICENSE\`
file), reproduced with the copyright line exactly as it stands there:

MIT License

Copyright (c) 2023 Mintlify

Permission is hereby granted, free of charge, to any person obtaining a copy
of this software and associated documentation files (the "Software"), to deal
in the Software without restriction, including without limitation the rights
to use, copy, modify, merge, publish, distribute, sublicense, and/or sell
copies of the Software, and to permit persons to whom the Software is
furnished to do so, subject to the following conditions:

The above copyright notice and this permission notice shall be included in all
copies or substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY,
FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE
AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER
LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM,
OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE
SOFTWARE.
`;
}

function main() {
  const sourcePath = resolve(process.argv[2] ?? DEFAULT_SOURCE);
  const spec = JSON.parse(readFileSync(sourcePath, 'utf8'));
  mkdirSync(dirname(EXTRACT_PATH), { recursive: true });
  writeFileSync(EXTRACT_PATH, extractText(spec));
  writeFileSync(NOTICE_PATH, noticeText(spec));
  const extract = extractSpec(spec);
  console.log(
    `Wrote ${relative(process.cwd(), EXTRACT_PATH)} (${Object.keys(extract.paths).length} paths, ${Object.keys(extract.components.schemas).length} schemas) and ${relative(process.cwd(), NOTICE_PATH)} from ${sourcePath}.`,
  );
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
