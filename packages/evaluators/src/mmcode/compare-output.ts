import { tryPyFloat } from '../python/py-float';
import { pyRound } from '../python/py-round';

// numpy.allclose defaults.
const RTOL = 1e-5;
const ATOL = 1e-8;

function allclose(a: number[], b: number[]): boolean {
  return a.length === b.length && a.every((x, i) => Math.abs(x - b[i]!) <= ATOL + RTOL * Math.abs(b[i]!));
}

function floats(xs: string[]): number[] | null {
  const out: number[] = [];
  for (const x of xs) {
    const f = tryPyFloat(x);
    if (f === null) return null;
    out.push(f);
  }
  return out;
}

function sameArray<T>(a: readonly T[], b: readonly T[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

function setKey(tokens: string[]): string {
  return JSON.stringify([...new Set(tokens)].sort());
}

function sameSetOfSets(a: string[][], b: string[][]): boolean {
  const ka = new Set(a.map(setKey));
  const kb = new Set(b.map(setKey));
  return ka.size === kb.size && [...ka].every((k) => kb.has(k));
}

/** Python str.splitlines() for the common terminators. */
function splitlines(s: string): string[] {
  const lines = s.split(/\r\n|\r|\n/);
  if (lines.length > 0 && lines.at(-1) === '') lines.pop();
  return lines;
}

/**
 * The lenient stdout comparison cascade of the APPS/MMCode harness: stripped text; lines; non-blank
 * stripped lines; floats (numpy.allclose) per line and per token; per-line token lists; the set of
 * per-line token sets; and the same with numbers rounded to 3 decimals.
 */
export function stdoutMatches(output: string, expected: unknown): boolean {
  const exp = Array.isArray(expected) ? expected.map(String).join('\n') : String(expected);
  if (output.trim() === exp.trim()) return true;
  const outLines = splitlines(output);
  const expLines = splitlines(exp);
  if (sameArray(outLines, expLines)) return true;
  const outNb = outLines.map((l) => l.trim()).filter((l) => l !== '');
  const expNb = expLines.map((l) => l.trim()).filter((l) => l !== '');
  if (sameArray(outNb, expNb)) return true;
  const fo = floats(outNb);
  const fe = floats(expNb);
  if (fo && fe && allclose(fo, fe)) return true;
  const outTok = outNb.map((l) => l.split(/\s+/));
  const expTok = expNb.map((l) => l.split(/\s+/));
  const fto = floats(outTok.flat());
  const fte = floats(expTok.flat());
  if (fto && fte && allclose(fto, fte)) return true;
  if (outTok.length === expTok.length && outTok.every((t, i) => sameArray(t, expTok[i]!))) return true;
  if (sameSetOfSets(outTok, expTok)) return true;
  const round3 = (t: string): string => {
    const f = tryPyFloat(t);
    return f === null ? t : String(pyRound(f, 3));
  };
  return sameSetOfSets(outTok.map((l) => l.map(round3)), expTok.map((l) => l.map(round3)));
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  if (a && b && typeof a === 'object' && typeof b === 'object' && !Array.isArray(a) && !Array.isArray(b)) {
    const ka = Object.keys(a);
    const kb = Object.keys(b);
    return ka.length === kb.length && ka.every((k) => deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
  }
  return false;
}

/** Call-based comparison: the JSON result equals the expected output, or its single wrapped element (APPS). */
export function callResultMatches(result: unknown, expected: unknown): boolean {
  if (deepEqual(result, expected)) return true;
  return Array.isArray(expected) && expected.length > 0 && deepEqual(result, expected[0]);
}
