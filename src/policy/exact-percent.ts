/**
 * Whether a price change goes beyond a limit in percent, decided on the decimals as written, not in floating
 * point: `(0.42 - 0.35) / 0.35 * 100` is 20.000000000000004 in binary floating point, so a limit of 20 would
 * flag an increase of exactly 20%. Each number is taken as its shortest decimal text (what the catalog or Kelviq
 * wrote: `String(0.35)` is "0.35") and compared as integers.
 */

interface Decimal {
  /** The value is digits × 10^-scale. */
  digits: bigint;
  scale: number;
}

function decimalOf(value: number): Decimal {
  const match = /^(-?)(\d+)(?:\.(\d+))?(?:e([+-]\d+))?$/.exec(String(value));
  if (!match) throw new RangeError(`not a finite number: ${value}`);
  const [, sign, whole, fraction = '', exponent = '0'] = match;
  let digits = BigInt(`${sign}${whole}${fraction}`);
  let scale = fraction.length - Number(exponent);
  if (scale < 0) {
    digits *= 10n ** BigInt(-scale);
    scale = 0;
  }
  return { digits, scale };
}

const abs = (value: bigint) => (value < 0n ? -value : value);

/**
 * |after - before| / |before| × 100 > limit, exactly. From 0, any change goes beyond any limit (it is an infinite
 * change in percent).
 */
export function changeBeyondPercent(before: number, after: number, limit: number): boolean {
  const b = decimalOf(before);
  const a = decimalOf(after);
  const l = decimalOf(limit);
  const scale = Math.max(a.scale, b.scale);
  const at = (d: Decimal) => d.digits * 10n ** BigInt(scale - d.scale);
  const difference = abs(at(a) - at(b));
  // Both sides × 10^(scale + l.scale): |A - B| × 100 × 10^l.scale against l.digits × |B|.
  return difference * 100n * 10n ** BigInt(l.scale) > l.digits * abs(at(b));
}
