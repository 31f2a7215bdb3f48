// `node --import ./test/helpers/forbid-heavy-modules.mjs`: any import of zod, yaml or undici fails, so a test
// can show which commands start without them (the start-up time of `--version` and `--help` depends on it).
import { register } from 'node:module';

const hook = `
export async function resolve(specifier, context, next) {
  if (/^(zod|yaml|undici)(\\/|$)/.test(specifier)) throw new Error('forbidden at start-up: ' + specifier);
  return next(specifier, context);
}`;
register(`data:text/javascript,${encodeURIComponent(hook)}`);
