import { PythonValueError } from '../errors';
import { pyNumericText } from './py-numeric-text';

// Python's float() grammar: optional sign, digits with single underscores between them, optional
// fraction and exponent, or inf/infinity/nan in any case.
const DIGITS = String.raw`[0-9](?:_?[0-9])*`;
const DECIMAL = new RegExp(String.raw`^[+-]?(?:${DIGITS}(?:\.(?:${DIGITS})?)?|\.${DIGITS})(?:[eE][+-]?${DIGITS})?$`);
const SPECIAL = /^([+-]?)(inf|infinity|nan)$/i;

/**
 * Python `float(s)` for strings: returns the double, or throws PythonValueError where Python raises
 * (`float("")`, `float("\ufeff1")`). Unicode decimal digits and whitespace are read as CPython reads them.
 */
export function pyFloat(s: string): number {
  const t = pyNumericText(s);
  if (t === null) throw new PythonValueError('float', s);
  const special = SPECIAL.exec(t);
  if (special) {
    if (special[2]!.toLowerCase() === 'nan') return Number.NaN;
    return special[1] === '-' ? -Infinity : Infinity;
  }
  if (!DECIMAL.test(t)) throw new PythonValueError('float', s);
  return Number(t.replace(/_/g, ''));
}

/** `pyFloat` that returns null instead of throwing, for `try: float(x) except: ...` ports. */
export function tryPyFloat(s: string): number | null {
  try {
    return pyFloat(s);
  } catch {
    return null;
  }
}
