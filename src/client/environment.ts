/**
 * Which Kelviq environment a run talks to, and with which key. Mirrors Kelviq's own tools: sandbox unless
 * `--prod` is given explicitly, keys and base URL overrides from the same environment variables.
 */
import { ConfigError } from './errors.js';

export type EnvironmentName = 'sandbox' | 'production';

export interface Target {
  environment: EnvironmentName;
  /** Base URL including the API prefix, without a trailing slash, e.g. `https://sandboxapi.kelviq.com/api/v1`. */
  baseUrl: string;
  apiKey: string;
  /** The variable the key came from, for messages (never the key itself). */
  keyVariable: string;
}

interface EnvironmentDefaults {
  baseUrl: string;
  keyVariable: string;
  baseUrlVariable: string;
}

export const ENVIRONMENTS: Record<EnvironmentName, EnvironmentDefaults> = {
  sandbox: {
    baseUrl: 'https://sandboxapi.kelviq.com/api/v1',
    keyVariable: 'KELVIQ_SANDBOX_SERVER_API_KEY',
    baseUrlVariable: 'KELVIQ_SANDBOX_BASE_URL',
  },
  production: {
    baseUrl: 'https://api.kelviq.com/api/v1',
    keyVariable: 'KELVIQ_SERVER_API_KEY',
    baseUrlVariable: 'KELVIQ_BASE_URL',
  },
};

export interface ResolveTargetOptions {
  /** Production only when explicitly asked for; never implied by which variables happen to be set. */
  prod?: boolean;
  env?: Record<string, string | undefined>;
  /** What to say after "<VARIABLE> is not set: " instead of the usual advice (promote takes no --prod to point at). */
  missingKeyAdvice?: (environment: EnvironmentName) => string;
}

export function resolveTarget(options: ResolveTargetOptions = {}): Target {
  const environment: EnvironmentName = options.prod ? 'production' : 'sandbox';
  const env = options.env ?? process.env;
  const defaults = ENVIRONMENTS[environment];
  const apiKey = env[defaults.keyVariable]?.trim();
  if (!apiKey) {
    const other = environment === 'sandbox' ? 'pass --prod to use KELVIQ_SERVER_API_KEY' : 'drop --prod to use the sandbox';
    const advice = options.missingKeyAdvice?.(environment) ?? `export the ${environment} server API key from the Kelviq dashboard (or ${other}).`;
    throw new ConfigError(`${defaults.keyVariable} is not set: ${advice}`);
  }
  checkKeyCharacters(apiKey, defaults.keyVariable);
  const override = env[defaults.baseUrlVariable]?.trim();
  const baseUrl = checkBaseUrl(override || defaults.baseUrl, override ? defaults.baseUrlVariable : 'default');
  return { environment, baseUrl, apiKey, keyVariable: defaults.keyVariable };
}

/**
 * A key travels in the Authorization header, which takes visible ASCII only. A key pasted with a line break or
 * a non-Latin-1 character made undici reject every request, and the process ended with no message (exit 13);
 * checked here, up front, the run stops with a message that names the variable and the position but never a
 * character of the key.
 */
function checkKeyCharacters(key: string, variable: string): void {
  for (let index = 0; index < key.length; index += 1) {
    const code = key.charCodeAt(index);
    if (code >= 0x21 && code <= 0x7e) continue;
    const what =
      code === 0x0a || code === 0x0d ? 'a line break' : code === 0x20 ? 'a space' : code < 0x20 || code === 0x7f ? 'a control character' : 'a non-ASCII character';
    throw new ConfigError(
      `${variable} contains ${what} (character ${index + 1} of ${key.length}), which cannot be sent in an HTTP header; copy the key again from the Kelviq dashboard.`,
    );
  }
}

/**
 * Literal loopback addresses (127.0.0.0/8, ::1; the URL parser has already normalised `127.1` and the like) and
 * exactly `localhost`. Not `*.localhost`: RFC 6761 asks resolvers to send those to loopback, but Node resolves them
 * through DNS like any name, so one could point anywhere.
 */
export function isLoopbackHost(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || hostname === '::1' || /^127(\.\d{1,3}){3}$/.test(hostname);
}

/**
 * Normalises a base URL and refuses plain HTTP to anything but loopback: a server key sent in clear text over a
 * network is a leaked key.
 */
export function checkBaseUrl(raw: string, source: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(`${source}: "${raw}" is not a URL (expected e.g. https://sandboxapi.kelviq.com/api/v1).`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new ConfigError(`${source}: unsupported protocol "${url.protocol}" (use https://).`);
  }
  if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) {
    throw new ConfigError(
      `${source}: refusing plain http:// to ${url.hostname}; the API key would travel unencrypted. Use https:// (http:// is allowed for loopback only).`,
    );
  }
  if (url.username || url.password) {
    throw new ConfigError(`${source}: credentials in the URL are not supported; use the key variables.`);
  }
  if (url.search || url.hash) {
    throw new ConfigError(`${source}: the base URL must not carry a query or fragment.`);
  }
  return url.toString().replace(/\/+$/, '');
}
