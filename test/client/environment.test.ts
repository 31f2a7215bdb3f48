import { describe, expect, test } from 'vitest';
import { ConfigError, resolveTarget } from '../../src/client/index.js';

describe('resolveTarget', () => {
  test('defaults to the sandbox and its key variable', () => {
    const target = resolveTarget({ env: { KELVIQ_SANDBOX_SERVER_API_KEY: 'sk_sandbox', KELVIQ_SERVER_API_KEY: 'sk_prod' } });
    expect(target).toEqual({
      environment: 'sandbox',
      baseUrl: 'https://sandboxapi.kelviq.com/api/v1',
      apiKey: 'sk_sandbox',
      keyVariable: 'KELVIQ_SANDBOX_SERVER_API_KEY',
    });
  });

  test('production only with prod, with its own key and URL', () => {
    const target = resolveTarget({ prod: true, env: { KELVIQ_SANDBOX_SERVER_API_KEY: 'sk_sandbox', KELVIQ_SERVER_API_KEY: 'sk_prod' } });
    expect(target.environment).toBe('production');
    expect(target.baseUrl).toBe('https://api.kelviq.com/api/v1');
    expect(target.apiKey).toBe('sk_prod');
  });

  test('a missing key names the variable to set', () => {
    expect(() => resolveTarget({ env: { KELVIQ_SERVER_API_KEY: 'sk_prod' } })).toThrow(/KELVIQ_SANDBOX_SERVER_API_KEY is not set/);
    expect(() => resolveTarget({ prod: true, env: { KELVIQ_SANDBOX_SERVER_API_KEY: 'x' } })).toThrow(/KELVIQ_SERVER_API_KEY is not set/);
  });

  test('base URL overrides come from the environment-specific variable', () => {
    const env = { KELVIQ_SANDBOX_SERVER_API_KEY: 'k', KELVIQ_SANDBOX_BASE_URL: 'http://127.0.0.1:4010/api/v1/' };
    expect(resolveTarget({ env }).baseUrl).toBe('http://127.0.0.1:4010/api/v1');
    const prodEnv = { KELVIQ_SERVER_API_KEY: 'k', KELVIQ_BASE_URL: 'https://eu.example.com/api/v1', KELVIQ_SANDBOX_BASE_URL: 'http://localhost:1/api/v1' };
    expect(resolveTarget({ prod: true, env: prodEnv }).baseUrl).toBe('https://eu.example.com/api/v1');
  });

  test.each([
    ['http://api.example.com/api/v1', /refusing plain http:\/\/ to api.example.com/],
    ['http://10.0.0.5/api/v1', /refusing plain http:\/\//],
    // Resolved through DNS, so not known to be loopback.
    ['http://kelviq.localhost:8080/api/v1', /refusing plain http:\/\/ to kelviq.localhost/],
    ['http://localhost.:8080/api/v1', /refusing plain http:\/\//],
    ['http://127.0.0.1.nip.io/api/v1', /refusing plain http:\/\//],
    ['ftp://localhost/api/v1', /unsupported protocol/],
    ['not a url', /is not a URL/],
    ['https://user:pw@api.example.com/api/v1', /credentials in the URL/],
  ])('refuses the base URL %s', (url, message) => {
    const attempt = () => resolveTarget({ env: { KELVIQ_SANDBOX_SERVER_API_KEY: 'k', KELVIQ_SANDBOX_BASE_URL: url } });
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow(message);
  });

  test.each(['http://localhost:8080/api/v1', 'http://127.0.0.5/api/v1', 'http://[::1]:9/api/v1'])('allows loopback %s over http', (url) => {
    expect(resolveTarget({ env: { KELVIQ_SANDBOX_SERVER_API_KEY: 'k', KELVIQ_SANDBOX_BASE_URL: url } }).baseUrl).toBe(url.replace(/\/$/, ''));
  });
});
