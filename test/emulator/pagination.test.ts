/** DRF page-number pagination as Kelviq configures it: 1-based, default and maximum 100, absolute links. */
import { describe, expect, test } from 'vitest';
import { expectStatus, useEmulator } from './fixtures.js';

const env = useEmulator();

/** Seeded rather than POSTed one by one: this file is about reading lists, and the seed goes through the same checks. */
async function createProducts(count: number): Promise<void> {
  env.emulator.loadSeed({
    products: Array.from({ length: count }, (_, index) => {
      const identifier = `p-${String(index).padStart(3, '0')}`;
      return { name: identifier, identifier, taxCode: 'saas', description: index % 2 ? 'odd' : 'even' };
    }),
  });
  expect((await expectStatus(env.api.get('/catalog/products/?page_size=1'), 200)).count).toBe(count);
}

describe('pagination', () => {
  test('260 products: pages of 100 with absolute next/previous links; following them yields everything once, in order', async () => {
    await createProducts(260);
    const base = `${env.emulator.url}/catalog/products/`;
    const first = await expectStatus(env.api.get('/catalog/products/'), 200);
    expect([first.count, first.results.length, first.next, first.previous]).toEqual([260, 100, `${base}?page=2`, null]);

    const second = await expectStatus(env.api.get(first.next), 200);
    // Like DRF, the link back to page 1 drops `page`.
    expect([second.results.length, second.next, second.previous]).toEqual([100, `${base}?page=3`, base]);
    const third = await expectStatus(env.api.get(second.next), 200);
    expect([third.results.length, third.next, third.previous]).toEqual([60, null, `${base}?page=2`]);

    const identifiers = [...first.results, ...second.results, ...third.results].map((p: any) => p.identifier);
    expect(identifiers).toEqual(Array.from({ length: 260 }, (_, index) => `p-${String(index).padStart(3, '0')}`));
  });

  test('page_size above 100 is capped, not refused; links keep the other query parameters', async () => {
    await createProducts(260);
    const capped = await expectStatus(env.api.get('/catalog/products/?page_size=500'), 200);
    expect([capped.results.length, capped.next]).toEqual([100, `${env.emulator.url}/catalog/products/?page=2&page_size=500`]);

    const filtered = await expectStatus(env.api.get('/catalog/products/?search=odd&page_size=50&page=2'), 200);
    expect([filtered.count, filtered.results.length]).toEqual([130, 50]);
    expect(filtered.next).toBe(`${env.emulator.url}/catalog/products/?page=3&page_size=50&search=odd`);
    expect(filtered.previous).toBe(`${env.emulator.url}/catalog/products/?page_size=50&search=odd`);
  });

  test('a malformed page_size falls back to 100; page=last is the last page', async () => {
    await createProducts(130);
    for (const size of ['0', '-5', 'ten']) {
      expect((await expectStatus(env.api.get(`/catalog/products/?page_size=${size}`), 200)).results.length).toBe(100);
    }
    const last = await expectStatus(env.api.get('/catalog/products/?page=last&page_size=40'), 200);
    expect([last.results.length, last.next, last.results[0].identifier]).toEqual([10, null, 'p-120']);
  });

  test('an invalid or out-of-range page is 404 "Invalid page."', async () => {
    await createProducts(3);
    for (const page of ['0', '2', 'abc', '-1', '1.5']) {
      const response = await env.api.get(`/catalog/products/?page=${page}`);
      expect([page, response.status, response.body]).toEqual([page, 404, { detail: 'Invalid page.' }]);
    }
  });

  test('an empty list has one empty page', async () => {
    expect(await expectStatus(env.api.get('/catalog/features/?page=1'), 200)).toEqual({ count: 0, next: null, previous: null, results: [] });
    expect((await env.api.get('/catalog/features/?page=2')).status).toBe(404);
  });

  test('plans, entitlements and prices lists paginate the same way', async () => {
    env.emulator.loadSeed({
      products: [{ identifier: 'acme', name: 'Acme', taxCode: 'saas' }],
      features: Array.from({ length: 120 }, (_, index) => ({ identifier: `f${index}`, name: `F${index}`, featureType: 'CUSTOMIZABLE' })),
      plans: [
        ...Array.from({ length: 150 }, (_, index) => ({ identifier: `plan-${index}`, product: 'acme', versions: [{ name: `Plan ${index}` }] })),
        {
          identifier: 'big',
          product: 'acme',
          versions: [{ name: 'Big', entitlements: Object.fromEntries(Array.from({ length: 120 }, (_, index) => [`f${index}`, { value: index }])) }],
        },
      ],
    });
    const plans = await expectStatus(env.api.get('/catalog/plans/?page=2'), 200);
    expect([plans.count, plans.results.length, plans.next]).toEqual([151, 51, null]);
    const features = await expectStatus(env.api.get('/catalog/features/'), 200);
    expect([features.count, features.results.length]).toEqual([120, 100]);
    const entitlements = await expectStatus(env.api.get('/catalog/plans/big/features/?page_size=100'), 200);
    expect([entitlements.count, entitlements.results.length, entitlements.next]).toEqual([120, 100, `${env.emulator.url}/catalog/plans/big/features/?page=2&page_size=100`]);
    const prices = await expectStatus(env.api.get('/catalog/plans/big/prices/'), 200);
    expect(prices).toEqual({ count: 0, next: null, previous: null, results: [] });
  });
});
