import type { GenerationRequest } from '@smart/types';
import { MemoryJudgeCache } from '../../test/memory-judge-cache';
import { TableGenerator } from '../../test/table-generator';
import { GeneratorJudge } from '../judge/generator-judge';
import { parseRecords } from '../records/load-records';
import { mmvetGraderPrompt, parseMMVetGrade } from './grader-prompt';
import { MMVetRecordSchema } from './mmvet-record';
import { scoreMMVet } from './score-mmvet';

const MMVET_JSON = JSON.stringify({
  v1_0: { imagename: 'v1_0.png', capability: ['ocr', 'math'], question: 'What is x in the equation?', answer: '-1<AND>-5' },
  v1_1: { imagename: 'v1_1.png', capability: ['rec', 'know', 'gen'], question: 'Explain the meme.', answer: 'Iceland is green.' },
  v1_2: { imagename: 'v1_2.png', capability: ['rec'], question: 'What animal?', answer: 'cat<OR>kitten' },
  v1_3: { imagename: 'v1_3.png', capability: ['ocr'], question: 'Price?', answer: '$5' },
  v1_4: { imagename: 'v1_4.png', capability: ['telepathy'], question: 'bad', answer: 'x' },
});

describe('MM-Vet', () => {
  const { records, errors } = parseRecords(MMVET_JSON, { file: 'mm-vet.json', format: 'json-object', schema: MMVetRecordSchema, keyField: 'id', idField: 'id' });

  it('loads mm-vet.json keyed by id and reports unknown capabilities', () => {
    expect(records.map((r) => r.id)).toEqual(['v1_0', 'v1_1', 'v1_2', 'v1_3']);
    expect(errors.map((e) => [e.row, e.recordId])).toEqual([['v1_4', 'v1_4']]);
  });

  it('builds the official grader row and parses grades', () => {
    const p = mmvetGraderPrompt(records[0]!, 'x = -1');
    expect(p.endsWith('1.0\n\nWhat is x in the equation? | -1 <AND> -5 | x = -1 | ')).toBe(true);
    expect(parseMMVetGrade('0.5')).toBe(0.5);
    expect(parseMMVetGrade('1.0 because')).toBe(1);
    expect(parseMMVetGrade('1.5')).toBeNull();
    expect(parseMMVetGrade('The')).toBeNull();
  });

  describe('against a scripted grader', () => {
    // Grades come from a script per prediction; v1_2's grader never answers with a number.
    let script: (call: GenerationRequest, pred: string) => string;
    const grader = new TableGenerator('gpt-4-0613', (call) => {
      const row = call.prompt.split('\n').filter((l) => l.includes(' | ')).at(-1)!;
      return script(call, row.split(' | ')[2]!);
    });

    it('grades N runs, re-asks unparseable grades with rising temperature, reports failures, and caches', async () => {
      const perRun = new Map<string, number>();
      script = (call, pred) => {
        if (pred === 'cat') return 'Correctness:'; // never parseable
        if (pred === 'x = -1') {
          const n = (perRun.get(pred) ?? 0) + 1;
          perRun.set(pred, n);
          return n === 1 ? '0.5' : '0.7'; // run 0 and run 1 differ, like a nondeterministic grader
        }
        return pred === 'Iceland is green, Greenland icy.' ? '1.0' : '0.0';
      };
      const responses = new Map([
        ['v1_0', 'x = -1'],
        ['v1_1', 'Iceland is green, Greenland icy.'],
        ['v1_2', 'cat'],
        ['v1_3', '$7'],
      ]);
      const cache = new MemoryJudgeCache();
      const judge = new GeneratorJudge(grader, { cache });
      const run = await scoreMMVet(records, { model: 'tiny', responses, judge, runs: 2 });
      // v1_2: 5 tries: the original prompt at t=0, then the re-ask at t=0, 0.5, 1.0, 1.5; after the
      // failed first run the item is not graded again.
      const catCalls = grader.calls.filter((c) => c.prompt.includes('| cat | '));
      expect(catCalls.map((c) => [c.sampling.temperature, c.prompt.endsWith('(digit): ')])).toEqual([
        [0, false], [0, true], [0.5, true], [1, true], [1.5, true],
      ]);
      expect(catCalls.every((c) => c.sampling.maxNewTokens === 3 && c.system === undefined)).toBe(true);
      expect(run.items.find((i) => i.itemId === 'v1_2')).toMatchObject({ verdict: 'failed' });
      expect(run.items.find((i) => i.itemId === 'v1_0')).toMatchObject({ extracted: '0.5,0.7', score: 0.6 });
      expect(run.result).toMatchObject({ benchmark: 'mmvet', scale: 'percent', scored: 3, failed: 1 });
      // Run totals: (0.5 + 1 + 0)/3 and (0.7 + 1 + 0)/3, ×100.
      expect(run.result.score).toBeCloseTo(((1.5 + 1.7) / 6) * 100, 10);
      expect(run.extra).toEqual({ runs: 2, std: 3.3, run_totals: [50, 56.7] });
      expect(run.result.breakdowns['capability']!['ocr']).toBeCloseTo(30, 10); // (0.6 + 0) / 2
      expect(run.result.breakdowns['capability']!['math']).toBeCloseTo(60, 10);
      expect(run.result.breakdowns['capability_combo']).toEqual({ gen_know_rec: 100, math_ocr: expect.closeTo(60, 10), ocr: 0 });

      const calls = grader.calls.length;
      const again = await scoreMMVet(records, { model: 'tiny', responses, judge, runs: 2 });
      expect(grader.calls.length).toBe(calls);
      expect(again.result).toEqual(run.result);

      // The official fallback (0.0 after 5 tries) is available explicitly; run 0 comes from the cache,
      // only v1_2's second run (never reached before) is asked.
      const official = await scoreMMVet(records, { model: 'tiny', responses, judge, runs: 2, unparseable: 'zero' });
      expect(grader.calls.length).toBe(calls + 5);
      expect(official.result).toMatchObject({ scored: 4, failed: 0 });
    });
  });
});
