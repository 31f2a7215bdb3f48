/** Features: create, read, archive. There is no update endpoint (the route table answers PATCH with 405). */
import { newId, nowIso, slugify } from '../model/ids.js';
import type { FeatureRecord } from '../model/records.js';
import type { CatalogStore } from '../model/store.js';
import { FieldErrors, businessError, notFound, parseBody } from './errors.js';
import { paginate } from './pagination.js';
import { json, noContent, param, type Route, type RouteContext } from './route.js';
import { FeatureCreate } from './schemas.js';
import { featureWire } from './serialize.js';

export function createFeature(store: CatalogStore, body: unknown, id: string = newId()): FeatureRecord {
  const errors = new FieldErrors();
  const input = parseBody(FeatureCreate, body, errors);
  const identifier = input.identifier ?? slugify(input.name);
  if (!identifier) errors.add(['identifier'], 'Could not derive an identifier from the name; send one.');
  else if (store.featureByIdentifier(identifier)) errors.add(['identifier'], 'feature with this identifier already exists.');
  errors.throwIfAny();
  const server = store.values.feature(input.featureType);
  const feature: FeatureRecord = {
    id,
    identifier,
    name: input.name,
    description: input.description ?? server.description,
    featureType: input.featureType,
    featureDetails: input.featureDetails ?? server.featureDetails,
    meter: input.meter ?? server.meter,
    metadata: input.metadata ?? server.metadata,
    details: {},
    archived: false,
    modifiedOn: nowIso(),
  };
  store.features.set(feature.id, feature);
  return feature;
}

function existingFeature(context: RouteContext): FeatureRecord {
  const feature = context.store.features.get(param(context, 'pk'));
  if (!feature) throw notFound();
  return feature;
}

const matchesSearch = (feature: FeatureRecord, search: string | null) =>
  !search || [feature.name, feature.identifier, feature.description].some((text) => text.toLowerCase().includes(search.toLowerCase()));

export const featureRoutes: Route[] = [
  {
    method: 'GET',
    template: '/catalog/features/',
    handle(context) {
      const search = context.url.searchParams.get('search');
      const visible = [...context.store.features.values()].filter((f) => !f.archived && matchesSearch(f, search));
      const page = paginate(visible, context.url);
      return json({ ...page, results: page.results.map(featureWire) });
    },
  },
  {
    method: 'POST',
    template: '/catalog/features/',
    handle: (context) => json(featureWire(createFeature(context.store, context.body)), 201),
  },
  {
    method: 'GET',
    template: '/catalog/features/{pk}/',
    handle: (context) => json(featureWire(existingFeature(context))),
  },
  {
    method: 'DELETE',
    template: '/catalog/features/{pk}/',
    handle(context) {
      const feature = existingFeature(context);
      if (feature.archived) throw businessError(`Feature ${feature.identifier} is already archived.`);
      feature.archived = true;
      feature.modifiedOn = nowIso();
      return noContent();
    },
  },
];
