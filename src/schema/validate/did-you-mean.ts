/**
 * "Did you mean …?" suggestions for misspelled keys, enum values and identifiers.
 *
 * Comparison ignores case, `_` and `-` first (so `feature_type` finds `featureType`, `paid` finds `PAID`), then
 * uses the optimal-string-alignment Damerau–Levenshtein distance, so a swapped pair of letters (`TEIRED`) costs
 * one edit like a typo does. The threshold grows with the word: short words must be close to be suggested.
 * Two more ways to be close: one word starting with the other (`infinity` → `inf`, `prices_old` → `prices`),
 * and the known synonyms and confusions of Kelviq's vocabulary (`ANNUAL` is YEARLY; charge periods are MONTHLY,
 * resets EVERY_MONTH).
 */

const normalize = (word: string) => word.toLowerCase().replace(/[-_\s]/g, '');

/** Optimal string alignment distance, with an early exit once every cell of a row exceeds `limit`. */
export function editDistance(a: string, b: string, limit = Number.POSITIVE_INFINITY): number {
  if (a === b) return 0;
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  let previousPrevious: number[] = [];
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    let rowMinimum = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        value = Math.min(value, previousPrevious[j - 2]! + 1);
      }
      current.push(value);
      if (value < rowMinimum) rowMinimum = value;
    }
    if (rowMinimum > limit) return limit + 1;
    previousPrevious = previous;
    previous = current;
  }
  return previous[b.length]!;
}

/** How many edits still count as a typo for a word of this length. */
export function typoThreshold(length: number): number {
  if (length <= 2) return 0; // any edit to a word this short makes another word: only case may differ
  if (length <= 3) return 1;
  if (length <= 7) return 2;
  return 3;
}

/**
 * Words for a period or a kind that are not close in spelling to the enumeration's own: synonyms (`ANNUAL`,
 * `YEAR` for `YEARLY`) and the words of one enumeration written where another is expected (charge periods are
 * MONTHLY, resets EVERY_MONTH, license durations MONTH). Each lists its candidates in order of preference; the
 * first the enumeration has is suggested.
 */
const KNOWN_CONFUSIONS: Record<string, readonly string[]> = {};
const confuse = (words: string[], candidates: string[]) => words.forEach((word) => (KNOWN_CONFUSIONS[word] = candidates));
confuse(['day', 'daily', 'perday', 'everyday'], ['DAILY', 'EVERY_DAY', 'DAY']);
confuse(['month', 'months', 'monthly', 'permonth', 'everymonth', 'mo'], ['MONTHLY', 'EVERY_MONTH', 'MONTH']);
confuse(['quarter', 'quarterly', 'perquarter', 'everyquarter'], ['QUARTERLY', 'EVERY_QUARTER']);
confuse(['year', 'years', 'yearly', 'annual', 'annually', 'peryear', 'everyyear', 'yr'], ['YEARLY', 'EVERY_YEAR', 'YEAR']);
confuse(['once', 'onetime', 'oneoff', 'single'], ['ONE_TIME']);
confuse(['none', 'no', 'off'], ['NEVER']);
confuse(['metered', 'usage', 'usagebased'], ['METER']);
confuse(['flag', 'toggle', 'bool'], ['BOOLEAN']);
confuse(['graduated', 'tier', 'tiers'], ['TIERED']);

const MIN_PREFIX = 3;

/** The closest candidate within the typo threshold, or undefined. Never suggests the word itself. */
export function closestMatch(word: string, candidates: Iterable<string>): string | undefined {
  const normalizedWord = normalize(word);
  const list = [...candidates].filter((candidate) => candidate !== word);
  const confusion = KNOWN_CONFUSIONS[normalizedWord]?.find((candidate) => candidate !== word && list.includes(candidate));
  if (confusion) return confusion;
  const typo = closestByDistance(normalizedWord, list);
  if (typo !== undefined) return typo;
  // The longest candidate that the word starts with, or that starts with the word.
  let prefixMatch: string | undefined;
  for (const candidate of list) {
    const normalized = normalize(candidate);
    const related = normalizedWord.startsWith(normalized) || normalized.startsWith(normalizedWord);
    if (related && Math.min(normalized.length, normalizedWord.length) >= MIN_PREFIX && (!prefixMatch || candidate.length > prefixMatch.length)) {
      prefixMatch = candidate;
    }
  }
  return prefixMatch;
}

function closestByDistance(normalizedWord: string, candidates: string[]): string | undefined {
  const limit = typoThreshold(normalizedWord.length);
  let best: string | undefined;
  let bestDistance = limit + 1;
  for (const candidate of candidates) {
    const distance = editDistance(normalizedWord, normalize(candidate), bestDistance);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
      if (distance === 0) break;
    }
  }
  return best;
}

/** `; did you mean "x"?` or the empty string: appended to messages. */
export function didYouMean(word: string, candidates: Iterable<string>): string {
  const match = closestMatch(word, candidates);
  return match === undefined ? '' : `; did you mean "${match}"?`;
}
