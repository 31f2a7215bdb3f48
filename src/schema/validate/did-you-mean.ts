/**
 * "Did you mean …?" suggestions for misspelled keys, enum values and identifiers.
 *
 * Comparison ignores case, `_` and `-` first (so `feature_type` finds `featureType`, `paid` finds `PAID`), then
 * uses the optimal-string-alignment Damerau–Levenshtein distance, so a swapped pair of letters (`TEIRED`) costs
 * one edit like a typo does. The threshold grows with the word: short words must be close to be suggested.
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
  if (length <= 3) return 1;
  if (length <= 7) return 2;
  return 3;
}

/** The closest candidate within the typo threshold, or undefined. Never suggests the word itself. */
export function closestMatch(word: string, candidates: Iterable<string>): string | undefined {
  const normalizedWord = normalize(word);
  const limit = typoThreshold(normalizedWord.length);
  let best: string | undefined;
  let bestDistance = limit + 1;
  for (const candidate of candidates) {
    if (candidate === word) continue;
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
