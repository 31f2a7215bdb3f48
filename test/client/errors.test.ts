import { describe, expect, test } from 'vitest';
import { KelviqApiError, extractServerMessage } from '../../src/client/index.js';

describe('extractServerMessage', () => {
  test.each([
    ['{"detail":"Plan not found."}', 'application/json', 'Plan not found.'],
    ['{"status":"Bad request","message":"Offering does not exists"}', 'application/json', 'Offering does not exists (Bad request)'],
    ['{"taxCode":["\\"x\\" is not a valid choice."],"name":["This field is required."]}', 'application/json', 'taxCode: "x" is not a valid choice.; name: This field is required.'],
    ['<html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1></body></html>', 'text/html', 'HTML error page: 502 Bad Gateway (likely from a proxy or load balancer)'],
    ['', 'application/json', '(empty body)'],
    ['plain words', 'text/plain', 'plain words'],
  ])('%s', (body, contentType, expected) => {
    expect(extractServerMessage(body, contentType)).toBe(expected);
  });
});

describe('KelviqApiError', () => {
  test('names method, path, status, message and a hint for the common statuses', () => {
    const unauthorized = new KelviqApiError({ method: 'GET', path: '/catalog/plans/?page=1' }, 401, 'Invalid token.');
    expect(unauthorized.message).toMatch(/^GET \/catalog\/plans\/\?page=1 failed with 401: Invalid token\. \(hint: check the API key/);
    const publish = new KelviqApiError({ method: 'POST', path: '/catalog/plans/pro/publish/' }, 400, 'No price exists.');
    expect(publish.hint).toMatch(/without a price/);
    const billing = new KelviqApiError({ method: 'POST', path: '/catalog/plans/pro/publish/' }, 428, 'Billing provider not authenticated.');
    expect(billing.hint).toMatch(/billing provider is not connected/);
    expect(new KelviqApiError({ method: 'GET', path: '/x/' }, 429, 'slow down').hint).toMatch(/rate limited/);
    // A 403's meaning is undocumented: the hint never claims the key is valid ("Invalid API key" may come with it).
    const forbidden = new KelviqApiError({ method: 'POST', path: '/catalog/plans/' }, 403, 'Invalid API key');
    expect(forbidden.message).toMatch(/^POST \/catalog\/plans\/ failed with 403: Invalid API key \(hint: Kelviq refused this request for this key; check that it is the server key/);
    expect(forbidden.hint).not.toMatch(/valid/);
  });
});
