import type { GenerationRequest } from '@smart/types';
import { MemoryJudgeCache } from '../../test/memory-judge-cache';
import { TableGenerator, transportError } from '../../test/table-generator';
import { GeneratorJudge } from '../judge/generator-judge';
import { parseRecords } from '../records/load-records';
import { formatTable } from '../report/format-table';
import { isCompleteRun, tallyItems } from '../report/eval-run';
import { mmvetGraderPrompt, parseMMVetGrade } from './grader-prompt';
import { MMVetRecordSchema } from './mmvet-record';
import { mmvetRequests, scoreMMVet } from './score-mmvet';

const MMVET_JSON = JSON.stringify({
  v1_0: { imagename: 'v1_0.png', capability: ['ocr', 'math'], question: 'What is x in the equation?', answer: '-1<AND>-5' },
  v1_1: { imagename: 'v1_1.png', capability: ['rec', 'know', 'gen'], question: 'Explain the meme.', answer: 'Iceland is green.' },
  v1_2: { imagename: 'v1_2.png', capability: ['rec'], question: 'What animal?', answer: 'cat<OR>kitten' },
  v1_3: { imagename: 'v1_3.png', capability: ['ocr'], question: 'Price?', answer: '$5' },
  v1_4: { imagename: 'v1_4.png', capability: ['telepathy'], question: 'bad', answer: 'x' },
});
const load = () => parseRecords(MMVET_JSON, { file: 'mm-vet.json', format: 'json-object', schema: MMVetRecordSchema, keyField: 'id', idField: 'id' });

/** The prediction cell of the query row (the last table row; the few-shot rows above it hold other predictions). */
const predictionOf = (call: GenerationRequest): string => call.prompt.split('\n').filter((l) => l.includes(' | ')).at(-1)!.split(' | ')[2]!;

/** A grader answering from a script keyed by the prediction it grades. */
const scripted = (script: (call: GenerationRequest, prediction: string) => string): TableGenerator =>
  new TableGenerator('gpt-4-0613', (call) => script(call, predictionOf(call)));

describe('MM-Vet records', () => {
  it('loads mm-vet.json keyed by id and reports unknown capabilities', () => {
    const { records, errors } = load();
    expect(records.map((r) => r.id)).toEqual(['v1_0', 'v1_1', 'v1_2', 'v1_3']);
    expect(errors.map((e) => [e.row, e.recordId])).toEqual([['v1_4', 'v1_4']]);
  });

  it('reads the lmms-lab/MMVet layout, whose capability is a comma-separated string', () => {
    const rows = [
      { question_id: 'v1_0', image: '/cache/ab.png', question: 'What is x?', answer: '-1<AND>-5', image_source: 'web', capability: 'ocr,math' },
      { question_id: 'v1_1', image: '/cache/cd.png', question: 'Explain.', answer: 'Iceland', capability: 'rec, know ,gen' },
      { question_id: 'v1_2', image: '/cache/ef.png', question: 'Bad', answer: 'x', capability: 'rec,telepathy' },
    ];
    const { records, errors } = parseRecords(rows.map((r) => JSON.stringify(r)).join('\n'), { file: 'mmvet.jsonl', format: 'jsonl', schema: MMVetRecordSchema, idField: 'question_id' });
    expect(records).toEqual([
      { id: 'v1_0', imagename: 'ab.png', image: '/cache/ab.png', capability: ['ocr', 'math'], question: 'What is x?', answer: '-1<AND>-5' },
      { id: 'v1_1', imagename: 'cd.png', image: '/cache/cd.png', capability: ['rec', 'know', 'gen'], question: 'Explain.', answer: 'Iceland' },
    ]);
    expect(errors.map((e) => [e.row, e.recordId])).toEqual([[3, 'v1_2']]);
    expect(mmvetRequests(records, '/data')[0]!.image).toEqual({ kind: 'path', path: '/cache/ab.png' });
    expect(mmvetRequests(load().records, '/data')[0]!.image).toEqual({ kind: 'path', path: '/data/v1_0.png' });
  });

  it('builds the official grader row and parses grades', () => {
    const p = mmvetGraderPrompt(load().records[0]!, 'x = -1');
    expect(p.endsWith('1.0\n\nWhat is x in the equation? | -1 <AND> -5 | x = -1 | ')).toBe(true);
    expect(parseMMVetGrade('1.0 because')).toBe(1);
    expect(parseMMVetGrade('The')).toBeNull();
  });
});

describe('MM-Vet against a scripted grader', () => {
  const { records } = load();
  const responses = new Map([
    ['v1_0', 'x = -1'],
    ['v1_1', 'Iceland is green, Greenland icy.'],
    ['v1_2', 'cat'],
    ['v1_3', '$7'],
  ]);

  it('grades N runs like export_result, scores a never-parseable grade 0.0 with a count, and re-runs from the cache', async () => {
    const perRun = new Map<string, number>();
    const grader = scripted((_call, pred) => {
      if (pred === 'cat') return 'Correctness:'; // never parseable
      if (pred === 'x = -1') {
        const n = (perRun.get(pred) ?? 0) + 1;
        perRun.set(pred, n);
        return n === 1 ? '0.5' : '0.7'; // run 0 and run 1 differ, like a nondeterministic grader
      }
      return pred === 'Iceland is green, Greenland icy.' ? '1.0' : '0.0';
    });
    const cache = new MemoryJudgeCache();
    const run = await scoreMMVet(records, { model: 'tiny', responses, judge: new GeneratorJudge(grader, { cache }), runs: 2 });
    // v1_2, per run: the prompt at t=0, then the re-ask at t=0, 0.5, 1.0, 1.5.
    const catCalls = grader.calls.filter((c) => predictionOf(c) === 'cat');
    expect(catCalls.map((c) => [c.sampling.temperature, c.prompt.endsWith('(digit): ')])).toEqual(
      [0, 1].flatMap(() => [[0, false], [0, true], [0.5, true], [1, true], [1.5, true]]),
    );
    expect(catCalls.every((c) => c.sampling.maxNewTokens === 3 && c.system === undefined)).toBe(true);
    expect(run.items.find((i) => i.itemId === 'v1_2')).toMatchObject({ verdict: 'graded', score: 0, extracted: '0,0', unparseable: true });
    expect(run.items.find((i) => i.itemId === 'v1_0')).toMatchObject({ extracted: '0.5,0.7', score: 0.6 });
    expect(run.result).toMatchObject({ benchmark: 'mmvet', scale: 'percent', scored: 4, failed: 0 });
    // Run totals: (0.5 + 1 + 0 + 0)/4 and (0.7 + 1 + 0 + 0)/4, ×100.
    expect(run.result.score).toBeCloseTo(40, 10);
    expect(run.extra).toEqual({ runs: 2, std: 2.5, run_totals: [37.5, 42.5] });
    expect(run.result.breakdowns['capability']).toEqual({ gen: 100, know: 100, math: expect.closeTo(60, 10), ocr: expect.closeTo(30, 10), rec: 50 });
    expect(run.result.breakdowns['capability_combo']).toEqual({ gen_know_rec: 100, math_ocr: expect.closeTo(60, 10), ocr: 0, rec: 0 });
    expect(tallyItems(run.items)).toMatchObject({ failed: 0, unparseable: 1 });
    expect(isCompleteRun(run)).toBe(false);
    expect(formatTable(run)).toMatch(/^unparseable replies +1 \(graded 0\.0 after 5 tries, as the official script does\)$/m);

    const calls = grader.calls.length;
    expect(calls).toBe(3 * 2 + 5 * 2);
    const again = await scoreMMVet(records, { model: 'tiny', responses, judge: new GeneratorJudge(grader, { cache }), runs: 2 });
    expect(grader.calls.length).toBe(calls);
    expect(again.result).toEqual(run.result);

    // --exclude-unparseable: the same cached grades, v1_2 now a failure outside every mean.
    const excluded = await scoreMMVet(records, { model: 'tiny', responses, judge: new GeneratorJudge(grader, { cache }), runs: 2, unparseable: 'exclude' });
    expect(grader.calls.length).toBe(calls);
    expect(excluded.result).toMatchObject({ scored: 3, failed: 1 });
    expect(excluded.result.score).toBeCloseTo((50 + 170 / 3) / 2, 10);
    expect(excluded.items.find((i) => i.itemId === 'v1_2')).toMatchObject({ verdict: 'failed', failureKind: 'unparseable', unparseable: true });
    expect(excluded.result.breakdowns['capability']!['rec']).toBe(100);
  });

  it('never scores a blank reply or a 500 as a wrong answer: they are counted failures', async () => {
    const grader = scripted((_call, pred) => {
      if (pred === 'x = -1') return ''; // blank every time
      if (pred === 'cat') throw transportError('HTTP 500: internal error', 500, 3);
      if (pred === '$7') return 'garbage';
      return '1.0';
    });
    const run = await scoreMMVet(records, { model: 'tiny', responses, judge: new GeneratorJudge(grader) });
    const byId = Object.fromEntries(run.items.map((i) => [i.itemId, i]));
    expect(byId['v1_0']).toMatchObject({ verdict: 'failed', failureKind: 'judge' });
    expect(byId['v1_0']!.failure).toMatch(/blank reply/);
    expect(grader.calls.filter((c) => predictionOf(c) === 'x = -1')).toHaveLength(3); // the ask and 2 re-asks, never graded 0.0
    expect(byId['v1_2']).toMatchObject({ verdict: 'failed', failureKind: 'judge' });
    expect(byId['v1_2']!.failure).toMatch(/HTTP 500/);
    expect(byId['v1_3']).toMatchObject({ verdict: 'graded', score: 0, unparseable: true });
    expect(run.result).toMatchObject({ scored: 2, failed: 2 });
    expect(run.result.score).toBe(50); // (1.0 + 0.0) / 2 × 100
    const table = formatTable(run);
    expect(table).toMatch(/^score +50\.0 over 2 of 4 items$/m);
    expect(table).toMatch(/^scored \/ failed +2 \/ 2 \(2 judge\)$/m);
    expect(table).toMatch(/WARNING: 2 of 4 items failed/);
  });
});
