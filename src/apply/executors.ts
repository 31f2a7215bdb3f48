/**
 * One executor per action kind. Each turns its action into API calls, resolving identifiers to UUIDs through
 * `Ids`. Writes whose outcome is unknown (timeout, reset, gateway error on a non-idempotent call) are resolved
 * by reading the live state before trying again: never a duplicate create, never a double publish.
 */
import { KelviqApiError, KelviqRequestError, ResponseShapeError, UnknownOutcomeError, type KelviqClient, type PlanWire } from '../client/index.js';
import type { Action, ActionKind, ActionOf } from './actions.js';
import {
  Ids,
  entitlementDetailsBody,
  featureCreateBody,
  planCreateBody,
  planUpdateBody,
  priceBodies,
  productCreateBody,
  productSettingsBody,
} from './bodies.js';

export interface ExecutionContext {
  client: KelviqClient;
  ids: Ids;
}

type Executor<K extends ActionKind> = (action: ActionOf<K>, context: ExecutionContext) => Promise<void>;

/** How many times an unknown outcome is looked up and the write retried before giving up. */
const UNKNOWN_OUTCOME_ATTEMPTS = 4;

/**
 * Runs a non-idempotent write. On an unknown outcome, asks `alreadyDone` (a read) whether it happened; if not,
 * tries again. The read is what makes the retry safe.
 */
async function writeOnce<T>(write: () => Promise<T>, alreadyDone: () => Promise<boolean>): Promise<void> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      await write();
      return;
    } catch (error) {
      if (!(error instanceof UnknownOutcomeError) || attempt >= UNKNOWN_OUTCOME_ATTEMPTS) throw error;
      if (await alreadyDone()) return;
    }
  }
}

const executors: { [K in ActionKind]: Executor<K> } = {
  async 'create-product'(action, { client, ids }) {
    const id = await createOnce(action.product.identifier, () => client.createProduct(productCreateBody(action.product)), () => client.listProducts());
    if (id) ids.products.set(action.product.identifier, id);
  },

  async 'update-product'(action, { client, ids }) {
    await client.updateProduct(ids.product(action.product), action.fields);
  },

  async 'update-product-settings'(action, { client, ids }) {
    await client.updateProductSettings(ids.product(action.product), productSettingsBody(action.settings));
  },

  async 'create-feature'(action, { client, ids }) {
    const identifier = action.feature.identifier;
    try {
      const id = await createOnce(identifier, () => client.createFeature(featureCreateBody(action.feature)), () => client.listFeatures());
      if (id) ids.features.set(identifier, id);
    } catch (error) {
      // Features cannot be read by identifier, so an archived one holding it shows only as this refusal.
      if (error instanceof KelviqApiError && error.status === 400 && /identifier/i.test(error.serverMessage)) {
        if (!(await client.listFeatures()).some((feature) => feature.identifier === identifier)) {
          throw new IdentifierHeldError(
            `feature ${identifier}: Kelviq refused the create because the identifier is taken, yet no active feature has it, so an archived feature holds it (archived features keep their identifier; server said: ${error.serverMessage}). Give the feature another identifier in the catalog.`,
            { cause: error },
          );
        }
      }
      throw error;
    }
  },

  async 'create-plan'(action, { client, ids }) {
    const identifier = action.plan.identifier;
    await writeOnce(
      () => client.createPlan(planCreateBody(action.plan, ids)),
      async () => {
        // A GET by identifier may return an archived plan: that is not this create having landed.
        const found = await findPlan(client, identifier);
        if (found?.isArchived) {
          throw new IdentifierHeldError(
            `plan ${identifier}: the create's outcome was unknown, and the plan Kelviq holds under that identifier is archived, so nothing was created (archived plans keep their identifier). Give the plan another identifier in the catalog.`,
          );
        }
        return found !== undefined;
      },
    );
  },

  async 'update-plan'(action, { client }) {
    await client.updatePlan(action.plan, planUpdateBody(action.fields));
  },

  async 'remove-entitlement'(action, { client }) {
    await client.removeEntitlement(action.plan, action.feature);
  },

  async 'update-entitlement'(action, { client }) {
    await client.updateEntitlement(action.plan, action.feature, entitlementDetailsBody(action.details));
  },

  async 'add-entitlements'(action, { client, ids }) {
    let missing = Object.keys(action.entitlements);
    await writeOnce(
      () =>
        client.addEntitlements(action.plan, {
          planEntitlements: missing.map((feature) => ({
            feature: ids.feature(feature),
            details: entitlementDetailsBody(action.entitlements[feature] ?? {}),
          })),
        }),
      async () => {
        // The batch may have landed whole; the API rejects a feature already on the plan, so add only the rest.
        const present = new Set((await client.listEntitlements(action.plan)).map((e) => e.feature.identifier));
        missing = missing.filter((feature) => !present.has(feature));
        return missing.length === 0;
      },
    );
  },

  async 'replace-prices'(action, { client, ids }) {
    await client.replacePrices(action.plan, { prices: priceBodies(action.prices, ids) });
  },

  async 'publish-plan'(action, { client }) {
    // A plan is published only when its newest version is a draft (isLatest false); so after an unknown
    // outcome, a newest version that is latest means this publish landed. No read is needed up front.
    await writeOnce(
      () => client.publishPlan(action.plan, { updateFeatures: action.updateFeatures, updatePricing: action.updatePricing }),
      async () => (await client.getPlan(action.plan)).isLatest,
    );
  },

  async 'archive-plan'(action, { client }) {
    await client.archivePlan(action.plan);
  },

  async 'archive-feature'(action, { client, ids }) {
    await client.archiveFeature(ids.feature(action.feature));
  },
};

/**
 * Creates a product or feature once and returns its UUID. After an unknown outcome the live list says whether
 * the create landed (identifiers are unique), and gives the UUID when it did.
 */
async function createOnce(
  identifier: string,
  create: () => Promise<{ id: string }>,
  listLive: () => Promise<Array<{ id: string; identifier: string }>>,
): Promise<string | undefined> {
  let id: string | undefined;
  await writeOnce(
    async () => void (id = (await create()).id),
    async () => {
      id = (await listLive()).find((item) => item.identifier === identifier)?.id;
      return id !== undefined;
    },
  );
  return id;
}

async function findPlan(client: KelviqClient, identifier: string): Promise<PlanWire | undefined> {
  try {
    return await client.getPlan(identifier);
  } catch (error) {
    if (error instanceof KelviqApiError && error.status === 404) return undefined;
    throw error;
  }
}

/**
 * A failure no rerun can fix: an identifier held by an archived resource stays held. Reports must not promise
 * that running apply again converges.
 */
export class IdentifierHeldError extends Error {
  override name = 'IdentifierHeldError';
}

/**
 * Whether running apply again can be expected to get past this failure: transient server or network trouble,
 * an unknown outcome (the next plan reads what happened), a rate limit, an interruption. A refusal for a reason
 * in the request or the account (4xx, an identifier held by an archived resource) repeats until someone acts.
 */
export function rerunCanFix(error: Error): boolean {
  if (error instanceof IdentifierHeldError) return false;
  if (error instanceof KelviqApiError) return error.status >= 500 || error.status === 429;
  return error instanceof KelviqRequestError && !(error instanceof ResponseShapeError);
}

export function executeAction(action: Action, context: ExecutionContext): Promise<void> {
  const executor = executors[action.kind] as Executor<typeof action.kind>;
  return executor(action as never, context);
}
