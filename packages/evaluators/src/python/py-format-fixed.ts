import { roundedUnits, unitsText } from './exact-decimal';

/**
 * Python `f"{x:.{digits}f}"`: the exact binary value rounded half-to-even (`f"{0.125:.2f}"` is
 * `'0.12'`, where `toFixed` gives `'0.13'`); `nan`, `inf`, `-inf` as Python writes them.
 */
export function pyFormatFixed(x: number, digits: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
  if (!Number.isInteger(digits) || digits < 0) throw new RangeError(`digits must be a non-negative integer, got ${digits}`);
  return unitsText(roundedUnits(x, digits), digits, x < 0 || Object.is(x, -0));
}
