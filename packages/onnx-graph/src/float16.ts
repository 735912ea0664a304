const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** IEEE half bits -> float32 value. */
export function float16ToFloat32(h: number): number {
  const s = h & 0x8000 ? -1 : 1;
  const e = (h >> 10) & 0x1f;
  const m = h & 0x3ff;
  if (e === 0) return s * m * 2 ** -24;
  if (e === 31) return m ? NaN : s * Infinity;
  return s * (1 + m / 1024) * 2 ** (e - 15);
}

/** float32 value -> IEEE half bits, rounding to nearest even (overflow -> ±Inf). */
export function float32ToFloat16(v: number): number {
  f32[0] = v;
  const x = u32[0]!;
  const sign = (x >>> 16) & 0x8000;
  const exp = (x >>> 23) & 0xff;
  const mant = x & 0x7fffff;
  if (exp === 0xff) return sign | 0x7c00 | (mant ? 0x200 : 0);
  const e = exp - 127 + 15;
  if (e >= 31) return sign | 0x7c00;
  if (e <= 0) {
    if (e < -10) return sign;
    const m = mant | 0x800000;
    const shift = 14 - e;
    const half = 1 << (shift - 1);
    let r = m >>> shift;
    const rest = m & ((1 << shift) - 1);
    if (rest > half || (rest === half && r & 1)) r++;
    return sign | r;
  }
  let r = (e << 10) | (mant >>> 13);
  const rest = mant & 0x1fff;
  if (rest > 0x1000 || (rest === 0x1000 && r & 1)) r++;
  return sign | r;
}

/** bfloat16 bits -> float32 value. */
export function bfloat16ToFloat32(b: number): number {
  u32[0] = b << 16;
  return f32[0]!;
}

/** float32 value -> bfloat16 bits, rounding to nearest even (as torch does). */
export function float32ToBfloat16(v: number): number {
  f32[0] = v;
  const x = u32[0]!;
  if ((x & 0x7f800000) === 0x7f800000 && x & 0x7fffff) return ((x >>> 16) | 0x40) & 0xffff;
  return ((x + 0x7fff + ((x >>> 16) & 1)) >>> 16) & 0xffff;
}

/** Converts 16-bit float bits (half or bfloat16) to a Float32Array. */
export function widen16(bits: Uint16Array, kind: 'float16' | 'bfloat16'): Float32Array {
  const f = kind === 'float16' ? float16ToFloat32 : bfloat16ToFloat32;
  return Float32Array.from(bits, f);
}

/** Converts float32 values to 16-bit float bits (half or bfloat16). */
export function narrow16(values: ArrayLike<number>, kind: 'float16' | 'bfloat16'): Uint16Array {
  const f = kind === 'float16' ? float32ToFloat16 : float32ToBfloat16;
  return Uint16Array.from(values, f);
}
