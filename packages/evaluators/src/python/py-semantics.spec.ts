import { PythonValueError } from '../errors';
import { describeWithTorch, runPythonJson } from '../../../../tools/jest/python-oracle';
import { levenshtein, mostSimilar } from './levenshtein';
import { npRound } from './np-round';
import { pyFloat, tryPyFloat } from './py-float';
import { pyFormatFixed } from './py-format-fixed';
import { pyInt, pyIntOfFloat } from './py-int';
import { decimalDigitValue, pyNumericText } from './py-numeric-text';
import { pyRound } from './py-round';
import { pyStrFloat } from './py-str-float';
import { pyStrip } from './py-whitespace';

// [input, repr(float(s)) or 'ValueError', str(int(s)) or 'ValueError', s.strip()], from CPython 3.11.2.
const TEXT_CASES: [string, string, string, string][] = [
  ["", "ValueError", "ValueError", ""],
  [" ", "ValueError", "ValueError", ""],
  ["1", "1.0", "1", "1"],
  [" 1 ", "1.0", "1", "1"],
  ["\t1\n", "1.0", "1", "1"],
  ["1.5", "1.5", "ValueError", "1.5"],
  ["-1.5", "-1.5", "ValueError", "-1.5"],
  ["+1.5", "1.5", "ValueError", "+1.5"],
  [".5", "0.5", "ValueError", ".5"],
  ["5.", "5.0", "ValueError", "5."],
  ["5.e1", "50.0", "ValueError", "5.e1"],
  ["1e3", "1000.0", "ValueError", "1e3"],
  ["1E+03", "1000.0", "ValueError", "1E+03"],
  ["1e-3", "0.001", "ValueError", "1e-3"],
  [" 1e3 ", "1000.0", "ValueError", "1e3"],
  ["1_000", "1000.0", "1000", "1_000"],
  ["1_000.000_1", "1000.0001", "ValueError", "1_000.000_1"],
  ["1__0", "ValueError", "ValueError", "1__0"],
  ["_1", "ValueError", "ValueError", "_1"],
  ["1_", "ValueError", "ValueError", "1_"],
  ["1_.5", "ValueError", "ValueError", "1_.5"],
  ["1._5", "ValueError", "ValueError", "1._5"],
  ["1e_5", "ValueError", "ValueError", "1e_5"],
  ["1e5_0", "1e+50", "ValueError", "1e5_0"],
  ["\u0661\u0662", "12.0", "12", "\u0661\u0662"],
  ["\u0663", "3.0", "3", "\u0663"],
  [" \u0663 ", "3.0", "3", "\u0663"],
  ["\u0661\u0662.\u0665", "12.5", "ValueError", "\u0661\u0662.\u0665"],
  ["\uff11\uff12", "12.0", "12", "\uff11\uff12"],
  ["\uff11\uff12\uff0e\uff15", "ValueError", "ValueError", "\uff11\uff12\uff0e\uff15"],
  ["\uff11\uff12.\uff15", "12.5", "ValueError", "\uff11\uff12.\uff15"],
  ["\u0660.\u0665", "0.5", "ValueError", "\u0660.\u0665"],
  ["0\u066b5", "ValueError", "ValueError", "0\u066b5"],
  ["\u06f3", "3.0", "3", "\u06f3"],
  ["\u0969", "3.0", "3", "\u0969"],
  ["\u09e9", "3.0", "3", "\u09e9"],
  ["\u0663_\u0664", "34.0", "34", "\u0663_\u0664"],
  ["\ufeff1", "ValueError", "ValueError", "\ufeff1"],
  ["1\ufeff", "ValueError", "ValueError", "1\ufeff"],
  ["\u200b1", "ValueError", "ValueError", "\u200b1"],
  ["\u001c1", "ValueError", "ValueError", "1"],
  ["1\u001f", "ValueError", "ValueError", "1"],
  ["\u00851", "1.0", "1", "1"],
  ["\u00a01\u00a0", "1.0", "1", "1"],
  ["\u30001\u3000", "1.0", "1", "1"],
  ["\u20281", "1.0", "1", "1"],
  ["1 2", "ValueError", "ValueError", "1 2"],
  ["1\u30002", "ValueError", "ValueError", "1\u30002"],
  ["nan", "nan", "ValueError", "nan"],
  ["NaN", "nan", "ValueError", "NaN"],
  ["-nan", "nan", "ValueError", "-nan"],
  ["+nan", "nan", "ValueError", "+nan"],
  ["inf", "inf", "ValueError", "inf"],
  ["-inf", "-inf", "ValueError", "-inf"],
  ["Infinity", "inf", "ValueError", "Infinity"],
  ["-iNfInItY", "-inf", "ValueError", "-iNfInItY"],
  ["infinit", "ValueError", "ValueError", "infinit"],
  ["nan(1)", "ValueError", "ValueError", "nan(1)"],
  [" inf ", "inf", "ValueError", "inf"],
  ["0x10", "ValueError", "ValueError", "0x10"],
  ["1,000", "ValueError", "ValueError", "1,000"],
  ["$5", "ValueError", "ValueError", "$5"],
  ["1.2.3", "ValueError", "ValueError", "1.2.3"],
  ["\u00b2", "ValueError", "ValueError", "\u00b2"],
  ["\u00bd", "ValueError", "ValueError", "\u00bd"],
  ["1e", "ValueError", "ValueError", "1e"],
  ["e1", "ValueError", "ValueError", "e1"],
  [".", "ValueError", "ValueError", "."],
  ["-", "ValueError", "ValueError", "-"],
  ["+", "ValueError", "ValueError", "+"],
  ["--1", "ValueError", "ValueError", "--1"],
  ["+-1", "ValueError", "ValueError", "+-1"],
  ["01", "1.0", "1", "01"],
  ["-0", "-0.0", "0", "-0"],
  ["007", "7.0", "7", "007"],
  ["1.0", "1.0", "ValueError", "1.0"],
  ["3.0", "3.0", "ValueError", "3.0"],
  ["-3.7", "-3.7", "ValueError", "-3.7"],
  ["1e400", "inf", "ValueError", "1e400"],
  ["-1e400", "-inf", "ValueError", "-1e400"],
  ["4.9e-324", "5e-324", "ValueError", "4.9e-324"],
  ["1e-400", "0.0", "ValueError", "1e-400"],
  ["0.5", "0.5", "ValueError", "0.5"],
  ["0.5 ", "0.5", "ValueError", "0.5"],
  [" 0.5", "0.5", "ValueError", "0.5"],
  ["1.0", "1.0", "ValueError", "1.0"],
  ["1.", "1.0", "ValueError", "1."],
  ["\uff10.\uff15", "0.5", "ValueError", "\uff10.\uff15"],
  ["-0.0", "-0.0", "ValueError", "-0.0"],
  ["+.5", "0.5", "ValueError", "+.5"],
  ["1e-1", "0.1", "ValueError", "1e-1"],
  ["10", "10.0", "10", "10"],
  ["0.30000000000000004", "0.30000000000000004", "ValueError", "0.30000000000000004"],
  ["123456789012345678901234567890", "1.2345678901234568e+29", "123456789012345678901234567890", "123456789012345678901234567890"],];

// [x, ndigits, repr(round(x, n)), repr(np.round(np.float64(x), n)), format(x, f'.{max(n, 0)}f')], from CPython 3.11.2 / numpy 1.24.2.
const ROUND_CASES: [number, number, string, string, string][] = [
  [0.125, 2, "0.12", "0.12", "0.12"],
  [0.375, 2, "0.38", "0.38", "0.38"],
  [2.675, 2, "2.67", "2.68", "2.67"],
  [2.5, 0, "2.0", "2.0", "2"],
  [3.5, 0, "4.0", "4.0", "4"],
  [-2.5, 0, "-2.0", "-2.0", "-2"],
  [0.15, 1, "0.1", "0.2", "0.1"],
  [0.25, 1, "0.2", "0.2", "0.2"],
  [0.35, 1, "0.3", "0.4", "0.3"],
  [0.45, 1, "0.5", "0.4", "0.5"],
  [29.265, 2, "29.27", "29.26", "29.27"],
  [77.955, 2, "77.95", "77.96", "77.95"],
  [45.175, 2, "45.17", "45.18", "45.17"],
  [63.645, 2, "63.65", "63.64", "63.65"],
  [54.445, 2, "54.45", "54.44", "54.45"],
  [56.65, 1, "56.6", "56.6", "56.6"],
  [1.005, 2, "1.0", "1.0", "1.00"],
  [1234.5, -2, "1200.0", "1200.0", "1234"],
  [1250.0, -2, "1200.0", "1200.0", "1250"],
  [1350.0, -2, "1400.0", "1400.0", "1350"],
  [-0.04, 1, "-0.0", "-0.0", "-0.0"],
  [-0.05, 1, "-0.1", "-0.0", "-0.1"],
  [99.95, 1, "100.0", "100.0", "100.0"],
  [99.995, 2, "100.0", "100.0", "100.00"],
  [0.0, 1, "0.0", "0.0", "0.0"],
  [33.33333333333333, 1, "33.3", "33.3", "33.3"],
  [66.66666666666667, 1, "66.7", "66.7", "66.7"],
  [12.345, 2, "12.35", "12.34", "12.35"],
  [1e-07, 3, "0.0", "0.0", "0.000"],
  [5e-324, 2, "0.0", "0.0", "0.00"],
  [123456.789, 1, "123456.8", "123456.8", "123456.8"],
  [0.5, 0, "0.0", "0.0", "0"],
  [1.5, 0, "2.0", "2.0", "2"],
  [-1.5, 0, "-2.0", "-2.0", "-2"],
  [2.675, 1, "2.7", "2.7", "2.7"],
  [8.325, 2, "8.32", "8.32", "8.32"],
  [1.45, 1, "1.4", "1.4", "1.4"],
  [10.05, 1, "10.1", "10.0", "10.1"],
  [2.0000000000000004, 15, "2.0", "2.0", "2.000000000000000"],
  [37.5, 0, "38.0", "38.0", "38"],
];

const pyResult = <T>(f: () => T, show: (v: T) => string): string => {
  try {
    return show(f());
  } catch (e) {
    if (e instanceof PythonValueError) return 'ValueError';
    throw e;
  }
};

describe('float(), int() and str.strip() as CPython', () => {
  it.each(TEXT_CASES)('%j', (s, float, int, strip) => {
    expect(pyResult(() => pyFloat(s), pyStrFloat)).toBe(float);
    expect(pyResult(() => pyInt(s), String)).toBe(int);
    expect(pyStrip(s)).toBe(strip);
    expect(tryPyFloat(s) === null).toBe(float === 'ValueError');
  });

  it('reads every Unicode decimal digit by its value', () => {
    expect(['0', '٠', '۹', '९', '９', '𝟎', '𝟗', '𝟘', '𝟿'].map(decimalDigitValue)).toEqual([0, 0, 9, 9, 9, 0, 9, 0, 9]);
    expect(['²', '½', 'a', '٫', '\ufeff'].map(decimalDigitValue)).toEqual([-1, -1, -1, -1, -1]);
    expect(pyNumericText('\u3000١٢\u2003')).toBe('12');
    expect(pyNumericText('\ufeff1')).toBeNull();
    expect(pyIntOfFloat(-3.9)).toBe(-3n);
    expect(() => pyIntOfFloat(Infinity)).toThrow(PythonValueError);
    expect(() => pyIntOfFloat(Number.NaN)).toThrow(PythonValueError);
  });
});

describe('round(), np.round() and format(.nf)', () => {
  it.each(ROUND_CASES)('%p at %p', (x, n, py, np, fixed) => {
    expect(pyStrFloat(pyRound(x, n))).toBe(py);
    expect(pyStrFloat(npRound(x, n))).toBe(np);
    expect(pyFormatFixed(x, Math.max(n, 0))).toBe(fixed);
  });

  it('differs from toFixed on exact ties and from Python on scaled ties', () => {
    expect((0.125).toFixed(2)).toBe('0.13');
    expect(pyFormatFixed(0.125, 2)).toBe('0.12');
    expect(npRound(0.15, 1)).toBe(0.2);
    expect(pyRound(0.15, 1)).toBe(0.1);
    expect([pyFormatFixed(Number.NaN, 1), pyFormatFixed(-Infinity, 2), pyFormatFixed(-0.0001, 2)]).toEqual(['nan', '-inf', '-0.00']);
  });
});

describe('pyStrFloat', () => {
  it('lays out floats like Python str()', () => {
    expect(pyStrFloat(0)).toBe('0.0');
    expect(pyStrFloat(-0)).toBe('-0.0');
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

// A program that reads JSON on stdin and prints JSON.
const pyJson = <T>(code: string, input: unknown): T => runPythonJson<T>({ code, input: JSON.stringify(input), timeoutMs: 60_000 });

describeWithTorch()('Python oracle', () => {
  it('str(float), round(x, n), np.round and float() agree with CPython on many values', () => {
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
    const strings = ['1_0', ' 7 ', '', '1e', 'inf', '-nan', '.', '1.', '+.5e-3', '١٢', '\u3000٣\u2003', '\ufeff1', '\x1c1', '１２.５'];
    const got = pyJson<{ str: string[]; r1: string[]; r2: string[]; n1: string[]; f: (string | null)[] }>(
      [
        'import json,sys',
        'import numpy as np',
        'd=json.load(sys.stdin)',
        "d['v']=[float(v) for v in d['v']]",
        'def f(s):',
        '  try: return str(float(s))',
        '  except ValueError: return None',
        "print(json.dumps({'str':[str(v) for v in d['v']],'r1':[str(round(v,1)) for v in d['v']],",
        "'r2':[str(round(v,2)) for v in d['v']],'n1':[str(float(np.round(np.float64(v),1))) for v in d['v']],'f':[f(s) for s in d['s']]}))",
      ].join('\n'),
      { v: values, s: strings },
    );
    expect(values.map(pyStrFloat)).toEqual(got.str);
    expect(values.map((v) => pyStrFloat(pyRound(v, 1)))).toEqual(got.r1);
    expect(values.map((v) => pyStrFloat(pyRound(v, 2)))).toEqual(got.r2);
    expect(values.map((v) => pyStrFloat(npRound(v, 1)))).toEqual(got.n1);
    expect(strings.map((s) => { const v = tryPyFloat(s); return v === null ? null : pyStrFloat(v); })).toEqual(got.f);
  });

  it('every Unicode 14 decimal digit and whitespace character reads as in CPython', () => {
    const got = pyJson<{ digits: [number, number][]; space: number[] }>(
      [
        'import json,sys,unicodedata',
        'sys.stdin.read()',
        "d=[[c,unicodedata.decimal(chr(c))] for c in range(0x110000) if unicodedata.decimal(chr(c),-1)>=0]",
        's=[c for c in range(0x110000) if chr(c).isspace()]',
        "print(json.dumps({'digits':d,'space':s}))",
      ].join('\n'),
      null,
    );
    // Node's Unicode may be newer than Python's: compare over the digits CPython knows.
    expect(got.digits.filter(([cp, v]) => decimalDigitValue(String.fromCodePoint(cp)) !== v)).toEqual([]);
    expect(got.space.every((cp) => pyStrip(`${String.fromCodePoint(cp)}x`) === 'x')).toBe(true);
  });
});
