import { PythonValueError } from '../errors';

const INT = /^[+-]?\d(?:_?\d)*$/;

/** Python `int(s)` for base-10 strings (`int("1.0")` raises); returns a BigInt since Python ints are unbounded. */
export function pyInt(s: string): bigint {
  const t = s.trim();
  if (!INT.test(t)) throw new PythonValueError('int', s);
  return BigInt(t.replace(/_/g, ''));
}

/** Python `int(x)` for a float: truncates toward zero; raises on inf/nan like Python. */
export function pyIntOfFloat(x: number): bigint {
  if (!Number.isFinite(x)) throw new PythonValueError('int', String(x));
  return BigInt(Math.trunc(x));
}
