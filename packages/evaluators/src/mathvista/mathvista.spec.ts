import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MemoryJudgeCache } from '../../test/memory-judge-cache';
import { TableGenerator, transportError } from '../../test/table-generator';
import { GeneratorJudge } from '../judge/generator-judge';
import { loadRecords } from '../records/load-records';
import { extractByRules } from './extract-answer';
import { mathvistaExtractionPrompt } from './extraction-prompt';
import { MathVistaRecordSchema, type MathVistaRecord } from './mathvista-record';
import { normalizeMathVistaAnswer } from './normalize-answer';
import { mathvistaRequests, scoreMathVista } from './score-mathvista';

const meta = (over: Partial<MathVistaRecord['metadata']> = {}): MathVistaRecord['metadata'] => ({
  source: 'FunctionQA', category: 'math-targeted-vqa', task: 'figure question answering', context: 'function plot',
  grade: 'college', skills: ['algebraic reasoning'], language: 'english', ...over,
});

// testmini.json layout: an object keyed by pid.
const FIXTURE: Record<string, unknown> = {
  '1': { pid: '1', question: 'What fraction is blue?', image: 'images/1.jpg', choices: ['3/11', '8/11', '6/11'], unit: null, precision: null,
    answer: '8/11', question_type: 'multi_choice', answer_type: 'text', metadata: meta({ skills: ['arithmetic reasoning', 'statistical reasoning'] }),
    query: 'Hint: Please answer the question and provide the correct option letter, e.g., A, B, C, D, at the end.\nQuestion: What fraction is blue?\nChoices:\n(A) 3/11\n(B) 8/11\n(C) 6/11' },
  '2': { pid: '2', question: 'How many?', image: 'images/2.jpg', choices: null, unit: null, precision: null, answer: '14',
    question_type: 'free_form', answer_type: 'integer', metadata: meta({ source: 'IQTest' }), query: 'Question: How many?' },
  '3': { pid: '3', question: 'Slope?', image: 'images/3.jpg', choices: null, unit: null, precision: 2, answer: '0.12',
    question_type: 'free_form', answer_type: 'float', metadata: meta(), query: 'Question: Slope?' },
  '4': { pid: '4', question: 'Which years?', image: 'images/4.jpg', choices: null, unit: null, precision: null, answer: '[2007, 2008]',
    question_type: 'free_form', answer_type: 'list', metadata: meta({ source: 'ChartQA' }), query: 'Question: Which years?' },
  '5': { pid: '5', question: 'Pick one', image: 'images/5.jpg', choices: ['no', 'yes'], unit: null, precision: null, answer: 'no',
    question_type: 'multi_choice', answer_type: 'text', metadata: meta({ source: 'IQTest' }), query: 'Question: Pick one\nChoices:\n(A) no\n(B) yes' },
  '6': { pid: '6', question: 'Value?', image: 'images/6.jpg', choices: null, unit: null, precision: 1, answer: '5.0',
    question_type: 'free_form', answer_type: 'float', metadata: meta(), query: 'Question: Value?' },
  '7': { pid: '7', question: 'Nearest?', image: 'images/7.jpg', choices: ['3/11', '8/11'], unit: null, precision: null, answer: '8/11',
    question_type: 'multi_choice', answer_type: 'text', metadata: meta(), query: 'Question: Nearest?\nChoices:\n(A) 3/11\n(B) 8/11' },
  '8': { pid: '8', question: 'Count?', image: 'images/8.jpg', choices: null, unit: null, precision: null, answer: '3',
    question_type: 'free_form', answer_type: 'integer', metadata: meta(), query: 'Question: Count?' },
  // Invalid rows: reported with file, row and reason, then skipped.
  '9': { pid: '9', question: 'bad', image: 'x', answer: '1', question_type: 'multi_choice', answer_type: 'text', metadata: meta(), query: 'q' },
  '10': { pid: '10', question: 'bad', image: 'x', answer: 1.5, question_type: 'free_form', answer_type: 'float', precision: 1, metadata: meta(), query: 'q' },
};

const RESPONSES = new Map([
  ['1', 'The answer is (B) since 8 of 11 parts are blue. JUDGE<(B) 8/11>'],
  ['2', '14'], // integer rule
  ['3', '0.125'], // float rule: str(float) then round(0.125, 2) == 0.12 (half-to-even on the exact binary value)
  ['4', 'Between 2007 and 2008. JUDGE<[2007, 2008]>'],
  ['5', ''], // empty → "" → closest choice by Levenshtein: 'no' (distance 2) beats 'yes' (3)
  ['6', '5'], // float rule: str(float('5')) == '5.0'
  ['7', 'I think 6/11. JUDGE<6/11>'], // '6/11' is at distance 1 from both choices: the first ('3/11') wins
  ['8', 'three of them FAIL'], // the judge fails every try: reported as a failure, not a 0
]);

describe('MathVista rules', () => {
  const rec = (pid: string): MathVistaRecord => MathVistaRecordSchema.parse(FIXTURE[pid]);
  it('follows the official extraction steps', () => {
    expect(extractByRules('8/11', rec('1'))).toEqual({ extraction: '8/11', step: 'choice-text' });
    expect(extractByRules(' 14 ', rec('2'))).toEqual({ extraction: '14', step: 'integer' });
    expect(extractByRules('14.0', rec('2'))).toBeNull(); // int('14.0') raises
    expect(extractByRules('1e-05', rec('3'))).toEqual({ extraction: '1e-05', step: 'float' });
    expect(extractByRules('The answer is "[1, 2]".', rec('4'), true)).toEqual({ extraction: '[1, 2]', step: 'quick' });
    expect(extractByRules('The answer is "[1, 2]".', rec('4'), false)).toBeNull();
  });
  it('normalizes like calculate_score.py', () => {
    expect(normalizeMathVistaAnswer('B', rec('1'))).toBe('8/11');
    expect(normalizeMathVistaAnswer('(c) six', rec('1'))).toBe('6/11');
    expect(normalizeMathVistaAnswer('14.9', rec('2'))).toBe('14');
    expect(normalizeMathVistaAnswer('', rec('2'))).toBeNull(); // float('') raises
    expect(normalizeMathVistaAnswer('2.675', rec('3'))).toBe('2.67');
    expect(normalizeMathVistaAnswer('1', rec('3'))).toBe('1.0');
  });
  it('builds the official extraction prompt', () => {
    const p = mathvistaExtractionPrompt('Question: Q?', 'resp');
    expect(p.startsWith('Please read the following example. Then extract the answer')).toBe(true);
    expect(p.endsWith('Extracted answer: B\n\nQuestion: Q?\n\nresp\n\nExtracted answer: ')).toBe(true);
  });
});

describe('MathVista end to end with a scripted judge', () => {
  // A failing call rejects the way mllm's generator does once its retries (here: 2 attempts) are spent.
  const extractor = new TableGenerator('gpt-4-0613', (call) => {
    if (call.prompt.includes('FAIL')) throw transportError('HTTP 500: scripted judge failure', 500, 2);
    return /JUDGE<([^>]*)>/.exec(call.prompt)![1]!;
  });
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mathvista-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('loads testmini.json, scores with breakdowns, counts failures, and re-runs from the cache', async () => {
    const file = join(dir, 'testmini.json');
    await writeFile(file, JSON.stringify(FIXTURE));
    const { records, errors } = await loadRecords({ file, format: 'json-object', schema: MathVistaRecordSchema, idField: 'pid' });
    expect(records.map((r) => r.pid)).toEqual(['1', '2', '3', '4', '5', '6', '7', '8']);
    expect(errors.map((e) => [e.file, e.row, e.recordId])).toEqual([[file, '9', '9'], [file, '10', '10']]);
    expect(errors[0]!.reason).toMatch(/multi_choice item without choices/);
    expect(errors[1]!.reason).toMatch(/^answer:/);
    expect(mathvistaRequests(records, '/data')[0]).toMatchObject({ id: '1', image: { kind: 'path', path: '/data/images/1.jpg' } });

    const cache = new MemoryJudgeCache();
    const run = async () => {
      const judge = new GeneratorJudge(extractor, { cache });
      return scoreMathVista(records, { model: 'tiny', responses: RESPONSES, judge });
    };
    const first = await run();
    const byId = Object.fromEntries(first.items.map((i) => [i.itemId, i]));
    expect(byId['1']).toMatchObject({ extracted: '8/11', verdict: 'correct' });
    expect(byId['2']).toMatchObject({ extracted: '14', verdict: 'correct' });
    expect(byId['3']).toMatchObject({ extracted: '0.12', verdict: 'correct' });
    expect(byId['4']).toMatchObject({ extracted: '[2007, 2008]', verdict: 'correct' });
    expect(byId['5']).toMatchObject({ extracted: 'no', verdict: 'correct' });
    expect(byId['6']).toMatchObject({ extracted: '5.0', verdict: 'correct' });
    expect(byId['7']).toMatchObject({ extracted: '3/11', verdict: 'wrong' });
    expect(byId['8']).toMatchObject({ verdict: 'failed', extracted: null });
    expect(byId['8']!.failure).toMatch(/^judge gpt-4-0613 failed after 2 attempt\(s\): HTTP 500: scripted judge failure/);
    expect(first.result).toMatchObject({ benchmark: 'mathvista', scored: 7, failed: 1 });
    expect(first.result.score).toBeCloseTo(6 / 7, 12);
    expect(first.judgeModel).toBe('gpt-4-0613');
    expect(first.result.breakdowns['source']).toEqual({ ChartQA: 1, FunctionQA: 0.75, IQTest: 1 });
    expect(first.result.breakdowns['skills']).toEqual({ 'algebraic reasoning': 5 / 6, 'arithmetic reasoning': 1, 'statistical reasoning': 1 });
    // 3 successful judge extractions + 1 failing one, all at temperature 0 with 256 tokens.
    expect(extractor.calls).toHaveLength(4);
    expect(extractor.calls.every((c) => c.sampling.temperature === 0 && c.sampling.maxNewTokens === 256)).toBe(true);

    const second = await run();
    expect(extractor.calls).toHaveLength(4 + 1); // only the failed call is asked again; cached ones make no call
    expect(second.result).toEqual(first.result);
  });
});
