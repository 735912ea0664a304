import type { PyValue } from './py-value';

/** Python raised while comparing (numpy's "truth value of an array ... is ambiguous", a TypeError...). */
export class PyRaised extends Error {}

type Num = { k: 'int'; v: bigint } | { k: 'float'; v: number } | { k: 'complex'; re: number; im: number };

function asNumber(x: PyValue): Num | null {
  if (x.t === 'bool') return { k: 'int', v: x.v ? 1n : 0n };
  if (x.t === 'int') return { k: 'int', v: x.v };
  if (x.t === 'float') return { k: 'float', v: x.v };
  if (x.t === 'complex') return { k: 'complex', re: x.re, im: x.im };
  return null;
}

// Python compares an int and a float exactly (no rounding of the int to a double).
function floatEqualsInt(f: number, i: bigint): boolean {
  return Number.isFinite(f) && Number.isInteger(f) && BigInt(f) === i;
}

function realEquals(a: Num & { k: 'int' | 'float' }, b: Num & { k: 'int' | 'float' }): boolean {
  if (a.k === 'int' && b.k === 'int') return a.v === b.v;
  if (a.k === 'float' && b.k === 'float') return a.v === b.v;
  return a.k === 'float' ? floatEqualsInt(a.v, b.v as bigint) : floatEqualsInt(b.v as number, a.v);
}

function numberEquals(a: Num, b: Num): boolean {
  if (a.k !== 'complex' && b.k !== 'complex') return realEquals(a, b);
  const [c, o] = a.k === 'complex' ? [a, b] : [b as Num & { k: 'complex' }, a];
  if (o.k === 'complex') return c.re === o.re && c.im === o.im;
  return c.im === 0 && realEquals({ k: 'float', v: c.re }, o);
}

/**
 * Hash-compatible key of a hashable value (Python makes `1`, `1.0`, `True` one dict key), or null
 * for values that can never be found again (NaN is a fresh object each time it is parsed).
 */
export function pyKey(x: PyValue): string | null {
  const n = asNumber(x);
  if (n) {
    if (n.k === 'int') return `n${n.v}`;
    const re = n.k === 'float' ? n.v : n.re;
    const im = n.k === 'complex' ? n.im : 0;
    if (Number.isNaN(re) || Number.isNaN(im)) return null;
    if (im !== 0) return `c${re},${im}`;
    return Number.isInteger(re) ? `n${BigInt(re)}` : `f${re}`;
  }
  switch (x.t) {
    case 'none':
      return 'N';
    case 'str':
      return `s${x.v}`;
    case 'bytes':
      return `y${x.v}`;
    case 'tuple': {
      const parts = x.v.map(pyKey);
      return parts.includes(null) ? null : `t${JSON.stringify(parts)}`;
    }
    case 'set': {
      const parts = x.v.map(pyKey);
      return parts.includes(null) ? null : `S${JSON.stringify([...new Set(parts)].sort())}`;
    }
    default:
      return null;
  }
}

/** Python `bool(a == b)` where a is a numpy array inside a container comparison. */
function arrayTruth(a: PyValue & { t: 'ndarray' }, b: PyValue): boolean {
  if (a.v.length === 0) return false;
  if (a.v.length > 1) throw new PyRaised('The truth value of an array with more than one element is ambiguous');
  let other = b;
  while ((other.t === 'list' || other.t === 'tuple') && other.v.length === 1) other = other.v[0]!;
  // Broadcasting against a longer sequence gives several elements again.
  if ((other.t === 'list' || other.t === 'tuple') && other.v.length > 1) throw new PyRaised('The truth value of an array with more than one element is ambiguous');
  return pyEquals(a.v[0]!, other);
}

function sameKeys(a: Array<[PyValue, PyValue]>, b: Array<[PyValue, PyValue]>): boolean {
  const index = new Map<string, PyValue>();
  for (const [k, v] of b) {
    const key = pyKey(k);
    if (key !== null) index.set(key, v);
  }
  if (index.size !== b.length) return false;
  return a.every(([k, v]) => {
    const key = pyKey(k);
    const other = key === null ? undefined : index.get(key);
    return other !== undefined && pyEquals(v, other);
  });
}

/**
 * Python `bool(a == b)` for builtin values: numbers across bool/int/float/complex, sequences of the
 * same kind elementwise, dicts by key, sets by membership; a list never equals a tuple or a set.
 */
export function pyEquals(a: PyValue, b: PyValue): boolean {
  if (a.t === 'ndarray') return arrayTruth(a, b);
  if (b.t === 'ndarray') return arrayTruth(b, a);
  const na = asNumber(a);
  const nb = asNumber(b);
  if (na || nb) return na !== null && nb !== null && numberEquals(na, nb);
  switch (a.t) {
    case 'none':
      return b.t === 'none';
    case 'str':
    case 'bytes':
      return b.t === a.t && a.v === b.v;
    case 'list':
    case 'tuple':
      return b.t === a.t && a.v.length === b.v.length && a.v.every((x, i) => pyEquals(x, b.v[i]!));
    case 'dict':
      return b.t === 'dict' && a.v.length === b.v.length && sameKeys(a.v, b.v);
    case 'set': {
      if (b.t !== 'set' || a.v.length !== b.v.length) return false;
      const keys = new Set(b.v.map(pyKey));
      return a.v.every((x) => {
        const k = pyKey(x);
        return k !== null && keys.has(k);
      });
    }
    default:
      return false;
  }
}

/** Python `x[0]`; throws PyRaised where Python raises (IndexError, KeyError, TypeError). */
export function pyIndex0(x: PyValue): PyValue {
  if (x.t === 'list' || x.t === 'tuple' || x.t === 'ndarray') {
    if (x.v.length === 0) throw new PyRaised('IndexError');
    return x.v[0]!;
  }
  if (x.t === 'str') {
    const first = x.v.codePointAt(0);
    if (first === undefined) throw new PyRaised('IndexError');
    return { t: 'str', v: String.fromCodePoint(first) };
  }
  if (x.t === 'dict') {
    const hit = x.v.find(([k]) => pyKey(k) === 'n0');
    if (!hit) throw new PyRaised('KeyError: 0');
    return hit[1];
  }
  throw new PyRaised(`'${x.t}' object is not subscriptable`);
}

/** Python `list(x)`; throws PyRaised for non-iterables. */
export function pyList(x: PyValue): PyValue & { t: 'list' } {
  switch (x.t) {
    case 'list':
    case 'tuple':
    case 'set':
    case 'ndarray':
      return { t: 'list', v: x.v };
    case 'dict':
      return { t: 'list', v: x.v.map(([k]) => k) };
    case 'str':
      return { t: 'list', v: Array.from(x.v, (c) => ({ t: 'str', v: c })) };
    case 'bytes':
      return { t: 'list', v: Array.from(x.v, (c) => ({ t: 'int', v: BigInt(c.charCodeAt(0)) })) };
    default:
      throw new PyRaised(`'${x.t}' object is not iterable`);
  }
}
