/**
 * Validation against the official Kelviq OpenAPI spec, as the repository keeps it: `spec/kelviq-openapi.extract.json`,
 * a facts-only extract generated from the official file by `npm run spec:extract` (see `spec/NOTICE.md`;
 * `test/contract/spec-extract.test.ts` keeps it current). Reused for the emulator's responses and the client's
 * request bodies.
 *
 * OpenAPI 3.0 is not JSON Schema, so the spec's component schemas are converted before ajv sees them:
 * - `nullable: true` becomes a `null` type (or `anyOf [schema, null]` where there is no `type`, e.g. `$ref`, `oneOf`);
 * - responses: `writeOnly` properties are forbidden; requests: `readOnly` properties are forbidden (the server owns
 *   them) and dropped from `required`;
 * - requests, by default, also forbid properties the schema does not declare (where it does not say
 *   `additionalProperties` itself): the spec leaves objects open, but a client sending an undeclared field
 *   (`ordering` in a plan PATCH) has a bug. Responses stay open: servers add fields.
 * - `example`, `x-*` and other OpenAPI-only keywords are ignored (`strict: false`).
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import AjvModule, { type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { missingShownFields } from './openapi-examples.js';

/** The extract the tests validate against, in the repository. */
export const SPEC_PATH = fileURLToPath(new URL('../../spec/kelviq-openapi.extract.json', import.meta.url));
/** The official spec the extract is generated from; present beside the checkout in workplaces and CI only. */
export const OFFICIAL_SPEC_PATH = fileURLToPath(new URL('../../../shared/kelviq-api/openapi.json', import.meta.url));


type Json = Record<string, any>;
type Mode = 'request' | 'response';

export interface OpenApiValidator {
  /** Errors (empty = valid) of a response body; `undefined` body = no body. Templates may carry `/api/v1`. */
  validateResponse(method: string, pathTemplate: string, status: number, body: unknown): string[];
  /** Errors (empty = valid) of a JSON request body, with `readOnly` (and by default undeclared) fields refused. */
  validateRequestBody(method: string, pathTemplate: string, body: unknown, options?: { allowUndeclared?: boolean }): string[];
  /** Errors of a value against `components.schemas[name]`. */
  validateSchema(name: string, value: unknown, mode?: Mode): string[];
  /**
   * What the spec shows a successful response carries (its example, the schema's property examples, recursively)
   * and the body lacks, as JSON pointers; see `openapi-examples.ts`.
   */
  missingShownFields(method: string, pathTemplate: string, status: number, body: unknown): string[];
  /** Whether the spec gives a JSON schema for that response (some document only an example). */
  hasResponseSchema(method: string, pathTemplate: string, status: number): boolean;
  /** Every documented `METHOD template` whose template starts with `prefix`. */
  operations(prefix?: string): string[];
}

// Both are CommonJS packages whose ESM default import is the module object; the class/function is `.default`.
const Ajv = AjvModule.default;
const addFormats = addFormatsModule.default;
const HTTP_METHODS = ['get', 'put', 'post', 'patch', 'delete', 'options', 'head'];

export function loadOpenApi(path = SPEC_PATH): OpenApiValidator {
  // Without the spec the contract is not checked, and that is a failure to see, not a skip to overlook.
  if (!existsSync(path)) {
    throw new Error(`the Kelviq OpenAPI spec is not at ${path}; regenerate the extract with npm run spec:extract`);
  }
  const spec = JSON.parse(readFileSync(path, 'utf8')) as Json;
  const basePath = new URL(spec.servers?.[0]?.url ?? 'http://x/').pathname.replace(/\/$/, '');
  const ajv = new Ajv({ strict: false, allErrors: true, verbose: true, validateSchema: false });
  addFormats(ajv);
  // OpenAPI's own formats; the numeric ones only constrain range in theory, nothing the tests rely on.
  for (const name of ['int32', 'int64', 'decimal']) ajv.addFormat(name, { type: 'number', validate: () => true });
  ajv.addFormat('decimal', { type: 'string', validate: (text: string) => /^-?\d+(\.\d+)?$/.test(text) });
  ajv.addFormat('url', (text: string) => URL.canParse(text));

  const documentId = (mode: Mode, strictObjects: boolean) => `kelviq-${mode}${strictObjects ? '-closed' : ''}`;
  const added = new Set<string>();
  const documentFor = (mode: Mode, strictObjects: boolean): string => {
    const id = documentId(mode, strictObjects);
    if (!added.has(id)) {
      const schemas = convert(spec.components?.schemas ?? {}, { mode, strictObjects, id }, true);
      ajv.addSchema({ $id: id, components: { schemas } });
      added.add(id);
    }
    return id;
  };
  const compiled = new Map<string, ValidateFunction>();
  const compile = (key: string, make: () => Json): ValidateFunction => {
    let validate = compiled.get(key);
    if (!validate) {
      validate = ajv.compile(make());
      compiled.set(key, validate);
    }
    return validate;
  };

  const operation = (method: string, pathTemplate: string): { template: string; op: Json } | string => {
    const template = pathTemplate.startsWith(`${basePath}/`) ? pathTemplate.slice(basePath.length) : pathTemplate;
    const item = spec.paths?.[template];
    if (!item) return `the spec has no path ${template}`;
    const op = item[method.toLowerCase()];
    if (!op) return `the spec has no ${method.toUpperCase()} ${template} (it has ${HTTP_METHODS.filter((m) => item[m]).join(', ').toUpperCase()})`;
    return { template, op };
  };

  const jsonSchemaOf = (content: Json | undefined): Json | undefined => content?.['application/json']?.schema;

  const responseOf = (method: string, pathTemplate: string, status: number) => {
    const found = operation(method, pathTemplate);
    if (typeof found === 'string') return found;
    const response = found.op.responses?.[String(status)] ?? found.op.responses?.[`${String(status)[0]}XX`] ?? found.op.responses?.default;
    if (!response) {
      return `${method.toUpperCase()} ${found.template} does not document status ${status} (documented: ${Object.keys(found.op.responses ?? {}).join(', ')})`;
    }
    return { ...found, response: response as Json };
  };

  const validator: OpenApiValidator = {
    validateResponse(method, pathTemplate, status, body) {
      const found = responseOf(method, pathTemplate, status);
      if (typeof found === 'string') return [found];
      // HTTP forbids a body on 204 (and 304), whatever the spec's content says.
      if (status === 204 || status === 304) return body === undefined || body === '' ? [] : [`a ${status} response must not have a body`];
      const schema = jsonSchemaOf(found.response.content);
      if (!schema) return [];
      if (body === undefined) return ['the spec documents a JSON body, but the response had none'];
      const key = `response ${method.toUpperCase()} ${found.template} ${status}`;
      const validate = compile(key, () => convert(schema, { mode: 'response', strictObjects: false, id: documentFor('response', false) }));
      return run(validate, body);
    },
    validateRequestBody(method, pathTemplate, body, options = {}) {
      const found = operation(method, pathTemplate);
      if (typeof found === 'string') return [found];
      const requestBody = found.op.requestBody as Json | undefined;
      if (!requestBody) return body === undefined ? [] : [`${method.toUpperCase()} ${found.template} takes no request body`];
      if (body === undefined) return requestBody.required ? ['the request body is required'] : [];
      const schema = jsonSchemaOf(requestBody.content);
      if (!schema) return [`${method.toUpperCase()} ${found.template} documents no JSON request body`];
      const strictObjects = !options.allowUndeclared;
      const key = `request ${method.toUpperCase()} ${found.template} ${strictObjects}`;
      const validate = compile(key, () => convert(schema, { mode: 'request', strictObjects, id: documentFor('request', strictObjects) }));
      return run(validate, body);
    },
    validateSchema(name, value, mode = 'response') {
      if (!spec.components?.schemas?.[name]) return [`the spec has no schema ${name}`];
      const id = documentFor(mode, mode === 'request');
      const validate = compile(`schema ${id} ${name}`, () => ({ $ref: `${id}#/components/schemas/${name}` }));
      return run(validate, value);
    },
    missingShownFields(method, pathTemplate, status, body) {
      const found = responseOf(method, pathTemplate, status);
      if (typeof found === 'string') return [found];
      const media = found.response.content?.['application/json'] as Json | undefined;
      if (!media) return [];
      return missingShownFields(spec.components?.schemas ?? {}, media.schema, media.example, body);
    },
    hasResponseSchema(method, pathTemplate, status) {
      const found = responseOf(method, pathTemplate, status);
      return typeof found !== 'string' && jsonSchemaOf(found.response.content) !== undefined;
    },
    operations(prefix = '') {
      return Object.entries(spec.paths ?? {})
        .filter(([template]) => template.startsWith(prefix))
        .flatMap(([template, item]) => HTTP_METHODS.filter((m) => (item as Json)[m]).map((m) => `${m.toUpperCase()} ${template}`));
    },
  };
  return validator;
}

interface ConvertOptions {
  mode: Mode;
  strictObjects: boolean;
  /** The ajv document holding the converted components: `$ref`s are pointed there. */
  id: string;
}

/** An OpenAPI 3.0 schema → JSON Schema (draft-07) for ajv; see the module comment. */
function convert(schema: unknown, options: ConvertOptions, isComponentMap = false): any {
  if (isComponentMap) {
    return Object.fromEntries(Object.entries(schema as Json).map(([name, value]) => [name, convert(value, options)]));
  }
  if (Array.isArray(schema)) return schema.map((item) => convert(item, options));
  if (!schema || typeof schema !== 'object') return schema;
  const source = schema as Json;
  const out: Json = {};
  for (const [key, value] of Object.entries(source)) {
    if (key === 'nullable' || key === 'example' || key === 'examples' || key.startsWith('x-')) continue;
    if (key === '$ref' && typeof value === 'string') out.$ref = value.startsWith('#/') ? `${options.id}${value}` : value;
    else if (key === 'properties') out.properties = convertProperties(value as Json, options);
    else if (key === 'required') out.required = (value as string[]).filter((name) => !forbiddenIn(source.properties?.[name], options.mode));
    else out[key] = convert(value, options);
  }
  const closes = options.strictObjects && source.properties && !('additionalProperties' in source) && !source.allOf;
  if (closes) out.additionalProperties = false;
  if (source.nullable === true) return withNull(out);
  return out;
}

function convertProperties(properties: Json, options: ConvertOptions): Json {
  const out: Json = {};
  for (const [name, property] of Object.entries(properties)) {
    // A false schema with a marker, so the error can say why rather than "must NOT be valid".
    out[name] = forbiddenIn(property, options.mode) ? { not: {}, 'x-forbidden': options.mode === 'request' ? 'readOnly' : 'writeOnly' } : convert(property, options);
  }
  return out;
}

function forbiddenIn(property: Json | undefined, mode: Mode): boolean {
  return mode === 'request' ? property?.readOnly === true : property?.writeOnly === true;
}

function withNull(schema: Json): Json {
  if (typeof schema.type === 'string' && !schema.$ref && !schema.oneOf && !schema.anyOf && !schema.allOf) {
    const result: Json = { ...schema, type: [schema.type, 'null'] };
    if (Array.isArray(schema.enum) && !schema.enum.includes(null)) result.enum = [...schema.enum, null];
    return result;
  }
  return { anyOf: [schema, { type: 'null' }] };
}

function run(validate: ValidateFunction, value: unknown): string[] {
  if (validate(value)) return [];
  return [...new Set((validate.errors ?? []).map(describe))];
}

/** One readable line per ajv error: where, what, and what was there. */
function describe(error: ErrorObject): string {
  const at = error.instancePath || '(body)';
  const got = (value: unknown) => {
    const text = JSON.stringify(value);
    return text === undefined ? 'undefined' : text.length > 60 ? `${text.slice(0, 57)}...` : text;
  };
  switch (error.keyword) {
    case 'required':
      return `${error.instancePath}/${(error.params as { missingProperty: string }).missingProperty} is required`;
    case 'additionalProperties':
      return `${at} has property "${(error.params as { additionalProperty: string }).additionalProperty}", which the schema does not declare`;
    case 'enum':
      return `${at} must be one of ${(error.params as { allowedValues: unknown[] }).allowedValues.map((v) => JSON.stringify(v)).join(', ')} (got ${got(error.data)})`;
    case 'not': {
      const marker = (error.parentSchema as Json | undefined)?.['x-forbidden'];
      if (marker) return `${at} is ${marker} and must not be ${marker === 'readOnly' ? 'sent' : 'returned'}`;
      return `${at} ${error.message}`;
    }
    default:
      return `${at} ${error.message} (got ${got(error.data)})`;
  }
}
