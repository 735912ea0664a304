/** Round half to even at integers, like C's `rint` in the default rounding mode. */
function rint(y: number): number {
  if (!Number.isFinite(y)) return y;
  const a = Math.abs(y);
  const f = Math.floor(a);
  const frac = a - f; // exact for doubles
  const r = frac > 0.5 ? f + 1 : frac < 0.5 ? f : f % 2 === 0 ? f : f + 1;
  return y < 0 ? -r : r;
}

/**
 * numpy's `np.round(x, decimals)` (also Python `round()` on a `np.float64`): scales by 10^decimals,
 * rounds half to even, scales back, so it rounds the *scaled* double, not the exact value:
 * `np.round(0.15, 1) == 0.2` where Python's `round(0.15, 1) == 0.1`.
 */
export function npRound(x: number, decimals: number): number {
  if (!Number.isInteger(decimals)) throw new TypeError(`decimals must be an integer, got ${decimals}`);
  if (decimals >= 0) {
    const f = 10 ** decimals;
    return rint(x * f) / f;
  }
  const f = 10 ** -decimals;
  return rint(x / f) * f;
}
