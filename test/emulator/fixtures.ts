/**
 * One emulator per test (they start in milliseconds) with a raw HTTP client, plus small builders for the
 * catalog objects most tests need. Everything goes over loopback HTTP; `store` is for inspection only.
 */
import { afterEach, beforeEach, expect } from 'vitest';
import { EMULATOR_DEFAULT_KEY, startEmulator, type EmulatorOptions, type RunningEmulator } from '../../src/emulator/index.js';
import { emulatorHttp, type EmulatorHttp } from '../helpers/emulator-http.js';

export interface Env {
  emulator: RunningEmulator;
  api: EmulatorHttp;
}

/** Registers beforeEach/afterEach; read the fields inside tests. */
export function useEmulator(options: EmulatorOptions = {}): Env {
  const env = {} as Env;
  beforeEach(async () => {
    env.emulator = await startEmulator({ port: 0, ...options });
    env.api = emulatorHttp(env.emulator.url, EMULATOR_DEFAULT_KEY);
  });
  afterEach(async () => {
    await env.api.close();
    await env.emulator.close();
  });
  return env;
}

/** Sends and insists on the status, so a fixture step that fails says why. */
export async function expectStatus<T = any>(pending: Promise<{ status: number; body: T; text: string }>, status: number): Promise<T> {
  const response = await pending;
  expect(response.status, response.text).toBe(status);
  return response.body;
}

export interface Product {
  id: string;
  identifier: string;
}
export interface Feature {
  id: string;
  identifier: string;
}

export const createProduct = (api: EmulatorHttp, body: Record<string, unknown> = {}) =>
  expectStatus<Product>(api.post('/catalog/products/', { name: 'Acme', identifier: 'acme', taxCode: 'saas', ...body }), 201);

export function createFeature(api: EmulatorHttp, identifier: string, featureType: 'BOOLEAN' | 'CUSTOMIZABLE' | 'METER' = 'CUSTOMIZABLE') {
  const meter = featureType === 'METER' ? { featureDetails: { featureSubType: 'PRE_AGGREGATED_USAGE', units: { singular: 'call', plural: 'calls' } } } : {};
  return expectStatus<Feature>(api.post('/catalog/features/', { name: identifier, identifier, featureType, ...meter }), 201);
}

export const createPlan = (api: EmulatorHttp, product: Product, identifier = 'pro', body: Record<string, unknown> = {}) =>
  expectStatus(api.post('/catalog/plans/', { name: 'Pro', identifier, product: product.id, ...body }), 201);

export const flatPrice = (amount: number, currency = 'USD') => ({
  priceType: 'PAID',
  currency,
  chargeCatalogPrice: [{ feature: null, priceModel: 'FLAT', charges: [{ chargePeriod: 'MONTHLY', priceData: { amount } }] }],
});

export const setPrices = (api: EmulatorHttp, plan: string, prices: unknown[]) =>
  expectStatus(api.post(`/catalog/plans/${plan}/prices/bulk/`, { prices }), 200);

export const publish = (api: EmulatorHttp, plan: string, body?: unknown) =>
  expectStatus(api.post(`/catalog/plans/${plan}/publish/`, body), 200);

/** A plan `pro` on product `acme` with a USD price, published as version 1; entitlement on `seats` = 5. */
export async function publishedPlan(api: EmulatorHttp): Promise<{ product: Product; seats: Feature }> {
  const product = await createProduct(api);
  const seats = await createFeature(api, 'seats');
  await createPlan(api, product);
  await expectStatus(api.post('/catalog/plans/pro/features/', { planEntitlements: [{ feature: seats.id, details: { value: 5 } }] }), 201);
  await setPrices(api, 'pro', [flatPrice(29)]);
  await publish(api, 'pro');
  return { product, seats };
}

export async function planVersion(api: EmulatorHttp, plan: string, version?: number) {
  return expectStatus(api.get(`/catalog/plans/${plan}/${version === undefined ? '' : `?version=${version}`}`), 200);
}
