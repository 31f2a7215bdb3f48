/** ajv (draft-07, strict) compiled with the catalog JSON Schema, as an editor would use it. */
import { Ajv } from 'ajv';
import formatsPlugin from 'ajv-formats';
import { catalogJsonSchema } from '../../src/schema/index.js';

export function compileCatalogSchema(options: { allErrors?: boolean } = {}) {
  const ajv = new Ajv({ strict: true, allErrors: options.allErrors ?? false });
  // ajv-formats is CommonJS; under NodeNext its default import is the module, whose `default` is the plugin.
  formatsPlugin.default(ajv);
  return { ajv, validate: ajv.compile(catalogJsonSchema()) };
}
