import { MMCodeDataError } from '../errors';
import { callResultMatches, officialExpected, stdoutMatches } from './compare-output';
import { extractCode, mmcodeImageSize, mmcodePromptText, mmcodeSegments } from './mmcode-prompt';
import { MMCodeRecordSchema, parseMMCodeTests } from './mmcode-record';
import { pyEquals } from './py-equals';
import { pySplitWhitespace } from './py-split';
import { decodePyValue, encodePyJson, parsePyJson, type PyValue } from './py-value';
import { passAtK } from './run-problem';

const record = (patch: Record<string, unknown> = {}) => MMCodeRecordSchema.parse({
  problem_id: 1, question: 'Add.\n![image](1.png)\nPrint.', images: ['a'], input_output: '{"inputs": ["1 2"], "outputs": ["3"]}', starter_code: '', image_tags: ['table'], ...patch,
});
const INSTR = 'You are required to solve a programming problem. Please enclose your code inside a ```python``` block.  Do not write a main() function. If Call-Based format is used, return the result in an appropriate place instead of printing it.\n\n';
const str = (v: string): PyValue => ({ t: 'str', v });
const int = (v: number | bigint): PyValue => ({ t: 'int', v: BigInt(v) });
const list = (...v: PyValue[]): PyValue => ({ t: 'list', v });

describe('MMCode prompt (generate.py + models.py GPT-4V)', () => {
  it('is the official text byte for byte for Standard IO problems', () => {
    expect(mmcodePromptText(record())).toBe(`${INSTR}\nQUESTION:\nAdd.\n![image](1.png)\nPrint.\nPlease write your code using Standard IO, i.e. input() and print().\nANSWER:\n`);
  });
  it('keeps the Call-Based quirks: a literal backslash, no newlines around the starter code sentence', () => {
    const call = record({ input_output: '{"fn_name": "f", "inputs": [[1]], "outputs": [[1]]}', starter_code: 'class Solution:\n    def f(self, x):' });
    expect(mmcodePromptText(call)).toBe(`${INSTR}\nQUESTION:\nAdd.\n![image](1.png)\nPrint.\\Please write your code using Call-Based format.The starter code is provided as below. Please finish the code.\nclass Solution:\n    def f(self, x):\n\nANSWER:\n`);
    // An empty fn_name is no fn_name to the prompt (Python `not ""`).
    expect(mmcodePromptText(record({ input_output: '{"fn_name": "", "inputs": [1], "outputs": [1]}' }))).toContain('Please write your code using Standard IO');
  });
  it('puts image k after text piece k while k < images: one image beyond the markers, the rest dropped', () => {
    const shape = (r: ReturnType<typeof record>) => mmcodeSegments(r).map((s) => ('image' in s ? `<${s.image}>` : 't'));
    expect(shape(record())).toEqual(['t', '<0>', 't']);
    expect(shape(record({ images: ['a', 'b', 'c', 'd'] }))).toEqual(['t', '<0>', 't', '<1>']);
    expect(shape(record({ images: [] }))).toEqual(['t', 't']);
    expect(shape(record({ question: '![image](1.png)![image](2.png)', images: ['a', 'b'] }))).toEqual(['t', '<0>', '<1>', 't']);
    // Python's `.` stops at a newline: a marker broken over lines is text.
    expect(mmcodeSegments(record({ question: '![image](1\n.png)' }))).toHaveLength(2);
  });
  it('upscales images to height 480 and never shrinks them', () => {
    expect(mmcodeImageSize(300, 200)).toEqual({ width: 720, height: 480 });
    expect(mmcodeImageSize(333, 250)).toEqual({ width: 639, height: 480 });
    expect(mmcodeImageSize(1000, 900)).toEqual({ width: 1000, height: 900 });
  });
  it('extracts the first python block, else the whole response', () => {
    expect(extractCode('a```python\nprint(1)\n```b```python\nprint(2)\n```')).toBe('\nprint(1)\n');
    expect(extractCode('print(3)')).toBe('print(3)');
  });
});

describe('test data as json.loads reads it', () => {
  it('keeps ints exact, floats apart from ints, accepts NaN/Infinity, lets later keys win', () => {
    expect(parsePyJson('[100000000000000000001, 2.0, 1e2, -0, NaN, -Infinity]')).toEqual(list(int(100000000000000000001n), { t: 'float', v: 2 }, { t: 'float', v: 100 }, int(0), { t: 'float', v: Number.NaN }, { t: 'float', v: -Infinity }));
    expect(parsePyJson('{"a": 1, "b": 2, "a": 3}')).toEqual({ t: 'dict', v: [[str('a'), int(3)], [str('b'), int(2)]] });
    expect(parsePyJson('"\\ud800x"')).toEqual(str('\ud800x'));
    expect(() => parsePyJson('[1,]')).toThrow(MMCodeDataError);
    expect(() => parsePyJson('"a\tb"')).toThrow(/control character/);
  });
  it('writes inputs back so that Python reads the same values', () => {
    expect(encodePyJson(parsePyJson('[2.0, 3, 1e+21, 123456789012345678901, {"k": [null, true]}]'))).toBe('[2.0,3,1e+21,123456789012345678901,{"k":[null,true]}]');
  });
  it('validates input_output as the official layout', () => {
    expect(parseMMCodeTests('{"inputs": ["1"], "outputs": ["2"]}').fnName).toBeNull();
    expect(parseMMCodeTests('{"inputs": [[1]], "outputs": [[2]], "fn_name": null}').fnName).toBeNull();
    expect(() => parseMMCodeTests('{"inputs": [1], "outputs": []}')).toThrow(/differ in length/);
    expect(MMCodeRecordSchema.safeParse({ problem_id: 'x', question: 'q', images: [], input_output: '{"inputs": [' }).success).toBe(false);
  });
  it('decodes the runner encoding and rejects anything else', () => {
    expect(decodePyValue(['l', [['i', '-ff'], ['f', 'inf'], ['b', 1], ['t', []], ['d', [[['s', 'k'], ['n']]]]]])).toEqual(list(int(-255), { t: 'float', v: Infinity }, { t: 'bool', v: true }, { t: 'tuple', v: [] }, { t: 'dict', v: [[str('k'), { t: 'none' }]] }));
    expect(() => decodePyValue(['x'])).toThrow(MMCodeDataError);
    expect(() => decodePyValue(['i', '12z'])).toThrow(MMCodeDataError);
  });
});

describe('Python semantics of the comparisons', () => {
  it('splits on Python\'s whitespace set', () => {
    expect(pySplitWhitespace(' a\u00a0b\t\tc ')).toEqual(['a', 'b', 'c']);
  });
  it('compares like Python ==', () => {
    expect(pyEquals({ t: 'bool', v: true }, int(1))).toBe(true);
    expect(pyEquals({ t: 'float', v: 1e20 }, int(100000000000000000001n))).toBe(false);
    expect(pyEquals({ t: 'float', v: 2 ** 60 }, int(2n ** 60n))).toBe(true);
    expect(pyEquals({ t: 'complex', re: 2, im: 0 }, int(2))).toBe(true);
    expect(pyEquals({ t: 'tuple', v: [int(1)] }, list(int(1)))).toBe(false);
    expect(pyEquals({ t: 'dict', v: [[{ t: 'float', v: 1 }, str('a')]] }, { t: 'dict', v: [[{ t: 'bool', v: true }, str('a')]] })).toBe(true);
    expect(pyEquals({ t: 'float', v: Number.NaN }, { t: 'float', v: Number.NaN })).toBe(false);
    expect(pyEquals({ t: 'object', type: 'Foo' }, { t: 'object', type: 'Foo' })).toBe(false);
  });
  it('runs the stdout cascade exactly (no per-token tolerance, no rounding inside mixed lines)', () => {
    expect(stdoutMatches(['5  '], str('5'))).toBe(true);
    expect(stdoutMatches(['1.0000001 x'], str('1 x'))).toBe(false);
    expect(stdoutMatches(['1.0004 2'], str('1.0001 2'))).toBe(true);
    expect(stdoutMatches(['0.33333333'], str('0.333333333'))).toBe(true);
    expect(stdoutMatches(['1', '2'], list(str('1'), str('2')))).toBe(true);
    expect(stdoutMatches(['1', '2'], str('1\n \n2'))).toBe(false);
    expect(() => stdoutMatches(['1'], int(1))).toThrow(/not text/);
  });
  it('runs the call-based checks with the official dict-key and tuple rules', () => {
    expect(callResultMatches({ t: 'tuple', v: [int(1), int(2)] }, list(int(1), int(2)))).toBe(true);
    expect(callResultMatches(int(3), list(int(3)))).toBe(true);
    expect(callResultMatches(list(int(3)), list(int(3)))).toBe(true);
    expect(callResultMatches(list({ t: 'tuple', v: [int(1)] }), list(list(list(int(1)))))).toBe(true);
    expect(callResultMatches({ t: 'ndarray', shape: [2], v: [int(1), int(2)] }, list(list(int(1), int(2))))).toBe(-1);
    expect(officialExpected(parsePyJson('{"1": "a", "01": "b"}'))).toEqual(list({ t: 'dict', v: [[int(1), str('b')]] }));
    expect(officialExpected(parsePyJson('[{"2": 1}, 5]'))).toEqual(list({ t: 'dict', v: [[int(2), int(1)]] }));
    expect(officialExpected(parsePyJson('{"a": 1}'))).toEqual(parsePyJson('{"a": 1}'));
  });
  it('computes the unbiased pass@k', () => {
    expect(passAtK(5, 2, 1)).toBeCloseTo(0.4, 12);
    expect(passAtK(5, 0, 1)).toBe(0);
    expect(passAtK(4, 2, 2)).toBeCloseTo(1 - 1 / 6, 12);
  });
});
