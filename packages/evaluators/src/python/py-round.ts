/**
 * Exact decimal expansion of a finite double as `numerator / 10^scale` (a double is m·2^e, and
 * 2^-k = 5^k / 10^k, so every double has a finite decimal expansion).
 */
function exactDecimal(x: number): { num: bigint; scale: number } {
  const buf = new DataView(new ArrayBuffer(8));
  buf.setFloat64(0, x);
  const bits = buf.getBigUint64(0);
  const negative = bits >> 63n === 1n;
  const expBits = Number((bits >> 52n) & 0x7ffn);
  const fracBits = bits & ((1n << 52n) - 1n);
  const mantissa = expBits === 0 ? fracBits : fracBits | (1n << 52n);
  const exp2 = (expBits === 0 ? 1 : expBits) - 1075;
  let num: bigint;
  let scale: number;
  if (exp2 >= 0) {
    num = mantissa << BigInt(exp2);
    scale = 0;
  } else {
    num = mantissa * 5n ** BigInt(-exp2);
    scale = -exp2;
  }
  return { num: negative ? -num : num, scale };
}

/** Integer division rounding half to even, for a positive divisor. */
function divHalfEven(n: bigint, d: bigint): bigint {
  const neg = n < 0n;
  const a = neg ? -n : n;
  let q = a / d;
  const r = a % d;
  if (2n * r > d || (2n * r === d && q % 2n === 1n)) q += 1n;
  return neg ? -q : q;
}

/**
 * Python `round(x, ndigits)` for floats: rounds the exact binary value half-to-even at `ndigits`
 * decimals (so `round(2.675, 2) == 2.67`, `round(0.125, 2) == 0.12`) and returns the nearest double.
 */
export function pyRound(x: number, ndigits: number): number {
  if (!Number.isFinite(x) || x === 0) return x;
  if (!Number.isInteger(ndigits)) throw new TypeError(`ndigits must be an integer, got ${ndigits}`);
  const { num, scale } = exactDecimal(x);
  const drop = scale - ndigits;
  if (drop <= 0) return x;
  const q = divHalfEven(num, 10n ** BigInt(drop));
  if (q === 0n) return x < 0 ? -0 : 0;
  const neg = q < 0n;
  const abs = (neg ? -q : q).toString();
  let text: string;
  if (ndigits >= 0) {
    const padded = abs.padStart(ndigits + 1, '0');
    text = `${padded.slice(0, padded.length - ndigits)}.${padded.slice(padded.length - ndigits)}`;
  } else {
    text = abs + '0'.repeat(-ndigits);
  }
  return Number((neg ? '-' : '') + text);
}

/** Python `round(x)` with no ndigits: nearest integer, ties to even (`round(2.5) == 2`). */
export function pyRoundInt(x: number): number {
  return pyRound(x, 0);
}
