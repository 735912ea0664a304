import { MMCodeDataError } from '../errors';

/**
 * A Python value as the harness sees it: JSON test data parsed the way `json.loads` parses it
 * (ints unbounded, floats distinct from ints), and values returned by sandboxed programs.
 */
export type PyValue =
  | { t: 'none' }
  | { t: 'bool'; v: boolean }
  | { t: 'int'; v: bigint }
  | { t: 'float'; v: number }
  | { t: 'complex'; re: number; im: number }
  | { t: 'str'; v: string }
  /** bytes / bytearray, one char per byte. */
  | { t: 'bytes'; v: string }
  /** list, tuple, set/frozenset (elements in Python's iteration order). */
  | { t: 'list' | 'tuple' | 'set'; v: PyValue[] }
  | { t: 'dict'; v: Array<[PyValue, PyValue]> }
  /** numpy.ndarray: shape and the flattened elements. */
  | { t: 'ndarray'; shape: number[]; v: PyValue[] }
  /** Anything else (a custom class, a generator...): never equal to test data. */
  | { t: 'object'; type: string };

const NUMBER = /-?(?:0|[1-9]\d*)(\.\d+)?([eE][-+]?\d+)?/y;
const WS = /[ \t\n\r]*/y;

/** Python `json.loads` of test data: ints become bigints, `NaN`/`Infinity` are accepted, later duplicate keys win. */
export function parsePyJson(text: string): PyValue {
  let at = 0;
  const fail = (why: string): never => {
    throw new MMCodeDataError(`invalid JSON at offset ${at}: ${why}`);
  };
  const skip = (): void => {
    WS.lastIndex = at;
    WS.exec(text);
    at = WS.lastIndex;
  };
  const literal = (word: string, value: PyValue): PyValue => {
    if (!text.startsWith(word, at)) fail(`unexpected ${JSON.stringify(text.slice(at, at + 8))}`);
    at += word.length;
    return value;
  };
  const str = (): string => {
    const start = at;
    at++;
    for (;;) {
      const c = text.charCodeAt(at);
      if (Number.isNaN(c)) fail('unterminated string');
      if (c === 0x22) break;
      if (c < 0x20) fail('control character in string');
      at += c === 0x5c ? 2 : 1;
    }
    at++;
    try {
      return JSON.parse(text.slice(start, at)) as string;
    } catch {
      return fail('bad string escape');
    }
  };
  const value = (): PyValue => {
    skip();
    const c = text[at];
    if (c === '{') {
      at++;
      const entries = new Map<string, PyValue>();
      skip();
      if (text[at] === '}') {
        at++;
        return { t: 'dict', v: [] };
      }
      for (;;) {
        skip();
        if (text[at] !== '"') fail('expected a string key');
        const key = str();
        skip();
        if (text[at] !== ':') fail("expected ':'");
        at++;
        entries.set(key, value());
        skip();
        if (text[at] === ',') {
          at++;
          continue;
        }
        if (text[at] === '}') {
          at++;
          return { t: 'dict', v: [...entries].map(([k, v]): [PyValue, PyValue] => [{ t: 'str', v: k }, v]) };
        }
        fail("expected ',' or '}'");
      }
    }
    if (c === '[') {
      at++;
      const items: PyValue[] = [];
      skip();
      if (text[at] === ']') {
        at++;
        return { t: 'list', v: items };
      }
      for (;;) {
        items.push(value());
        skip();
        if (text[at] === ',') {
          at++;
          continue;
        }
        if (text[at] === ']') {
          at++;
          return { t: 'list', v: items };
        }
        fail("expected ',' or ']'");
      }
    }
    if (c === '"') return { t: 'str', v: str() };
    if (c === 'n') return literal('null', { t: 'none' });
    if (c === 't') return literal('true', { t: 'bool', v: true });
    if (c === 'f') return literal('false', { t: 'bool', v: false });
    if (c === 'N') return literal('NaN', { t: 'float', v: Number.NaN });
    if (c === 'I') return literal('Infinity', { t: 'float', v: Infinity });
    if (text.startsWith('-Infinity', at)) return literal('-Infinity', { t: 'float', v: -Infinity });
    NUMBER.lastIndex = at;
    const m = NUMBER.exec(text);
    if (!m) return fail(`unexpected ${JSON.stringify(text.slice(at, at + 8))}`);
    at = NUMBER.lastIndex;
    return m[1] === undefined && m[2] === undefined ? { t: 'int', v: BigInt(m[0]) } : { t: 'float', v: Number(m[0]) };
  };
  const out = value();
  skip();
  if (at !== text.length) fail('extra data');
  return out;
}

/** A float as JSON text that `json.loads` reads back as the same float (never as an int). */
function floatText(x: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (!Number.isFinite(x)) return x > 0 ? 'Infinity' : '-Infinity';
  const s = String(x);
  return /[.eE]/.test(s) ? s : `${s}.0`;
}

function keyText(k: PyValue): string {
  if (k.t !== 'str') throw new MMCodeDataError(`a ${k.t} key is not JSON test data`);
  return JSON.stringify(k.v);
}

/** JSON text of JSON-shaped test data that Python's `json.loads` turns back into the same values. */
export function encodePyJson(v: PyValue): string {
  switch (v.t) {
    case 'none':
      return 'null';
    case 'bool':
      return v.v ? 'true' : 'false';
    case 'int':
      return v.v.toString();
    case 'float':
      return floatText(v.v);
    case 'str':
      return JSON.stringify(v.v);
    case 'list':
    case 'tuple':
      return `[${v.v.map(encodePyJson).join(',')}]`;
    case 'dict':
      return `{${v.v.map(([k, x]) => `${keyText(k)}:${encodePyJson(x)}`).join(',')}}`;
    default:
      throw new MMCodeDataError(`a ${v.t} is not JSON test data`);
  }
}

function pyFloatRepr(s: unknown): number {
  if (s === 'nan') return Number.NaN;
  if (s === 'inf') return Infinity;
  if (s === '-inf') return -Infinity;
  const x = typeof s === 'string' ? Number(s) : Number.NaN;
  if (Number.isNaN(x)) throw new MMCodeDataError(`bad float ${JSON.stringify(s)}`);
  return x;
}

function hexInt(s: unknown): bigint {
  if (typeof s !== 'string' || !/^-?[0-9a-f]+$/.test(s)) throw new MMCodeDataError(`bad int ${JSON.stringify(s)}`);
  return s.startsWith('-') ? -BigInt(`0x${s.slice(1)}`) : BigInt(`0x${s}`);
}

function items(x: unknown): unknown[] {
  if (!Array.isArray(x)) throw new MMCodeDataError('expected a list of encoded values');
  return x;
}

/**
 * Decodes the sandbox runner's tagged encoding of a returned value (`["i", hex]`, `["f", repr]`,
 * `["l", [...]]`, ...). The program controls these bytes, so every shape is checked.
 */
export function decodePyValue(x: unknown): PyValue {
  if (!Array.isArray(x) || typeof x[0] !== 'string') throw new MMCodeDataError('expected an encoded value');
  const [tag, a, b] = x as [string, unknown, unknown];
  switch (tag) {
    case 'n':
      return { t: 'none' };
    case 'b':
      return { t: 'bool', v: a === 1 };
    case 'i':
      return { t: 'int', v: hexInt(a) };
    case 'f':
      return { t: 'float', v: pyFloatRepr(a) };
    case 'c':
      return { t: 'complex', re: pyFloatRepr(a), im: pyFloatRepr(b) };
    case 's':
    case 'y':
      if (typeof a !== 'string') throw new MMCodeDataError('expected a string');
      return { t: tag === 's' ? 'str' : 'bytes', v: a };
    case 'l':
    case 't':
    case 'S':
      return { t: tag === 'l' ? 'list' : tag === 't' ? 'tuple' : 'set', v: items(a).map(decodePyValue) };
    case 'd':
      return {
        t: 'dict',
        v: items(a).map((kv): [PyValue, PyValue] => {
          const pair = items(kv);
          return [decodePyValue(pair[0]), decodePyValue(pair[1])];
        }),
      };
    case 'a': {
      const shape = items(a).map((n) => {
        if (typeof n !== 'number' || !Number.isInteger(n) || n < 0) throw new MMCodeDataError('bad ndarray shape');
        return n;
      });
      return { t: 'ndarray', shape, v: items(b).map(decodePyValue) };
    }
    case 'o':
      return { t: 'object', type: typeof a === 'string' ? a : '?' };
    default:
      throw new MMCodeDataError(`unknown value tag ${JSON.stringify(tag)}`);
  }
}
