/**
 * Money is an integer number of fen (分) everywhere (docs/api.md): ratios are computed with BigInt
 * so that "exactly 10 %" of a large estimate is never lost to floating point (第二十条).
 */
export type Fen = number;

export function isFen(value: unknown): value is Fen {
  return typeof value === 'number' && Number.isSafeInteger(value);
}

/** `part / whole <= basisPoints / 10000`, exact. */
export function withinBasisPoints(part: Fen, whole: Fen, basisPoints: number): boolean {
  return BigInt(part) * 10_000n <= BigInt(whole) * BigInt(basisPoints);
}

/** The largest amount still within the ceiling, rounded down to whole fen. */
export function ceilingOf(whole: Fen, basisPoints: number): Fen {
  return Number((BigInt(whole) * BigInt(basisPoints)) / 10_000n);
}
