import { PythonValueError } from '../errors';
import { pythonOracleAvailable, runPythonJson } from '../../test/python-oracle';
import { levenshtein, mostSimilar } from './levenshtein';
import { pyFloat, tryPyFloat } from './py-float';
import { pyInt, pyIntOfFloat } from './py-int';
import { pyRound } from './py-round';
import { pyStrFloat } from './py-str-float';

describe('pyFloat', () => {
  it('parses what Python float() parses', () => {
    expect(pyFloat(' 1.5 ')).toBe(1.5);
    expect(pyFloat('1_000.25')).toBe(1000.25);
    expect(pyFloat('.5')).toBe(0.5);
    expect(pyFloat('5.')).toBe(5);
    expect(pyFloat('-1E3')).toBe(-1000);
    expect(pyFloat('-Infinity')).toBe(-Infinity);
    expect(Number.isNaN(pyFloat('nan'))).toBe(true);
  });
  it('raises where Python raises', () => {
    for (const bad of ['', '  ', '1,000', '0x10', '1.2.3', '_1', '1__0', '$5', '1 2']) {
      expect(() => pyFloat(bad)).toThrow(PythonValueError);
    }
    expect(tryPyFloat('')).toBeNull();
  });
});

describe('pyInt', () => {
  it('accepts only integer literals', () => {
    expect(pyInt(' -42 ')).toBe(-42n);
    expect(pyInt('1_000')).toBe(1000n);
    expect(() => pyInt('1.0')).toThrow(PythonValueError);
    expect(() => pyInt('')).toThrow(PythonValueError);
    expect(pyIntOfFloat(-3.9)).toBe(-3n);
    expect(() => pyIntOfFloat(Infinity)).toThrow(PythonValueError);
  });
});

describe('pyStrFloat', () => {
  it('lays out floats like Python str()', () => {
    expect(pyStrFloat(0)).toBe('0.0');
    expect(pyStrFloat(-0)).toBe('-0.0');
    expect(pyStrFloat(1.5)).toBe('1.5');
    expect(pyStrFloat(14)).toBe('14.0');
    expect(pyStrFloat(1e16)).toBe('1e+16');
    expect(pyStrFloat(1e15)).toBe('1000000000000000.0');
    expect(pyStrFloat(0.0001)).toBe('0.0001');
    expect(pyStrFloat(0.00001)).toBe('1e-05');
    expect(pyStrFloat(1.5e-7)).toBe('1.5e-07');
    expect(pyStrFloat(1.2345e300)).toBe('1.2345e+300');
    expect(pyStrFloat(0.1 + 0.2)).toBe('0.30000000000000004');
    expect(pyStrFloat(Infinity)).toBe('inf');
  });
});

describe('pyRound', () => {
  it('rounds the exact binary value, ties to even', () => {
    expect(pyRound(2.675, 2)).toBe(2.67);
    expect(pyRound(0.125, 2)).toBe(0.12);
    expect(pyRound(0.375, 2)).toBe(0.38);
    expect(pyRound(2.5, 0)).toBe(2);
    expect(pyRound(3.5, 0)).toBe(4);
    expect(pyRound(-2.5, 0)).toBe(-2);
    expect(pyRound(1234.5, -2)).toBe(1200);
    expect(pyRound(1.45, 1)).toBe(1.4); // 1.45 is 1.4499999... in binary
    expect(pyStrFloat(pyRound(1.0, 2))).toBe('1.0');
  });
});

describe('levenshtein', () => {
  it('counts edits and breaks ties by first minimum', () => {
    expect(levenshtein('kitten', 'sitting')).toBe(3);
    expect(levenshtein('', 'abc')).toBe(3);
    expect(levenshtein('8/11', '3/11')).toBe(1);
    // 'ab' is at distance 1 from both 'xb' and 'ax': the first wins.
    expect(mostSimilar('ab', ['xb', 'ax'])).toBe('xb');
    expect(mostSimilar('ab', ['ax', 'xb'])).toBe('ax');
  });
});

const oracle = pythonOracleAvailable() ? describe : describe.skip;
oracle('Python oracle', () => {
  it('str(float), round(x, n) and float() agree with CPython on many values', () => {
    const values: number[] = [];
    let seed = 12345;
    const rand = (): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    for (let i = 0; i < 400; i++) {
      const mag = 10 ** Math.floor(rand() * 40 - 20);
      values.push((rand() - 0.5) * mag);
      values.push(Math.round(rand() * 100000) / 1000); // many exact-looking ties like x.xx5
    }
    const strings = ['1_0', ' 7 ', '', '1e', 'inf', '-nan', '.', '1.', '+.5e-3', '١٢'];
    const got = runPythonJson<{ str: string[]; r1: string[]; r2: string[]; f: (string | null)[] }>(
      [
        'import json,sys',
        'd=json.load(sys.stdin)',
        "d['v']=[float(v) for v in d['v']]",
        'def f(s):',
        '  try: return str(float(s))',
        '  except ValueError: return None',
        "print(json.dumps({'str':[str(v) for v in d['v']],'r1':[str(round(v,1)) for v in d['v']],",
        "'r2':[str(round(v,2)) for v in d['v']],'f':[f(s) for s in d['s']]}))",
      ].join('\n'),
      { v: values, s: strings },
    );
    expect(values.map(pyStrFloat)).toEqual(got.str);
    expect(values.map((v) => pyStrFloat(pyRound(v, 1)))).toEqual(got.r1);
    expect(values.map((v) => pyStrFloat(pyRound(v, 2)))).toEqual(got.r2);
    // Non-ASCII digits ('١٢') are accepted by CPython but not by this port: compare the ASCII ones.
    const ascii = strings.slice(0, -1);
    expect(ascii.map((s) => { const v = tryPyFloat(s); return v === null ? null : pyStrFloat(v); })).toEqual(got.f.slice(0, -1));
  });
});
