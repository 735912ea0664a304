/**
 * Characters Python's `str.isspace()` is true for (Unicode 14, CPython 3.11): what `str.strip()` and
 * `str.split()` remove. Unlike JavaScript's `trim`, it includes U+001C..U+001F and U+0085 and
 * excludes U+FEFF (the BOM), so `'\ufeff0.5'.strip()` keeps the BOM.
 */
const PY_WHITESPACE = new Set(
  [0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x1c, 0x1d, 0x1e, 0x1f, 0x20, 0x85, 0xa0, 0x1680, 0x2028, 0x2029, 0x202f, 0x205f, 0x3000]
    .concat(Array.from({ length: 11 }, (_, i) => 0x2000 + i))
    .map((c) => String.fromCharCode(c)),
);

/** Whether one character is whitespace for Python's `str.isspace()`. */
export function isPyWhitespace(ch: string): boolean {
  return PY_WHITESPACE.has(ch);
}

/** Python `s.strip()` with no argument: removes leading and trailing `str.isspace()` characters. */
export function pyStrip(s: string): string {
  let start = 0;
  let end = s.length;
  while (start < end && PY_WHITESPACE.has(s[start]!)) start++;
  while (end > start && PY_WHITESPACE.has(s[end - 1]!)) end--;
  return s.slice(start, end);
}
