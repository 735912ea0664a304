import { PythonValueError } from '../errors';

// Python's float() grammar: optional sign, digits with single underscores between them, optional
// fraction and exponent, or inf/infinity/nan in any case. Surrounding whitespace is ignored.
const DIGITS = String.raw`\d(?:_?\d)*`;
const DECIMAL = new RegExp(String.raw`^[+-]?(?:${DIGITS}(?:\.(?:${DIGITS})?)?|\.${DIGITS})(?:[eE][+-]?${DIGITS})?$`);
const SPECIAL = /^([+-]?)(inf|infinity|nan)$/i;

/** Python `float(s)` for strings: returns the double, or throws PythonValueError where Python raises (`float("")`). */
export function pyFloat(s: string): number {
  const t = s.trim();
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
