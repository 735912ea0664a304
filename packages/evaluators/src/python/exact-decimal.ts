/**
 * Exact decimal expansion of a finite double as `num / 10^scale` (a double is m·2^e, and
 * 2^-k = 5^k / 10^k, so every double has a finite decimal expansion).
 */
export function exactDecimal(x: number): { num: bigint; scale: number } {
  const buf = new DataView(new ArrayBuffer(8));
  buf.setFloat64(0, x);
  const bits = buf.getBigUint64(0);
  const negative = bits >> 63n === 1n;
  const expBits = Number((bits >> 52n) & 0x7ffn);
  const fracBits = bits & ((1n << 52n) - 1n);
  const mantissa = expBits === 0 ? fracBits : fracBits | (1n << 52n);
  const exp2 = (expBits === 0 ? 1 : expBits) - 1075;
  if (exp2 >= 0) return { num: (negative ? -1n : 1n) * (mantissa << BigInt(exp2)), scale: 0 };
  return { num: (negative ? -1n : 1n) * mantissa * 5n ** BigInt(-exp2), scale: -exp2 };
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
 * The exact value of finite `x` rounded half-to-even at `digits` decimals, as an integer count of
 * 10^-digits units (digits may be negative: tens, hundreds...).
 */
export function roundedUnits(x: number, digits: number): bigint {
  const { num, scale } = exactDecimal(x);
  const drop = scale - digits;
  if (drop <= 0) return num * 10n ** BigInt(-drop);
  return divHalfEven(num, 10n ** BigInt(drop));
}

/** Decimal text of `units · 10^-digits` with exactly `max(digits, 0)` decimals (`-0` kept when `negative`). */
export function unitsText(units: bigint, digits: number, negative: boolean): string {
  const neg = units < 0n || (units === 0n && negative);
  const abs = (units < 0n ? -units : units).toString();
  if (digits <= 0) return `${neg ? '-' : ''}${abs}${units === 0n ? '' : '0'.repeat(-digits)}`;
  const padded = abs.padStart(digits + 1, '0');
  return `${neg ? '-' : ''}${padded.slice(0, padded.length - digits)}.${padded.slice(padded.length - digits)}`;
}
