/** Products and their settings. Archived products stay retrievable (DELETE of one answers 400) but leave lists. */
import { newId, nowIso, slugify } from '../model/ids.js';
import type { ProductRecord } from '../model/records.js';
import type { CatalogStore } from '../model/store.js';
import { FieldErrors, businessError, notFound, parseBody } from './errors.js';
import { paginate } from './pagination.js';
import { json, noContent, param, type Route, type RouteContext } from './route.js';
import { ProductCreate, ProductSettingsUpdate, ProductUpdate } from './schemas.js';
import { productRetrieveWire, productWire, settingsWire } from './serialize.js';

export function createProduct(store: CatalogStore, body: unknown, id: string = newId()): ProductRecord {
  const errors = new FieldErrors();
  const input = parseBody(ProductCreate, body, errors);
  const identifier = input.identifier ?? slugify(input.name);
  if (!identifier) errors.add(['identifier'], 'Could not derive an identifier from the name; send one.');
  else if (store.productByIdentifier(identifier)) errors.add(['identifier'], 'product with this identifier already exists.');
  errors.throwIfAny();
  const server = store.values.product();
  const product: ProductRecord = {
    id,
    identifier,
    name: input.name,
    description: input.description ?? server.description,
    taxCode: input.taxCode,
    createdBy: server.createdBy,
    modifiedOn: nowIso(),
    archived: false,
    settings: null,
  };
  store.products.set(product.id, product);
  return product;
}

function existingProduct(context: RouteContext): ProductRecord {
  const product = context.store.products.get(param(context, 'pk'));
  if (!product) throw notFound();
  return product;
}

const matchesSearch = (product: ProductRecord, search: string | null) =>
  !search || [product.name, product.identifier, product.description].some((text) => text.toLowerCase().includes(search.toLowerCase()));

export const productRoutes: Route[] = [
  {
    method: 'GET',
    template: '/catalog/products/',
    handle(context) {
      const search = context.url.searchParams.get('search');
      const visible = [...context.store.products.values()].filter((p) => !p.archived && matchesSearch(p, search));
      const page = paginate(visible, context.url);
      return json({ ...page, results: page.results.map(productWire) });
    },
  },
  {
    method: 'POST',
    template: '/catalog/products/',
    handle: (context) => json(productWire(createProduct(context.store, context.body)), 201),
  },
  {
    method: 'GET',
    template: '/catalog/products/{pk}/',
    handle: (context) => json(productRetrieveWire(context.store, existingProduct(context))),
  },
  {
    method: 'PATCH',
    template: '/catalog/products/{pk}/',
    handle(context) {
      const product = existingProduct(context);
      const input = parseBody(ProductUpdate, context.body);
      if (input.name !== undefined) product.name = input.name;
      if (input.description !== undefined) product.description = input.description;
      if (input.taxCode !== undefined) product.taxCode = input.taxCode;
      product.modifiedOn = nowIso();
      return json(productWire(product));
    },
  },
  {
    method: 'DELETE',
    template: '/catalog/products/{pk}/',
    handle(context) {
      const product = existingProduct(context);
      if (product.archived) throw businessError(`Product ${product.identifier} is already archived.`);
      product.archived = true;
      product.modifiedOn = nowIso();
      return noContent();
    },
  },
  {
    method: 'GET',
    template: '/catalog/products/{pk}/settings/',
    handle: (context) => json(settingsWire(context.store.settingsOf(existingProduct(context)))),
  },
  {
    method: 'PATCH',
    template: '/catalog/products/{pk}/settings/',
    handle(context) {
      const product = existingProduct(context);
      const input = parseBody(ProductSettingsUpdate, context.body);
      const settings = context.store.settingsOf(product);
      if (input.vpn !== undefined) settings.vpn = input.vpn;
      if (input.tor !== undefined) settings.tor = input.tor;
      if (input.proxy !== undefined) settings.proxy = input.proxy;
      if (input.productUrl !== undefined) settings.productUrl = input.productUrl || null;
      if (input.currency !== undefined) {
        settings.currency = input.currency;
        reenablePricesIn(context.store, product, input.currency);
      }
      return json(settingsWire(settings));
    },
  },
];

/** "Changing currency re-enables previously disabled prices in the new currency on the latest plans." */
function reenablePricesIn(store: CatalogStore, product: ProductRecord, currency: string): void {
  for (const plan of store.plans.values()) {
    if (plan.productId !== product.id || plan.archived) continue;
    for (const price of store.newestVersion(plan).prices) {
      if (typeof price.currency === 'string' && price.currency.toUpperCase() === currency.toUpperCase()) price.enabled = true;
    }
  }
}
