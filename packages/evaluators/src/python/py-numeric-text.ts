import { isPyWhitespace } from './py-whitespace';

const DECIMAL_DIGIT = /^\p{Nd}$/u;
/** What C's isspace accepts: the whitespace `int()`/`float()` strip after the Unicode transform. */
const ASCII_SPACE = /^[ \t\n\v\f\r]+|[ \t\n\v\f\r]+$/g;

/**
 * Decimal value of a Unicode decimal digit (category Nd), or -1. Unicode encodes every Nd digit in a
 * run of ten from 0 to 9, so a character's value is its offset from the start of its run, modulo 10.
 */
export function decimalDigitValue(ch: string): number {
  if (!DECIMAL_DIGIT.test(ch)) return -1;
  let cp = ch.codePointAt(0)!;
  let start = cp;
  while (DECIMAL_DIGIT.test(String.fromCodePoint(start - 1))) start--;
  cp -= start;
  return cp % 10;
}

/**
 * The text CPython's `int(s)` / `float(s)` actually parse (`_PyUnicode_TransformDecimalAndSpaceToASCII`):
 * non-ASCII decimal digits become ASCII digits (`'١٢'` → `'12'`), non-ASCII whitespace becomes a space,
 * ASCII stays as is; then leading and trailing C whitespace is stripped (so U+001C survives and fails,
 * while U+3000 is stripped). Null when a non-ASCII character is neither, e.g. the BOM or `'．'`.
 */
export function pyNumericText(s: string): string | null {
  let out = '';
  for (const ch of s) {
    if (ch.charCodeAt(0) < 0x80) out += ch;
    else if (isPyWhitespace(ch)) out += ' ';
    else {
      const d = decimalDigitValue(ch);
      if (d < 0) return null;
      out += String(d);
    }
  }
  return out.replace(ASCII_SPACE, '');
}
