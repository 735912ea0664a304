import { PythonValueError } from '../errors';
import { pyNumericText } from './py-numeric-text';

const INT = /^[+-]?[0-9](?:_?[0-9])*$/;

/**
 * Python `int(s)` for base-10 strings (`int("1.0")` raises, `int(" ٣ ")` is 3); returns a BigInt
 * since Python ints are unbounded.
 */
export function pyInt(s: string): bigint {
  const t = pyNumericText(s);
  if (t === null || !INT.test(t)) throw new PythonValueError('int', s);
  return BigInt(t.replace(/_/g, ''));
}

/** Python `int(x)` for a float: truncates toward zero; raises on inf/nan like Python. */
export function pyIntOfFloat(x: number): bigint {
  if (!Number.isFinite(x)) throw new PythonValueError('int', String(x));
  return BigInt(Math.trunc(x));
}
