/**
 * Keys written at the wrong level, and values written in the wrong shape: mistakes a typo distance cannot see
 * (`amount` is spelled right, it just belongs one level down in `priceData`). Each hint says where the key
 * belongs and, where it helps, what to write.
 */
import type { PathSegment } from '../load/node-path.js';

/**
 * Where each known misplaced key belongs, by where it was found: the path of the mapping holding it, list
 * indexes written as `[]` (`prices[].chargeCatalogPrice[].charges[]`), and the path it belongs at relative to
 * that mapping. A key may appear under several paths; an entry applies only when the first key of its
 * destination is allowed where the key was found (a `currency` at a plan's top belongs in `prices`, at a
 * product's top in `settings`).
 */
const MISPLACED: ReadonlyArray<{ at: string; key: string; belongs: string }> = [
  // features
  { at: '', key: 'type', belongs: 'featureType' },
  { at: '', key: 'featureSubType', belongs: 'featureDetails.featureSubType' },
  { at: '', key: 'subType', belongs: 'featureDetails.featureSubType' },
  { at: '', key: 'units', belongs: 'featureDetails.units' },
  { at: '', key: 'aggregation', belongs: 'meter.aggregation' },
  { at: '', key: 'filters', belongs: 'meter.filters' },
  // products
  { at: '', key: 'currency', belongs: 'settings.currency' },
  // plans
  { at: '', key: 'features', belongs: 'entitlements' },
  { at: '', key: 'price', belongs: 'prices' },
  { at: '', key: 'currency', belongs: 'prices[].currency' },
  { at: '', key: 'priceType', belongs: 'prices[].priceType' },
  { at: '', key: 'amount', belongs: 'prices[].chargeCatalogPrice[].charges[].priceData.amount' },
  { at: '', key: 'expiry', belongs: 'license.hasExpiry' },
  // prices
  { at: 'prices[]', key: 'priceModel', belongs: 'chargeCatalogPrice[].priceModel' },
  { at: 'prices[]', key: 'feature', belongs: 'chargeCatalogPrice[].feature' },
  { at: 'prices[]', key: 'charges', belongs: 'chargeCatalogPrice[].charges' },
  { at: 'prices[]', key: 'chargePeriod', belongs: 'chargeCatalogPrice[].charges[].chargePeriod' },
  { at: 'prices[]', key: 'amount', belongs: 'chargeCatalogPrice[].charges[].priceData.amount' },
  { at: 'prices[]', key: 'trial', belongs: 'freeTrial' },
  // charge-catalog prices
  { at: 'prices[].chargeCatalogPrice[]', key: 'chargePeriod', belongs: 'charges[].chargePeriod' },
  { at: 'prices[].chargeCatalogPrice[]', key: 'priceData', belongs: 'charges[].priceData' },
  { at: 'prices[].chargeCatalogPrice[]', key: 'tiers', belongs: 'charges[].tiers' },
  { at: 'prices[].chargeCatalogPrice[]', key: 'amount', belongs: 'charges[].priceData.amount' },
  { at: 'prices[].chargeCatalogPrice[]', key: 'currency', belongs: 'the price (prices[].currency)' },
  // charges
  { at: 'prices[].chargeCatalogPrice[].charges[]', key: 'amount', belongs: 'priceData.amount' },
  { at: 'prices[].chargeCatalogPrice[].charges[]', key: 'block_size', belongs: 'priceData.block_size' },
  { at: 'prices[].chargeCatalogPrice[].charges[]', key: 'blockSize', belongs: 'priceData.block_size' },
  { at: 'prices[].chargeCatalogPrice[].charges[]', key: 'currency', belongs: 'priceData.currency' },
  { at: 'prices[].chargeCatalogPrice[].charges[]', key: 'upTo', belongs: 'tiers[].upTo' },
  { at: 'prices[].chargeCatalogPrice[].charges[]', key: 'unitAmount', belongs: 'tiers[].unitAmount' },
  { at: 'prices[].chargeCatalogPrice[].charges[]', key: 'priceModel', belongs: 'the charge-catalog price above (chargeCatalogPrice[].priceModel)' },
  { at: 'prices[].chargeCatalogPrice[].charges[]', key: 'min_quantity', belongs: 'advanced.min_quantity' },
  { at: 'prices[].chargeCatalogPrice[].charges[]', key: 'max_quantity', belongs: 'advanced.max_quantity' },
  // entitlement details
  { at: 'entitlements.*', key: 'unlimited', belongs: 'hasUnlimitedUsage' },
  { at: 'entitlements.*', key: 'limit', belongs: 'value' },
];

/** `prices[].chargeCatalogPrice[]`: the path with list indexes as `[]`, entitlement keys (user identifiers) as `*`. */
function pattern(path: readonly PathSegment[]): string {
  let text = '';
  path.forEach((segment, index) => {
    if (typeof segment === 'number') text += '[]';
    else text += `${text ? '.' : ''}${index > 0 && path[index - 1] === 'entitlements' ? '*' : segment}`;
  });
  return text;
}

const head = (belongs: string) => belongs.split(/[.[]/)[0]!;

/** `priceData: { amount: 29 }`: the destination written out, when it is plain nesting of mappings. */
function example(belongs: string, value: unknown): string | undefined {
  if (belongs.includes('[]') || belongs.includes(' ')) return undefined;
  const written = typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? String(value) : '…';
  return belongs
    .split('.')
    .reverse()
    .reduce((inner, key, index) => (index === 0 ? `${key}: ${written}` : `${key}: { ${inner} }`), '');
}

function findMisplaced(path: readonly PathSegment[], key: string, allowed: readonly string[]) {
  const at = pattern(path);
  return MISPLACED.find((candidate) => candidate.at === at && candidate.key === key && (candidate.belongs.includes(' ') || allowed.includes(head(candidate.belongs))));
}

/** The key of this level an unknown key stands for (`type` → `featureType`), when it is a known renaming. */
export function renamedKey(path: readonly PathSegment[], key: string, allowed: readonly string[]): string | undefined {
  const entry = findMisplaced(path, key, allowed);
  return entry && !/[.[ ]/.test(entry.belongs) ? entry.belongs : undefined;
}

/**
 * The hint for an unknown key that is a known misplacement here: `; did you mean "featureType"?` for a key
 * named differently at this level, `; it belongs in priceData: write priceData: { amount: 29 }` for one
 * level down. Empty when the key is not a known misplacement at this path.
 */
export function misplacedKeyHint(path: readonly PathSegment[], key: string, value: unknown, allowed: readonly string[]): string {
  const entry = findMisplaced(path, key, allowed);
  if (!entry) return '';
  if (!/[.[ ]/.test(entry.belongs)) return `; did you mean "${entry.belongs}"?`;
  const written = example(entry.belongs, value);
  return `; it belongs in ${entry.belongs.includes(' ') ? entry.belongs : `${head(entry.belongs)}: ${entry.belongs}`}${written ? ` (write ${written})` : ''}`;
}

/** An example mapping line for one item of an `entitlements` list, when the item says which feature it is. */
function entitlementLine(item: unknown): string | undefined {
  if (typeof item === 'string') return `${item}: true`;
  if (typeof item !== 'object' || item === null || Array.isArray(item)) return undefined;
  const record = item as Record<string, unknown>;
  const feature = record.feature ?? record.identifier ?? record.featureIdentifier;
  if (typeof feature === 'string') {
    const rest = Object.entries(record).filter(([key]) => !['feature', 'identifier', 'featureIdentifier'].includes(key));
    if (rest.length === 1 && rest[0]![0] === 'value') return `${feature}: ${String(rest[0]![1])}`;
    return `${feature}: { ${rest.map(([key, value]) => `${key}: ${typeof value === 'object' ? '…' : String(value)}`).join(', ')} }`;
  }
  const entries = Object.entries(record);
  if (entries.length === 1 && typeof entries[0]![1] !== 'object') return `${entries[0]![0]}: ${String(entries[0]![1])}`;
  return undefined;
}

/** What to write instead of a value of a well-known wrong shape, or the empty string. */
export function shapeHint(path: readonly PathSegment[], received: unknown): string {
  if (path[path.length - 1] === 'entitlements' && Array.isArray(received)) {
    const lines = received.slice(0, 3).map(entitlementLine);
    const shown = lines.every((line) => line !== undefined) && lines.length ? lines : ['sso: true', 'seats: 5'];
    const more = received.length > 3 ? ', …' : '';
    return `; entitlements is a mapping from feature identifier to what the plan grants, not a list: write entitlements: { ${shown.join(', ')}${more} }`;
  }
  return '';
}
