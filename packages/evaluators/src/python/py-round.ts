import { roundedUnits, unitsText } from './exact-decimal';

/**
 * Python `round(x, ndigits)` for floats: rounds the exact binary value half-to-even at `ndigits`
 * decimals (so `round(2.675, 2) == 2.67`, `round(0.125, 2) == 0.12`) and returns the nearest double.
 */
export function pyRound(x: number, ndigits: number): number {
  if (!Number.isFinite(x) || x === 0) return x;
  if (!Number.isInteger(ndigits)) throw new TypeError(`ndigits must be an integer, got ${ndigits}`);
  const units = roundedUnits(x, ndigits);
  if (units === 0n) return x < 0 ? -0 : 0;
  return Number(unitsText(units, ndigits, x < 0));
}

/** Python `round(x)` with no ndigits: nearest integer, ties to even (`round(2.5) == 2`). */
export function pyRoundInt(x: number): number {
  return pyRound(x, 0);
}
