import { tryPyFloat } from '../python/py-float';
import { pyInt } from '../python/py-int';
import { pyRound } from '../python/py-round';
import { pyStrip } from '../python/py-whitespace';
import { PyRaised, pyEquals, pyIndex0, pyList } from './py-equals';
import { pySplitWhitespace } from './py-split';
import type { PyValue } from './py-value';

/** A test's result as the official harness records it: True/False, -1 (runtime error or timeout), -2 (compile error). */
export type OfficialResult = true | false | -1 | -2;

/** Where the official harness itself raises outside its try blocks, so the whole problem gets -1s. */
export class HarnessCrash extends Error {}

/** The expected stdout of one test as one string (a list of lines is joined with "\n"). */
export function expectedText(expected: PyValue): string {
  if (expected.t === 'str') return expected.v;
  if (expected.t === 'list' && expected.v.every((x) => x.t === 'str')) return expected.v.map((x) => (x as { v: string }).v).join('\n');
  throw new HarnessCrash(`expected output is a ${expected.t}, not text`);
}

function sameStrings(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

function floatsOf(xs: readonly string[]): number[] | null {
  const out: number[] = [];
  for (const x of xs) {
    const f = tryPyFloat(x);
    if (f === null) return null;
    out.push(f);
  }
  return out;
}

// numpy.allclose(a, b) with its defaults: |a-b| <= atol + rtol*|b|; equal infinities are close, NaN never.
function allclose(a: readonly number[], b: readonly number[]): boolean {
  return a.every((x, i) => {
    const y = b[i]!;
    if (!Number.isFinite(x) || !Number.isFinite(y)) return x === y;
    return Math.abs(x - y) <= 1e-8 + 1e-5 * Math.abs(y);
  });
}

/** Python `set(frozenset(s) for s in groups) ==` the other's, with each element mapped to a hashable key. */
function sameSetOfSets<T>(a: readonly (readonly T[])[], b: readonly (readonly T[])[], key: (x: T) => string | null): boolean {
  const keys = (groups: readonly (readonly T[])[]): Set<string> | null => {
    const out = new Set<string>();
    for (const g of groups) {
      const parts = new Set<string>();
      for (const x of g) {
        const k = key(x);
        if (k === null) return null; // NaN: a new object that no other set contains
        parts.add(k);
      }
      out.add(JSON.stringify([...parts].sort()));
    }
    return out;
  };
  const ka = keys(a);
  const kb = keys(b);
  return ka !== null && kb !== null && ka.size === kb.size && [...ka].every((k) => kb.has(k));
}

const floatKey = (x: number): string | null => (Number.isNaN(x) ? null : String(x === 0 ? 0 : x));

/**
 * The official `testing_utils.run_test` stdin/stdout check for one test, step by step: the captured
 * lines joined vs the expected text (both stripped), then with each line stripped; the lines vs
 * `[expected]`; vs the expected's non-empty lines (stripped); the output's non-empty lines vs those;
 * both as floats with numpy.allclose; then sets of per-line token sets, and the same with every token
 * `round(float(t), 3)`. `lines` are the program's stdout split with `str.splitlines()`.
 */
export function stdoutMatches(lines: readonly string[], expected: PyValue): boolean {
  const gt = expectedText(expected);
  const gtStripped = pyStrip(gt);
  if (pyStrip(lines.join('\n')) === gtStripped) return true;
  if (pyStrip(lines.map(pyStrip).join('\n')) === gtStripped) return true;
  if (lines.length === 1 && lines[0] === gt) return true;
  // Filtered before stripping, so a whitespace-only expected line stays as "".
  const gtLines = gt.split('\n').filter((x) => x.length > 0).map(pyStrip);
  if (sameStrings(lines, gtLines)) return true;
  const outLines = lines.filter((x) => x.length > 0);
  if (sameStrings(outLines, gtLines)) return true;
  const fo = floatsOf(outLines);
  const fg = floatsOf(gtLines);
  if (fo && fg && fo.length === fg.length && allclose(fo, fg)) return true;
  const gtSets = gtLines.map(pySplitWhitespace);
  const outSets = outLines.map(pySplitWhitespace).filter((t) => t.length > 0);
  if (sameSetOfSets(outSets, gtSets, (t) => t)) return true;
  const round3 = (groups: string[][]): number[][] | null => {
    const out: number[][] = [];
    for (const g of groups) {
      const f = floatsOf(g);
      if (!f) return null;
      out.push(f.map((x) => pyRound(x, 3)));
    }
    return out;
  };
  const ro = round3(outSets);
  const rg = round3(gtSets);
  return ro !== null && rg !== null && sameSetOfSets(ro, rg, floatKey);
}

/** `{int(k): v for k, v in d.items()}`; throws PyRaised where int() raises. */
function intKeys(d: PyValue & { t: 'dict' }): PyValue & { t: 'dict' } {
  const out = new Map<string, [PyValue, PyValue]>();
  for (const [k, v] of d.v) {
    let key: bigint;
    if (k.t === 'int') key = k.v;
    else if (k.t === 'str') {
      try {
        key = pyInt(k.v);
      } catch {
        throw new PyRaised(`invalid literal for int(): ${JSON.stringify(k.v)}`);
      }
    } else throw new PyRaised(`int() of a ${k.t}`);
    const prev = out.get(key.toString());
    out.set(key.toString(), [prev ? prev[0] : { t: 'int', v: key }, v]);
  }
  return { t: 'dict', v: [...out.values()] };
}

/** The official's rewrite of expected outputs whose JSON dicts had int keys: a dict (or a list starting with one) becomes `[dict with int keys]`. */
export function officialExpected(expected: PyValue): PyValue {
  let gt = expected;
  try {
    if (gt.t === 'dict') gt = { t: 'list', v: [intKeys(gt)] };
  } catch {
    // the official ignores a failed conversion
  }
  try {
    const first = pyIndex0(gt);
    if (first.t === 'dict') gt = { t: 'list', v: [intKeys(first)] };
  } catch {
    // no first element, or not convertible
  }
  return gt;
}

/**
 * The official call-based check: a tuple result counts as a list; equal to the expected value, or to
 * its first element; or, when the result's first element is a tuple, `[list(x) for x in result]` equal
 * to the expected's first element. -1 where the official's comparison raises (a numpy array of
 * several elements compared with a list).
 */
export function callResultMatches(result: PyValue, expected: PyValue): OfficialResult {
  const gt = officialExpected(expected);
  const out: PyValue = result.t === 'tuple' ? { t: 'list', v: result.v } : result;
  try {
    let ok: boolean;
    if (out.t === 'ndarray' && out.v.length !== 1) {
      // `array == gt` is elementwise; `tmp_result or ...` then raises, and a lone result keeps item(0).
      if (gt.t === 'list' && gt.v.length > 0) return -1;
      return out.v.length > 0 && gt.t !== 'list' && pyEquals(out.v[0]!, gt);
    }
    ok = pyEquals(out, gt);
    if (!ok && gt.t === 'list' && gt.v.length > 0) ok = pyEquals(out, gt.v[0]!);
    if (!ok) {
      try {
        if (pyIndex0(out).t === 'tuple') {
          const rows: PyValue = { t: 'list', v: pyList(out).v.map((x) => pyList(x)) };
          ok = pyEquals(rows, pyIndex0(gt));
        }
      } catch {
        // the official ignores this step's errors
      }
    }
    return ok;
  } catch (e) {
    if (e instanceof PyRaised) return -1;
    throw e;
  }
}
