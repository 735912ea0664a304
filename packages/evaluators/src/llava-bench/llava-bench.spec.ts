import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MemoryJudgeCache } from '../../test/memory-judge-cache';
import { TableGenerator, transportError } from '../../test/table-generator';
import { GeneratorJudge } from '../judge/generator-judge';
import { loadRecords, parseRecords } from '../records/load-records';
import { writeEvalOutputs } from '../report/eval-outputs';
import { formatTable } from '../report/format-table';
import { joinLlavaBench, LlavaAnswerSchema, LlavaBenchRowSchema, LlavaContextSchema, LlavaQuestionSchema, type LlavaBenchItem } from './llava-bench-record';
import { LLAVA_REVIEW_SYSTEM } from './review-prompt';
import { scoreLlavaBench } from './score-llava-bench';

const jsonl = (rows: unknown[]): string => rows.map((r) => JSON.stringify(r)).join('\n') + '\n';

// The scripted reviewer answers from a marker in Assistant 2's text.
const reviewer = (): TableGenerator =>
  new TableGenerator('gpt-4-0314', (call) => {
    const m = /REVIEW<([^>]*)>/.exec(call.prompt);
    if (!m) throw new Error('no marker');
    if (m[1] === 'HTTP500') throw transportError('HTTP 500: internal error', 500, 3);
    return m[1]!.replace(/\\n/g, '\n');
  });

describe('LLaVA-Bench against a scripted judge', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'llava-bench-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('scores as summarize_gpt_review.py: 3-decimal means, unparseable reviews averaged in as [-1, -1] and counted; re-runs from the cache', async () => {
    const categories = ['conv', 'conv', 'conv', 'detail', 'complex', 'complex', 'chitchat'];
    await writeFile(join(dir, 'questions.jsonl'), jsonl(categories.map((category, i) => ({ question_id: i, image: i < 3 ? '001.jpg' : '002.jpg', text: `Question ${i}?`, category }))));
    await writeFile(join(dir, 'context.jsonl'), jsonl([
      { id: '001', image: '001.jpg', caption: 'A man ironing on a taxi.' },
      { id: '002', image: '002.jpg', caption: ['A meme.', 'Two panels.'] },
    ]));
    await writeFile(join(dir, 'answers_gpt4.jsonl'), jsonl([0, 1, 2, 3, 4, 5].map((i) => ({ question_id: i, text: `reference ${i}`, answer_id: `a${i}`, model_id: 'gpt-4-0314', metadata: {} }))));
    const q = await loadRecords({ file: join(dir, 'questions.jsonl'), format: 'jsonl', schema: LlavaQuestionSchema, idField: 'question_id' });
    const c = await loadRecords({ file: join(dir, 'context.jsonl'), format: 'jsonl', schema: LlavaContextSchema });
    const a = await loadRecords({ file: join(dir, 'answers_gpt4.jsonl'), format: 'jsonl', schema: LlavaAnswerSchema });
    expect(q.errors.map((e) => [e.row, e.recordId])).toEqual([[7, '6']]);
    const { items, missing } = joinLlavaBench(q.records, c.records, a.records);
    expect(missing).toEqual([]);
    expect(items[4]!.caption).toBe('A meme.\nTwo panels.');

    const responses = new Map([
      ['0', 'He irons on a taxi. REVIEW<6 3\\nAssistant 1 is better.>'],
      ['1', 'A taxi. REVIEW<6 3\\nShort.>'],
      ['2', 'Ironing. REVIEW<6 4\\nFine.>'],
      ['3', 'A city street. REVIEW<9 9\\nBoth fine.>'],
      ['4', 'It is absurd. REVIEW<10 5\\nToo short.>'],
      ['5', 'Yellow. REVIEW<I rate them 7 and 7>'], // never parseable: [-1, -1], averaged in and counted
    ]);
    const reviews = reviewer();
    const cache = new MemoryJudgeCache();
    const score = (opts: { unparseable?: 'official' | 'exclude' } = {}) =>
      scoreLlavaBench(items, { model: 'tiny', responses, judge: new GeneratorJudge(reviews, { cache }), parseRetries: 1, ...opts });
    const first = await score();
    expect(reviews.calls[0]!.system).toBe(LLAVA_REVIEW_SYSTEM);
    expect(reviews.calls[0]!.sampling).toEqual({ temperature: 0.2, topP: 1, maxNewTokens: 1024 });
    expect(reviews.calls[0]!.prompt.startsWith('[Context]\nA man ironing on a taxi.\n\n[Question]\nQuestion 0?\n\n[Assistant 1]\nreference 0\n\n[End of Assistant 1]\n\n[Assistant 2]\nHe irons')).toBe(true);
    expect(reviews.calls).toHaveLength(5 + 2);
    expect(first.result).toMatchObject({ benchmark: 'llava-bench', scale: 'relative', scored: 6, failed: 0 });
    // all: reference mean (6+6+6+9+10-1)/6 = 6.0, model mean round(23/6, 3) = 3.833.
    expect(first.result.score).toBe((3.833 / 6) * 100);
    expect(first.extra).toEqual({ reference_mean: 6, model_mean: 3.833 });
    // conv: round(10/3, 3) = 3.333 → 3.333 / 6 × 100 = 55.55 → "55.5"; without the 3-decimal step it would print 55.6.
    expect(first.result.breakdowns['category']).toEqual({ complex: (2 / 4.5) * 100, conv: (3.333 / 6) * 100, detail: 100 });
    const table = formatTable(first);
    expect(table).toMatch(/^category: conv +55\.5$/m);
    expect(table).toMatch(/^score +63\.9 \(relative\)$/m);
    expect(table).toMatch(/^unparseable replies +1 \(averaged in as \[-1, -1\], as the official script does\)$/m);
    expect(first.items.find((i) => i.itemId === '5')).toMatchObject({ extracted: '-1 -1', unparseable: true, verdict: 'reviewed' });

    const again = await score();
    expect(reviews.calls).toHaveLength(7); // everything, the unparseable replies too, came from the cache
    expect(again.result).toEqual(first.result);

    const excluded = await score({ unparseable: 'exclude' });
    expect(excluded.result).toMatchObject({ scored: 5, failed: 1 });
    expect(excluded.result.breakdowns['category']!['complex']).toBe(50);
  });

  it('never scores a blank reply or a 500 as a review: they are counted failures', async () => {
    const items: LlavaBenchItem[] = ['0', '1', '2', '3'].map((id) => ({ id, image: 'i.jpg', question: `Q${id}`, category: 'conv', caption: 'c', reference: 'r' }));
    const responses = new Map([
      ['0', 'REVIEW<>'], // blank every time
      ['1', 'REVIEW<HTTP500>'],
      ['2', 'REVIEW<garbage>'],
      ['3', 'REVIEW<8 6\\nok>'],
    ]);
    const reviews = reviewer();
    const run = await scoreLlavaBench(items, { model: 'tiny', responses, judge: new GeneratorJudge(reviews), parseRetries: 0 });
    const byId = Object.fromEntries(run.items.map((i) => [i.itemId, i]));
    expect(byId['0']).toMatchObject({ verdict: 'failed', failureKind: 'judge' });
    expect(byId['0']!.failure).toMatch(/blank reply/);
    expect(byId['1']).toMatchObject({ verdict: 'failed', failureKind: 'judge' });
    expect(byId['2']).toMatchObject({ extracted: '-1 -1', unparseable: true });
    expect(run.result).toMatchObject({ scored: 2, failed: 2 });
    // (6 - 1)/2 / ((8 - 1)/2) × 100
    expect(run.result.score).toBeCloseTo((2.5 / 3.5) * 100, 12);
    expect(formatTable(run)).toMatch(/WARNING: 2 of 4 items failed/);
    const out = await writeEvalOutputs(join(dir, 'failing'), run);
    const summary = JSON.parse(await readFile(out.json, 'utf8')) as { complete: boolean; counts: unknown };
    expect(summary.complete).toBe(false);
    expect(summary.counts).toEqual({ items: 4, scored: 2, failed: 2, failedBy: { generation: 0, judge: 2, unparseable: 0, other: 0 }, unparseable: 1 });
  });

  it('reads the lmms-lab/llava-bench-in-the-wild row layout straight into joined items', () => {
    const rows = [
      { question_id: 'q0', question: 'What is unusual?', image: '/cache/ab.jpg', category: 'conv', image_id: '001', caption: 'A man ironing.', gpt_answer: 'He irons on a taxi.' },
      { question_id: 'q1', question: 'Describe.', image: '/cache/ab.jpg', category: 'detail', image_id: '001', caption: ['One.', 'Two.'], gpt_answer: 'A street.' },
      { question_id: 'q2', question: 'Bad.', image: '/cache/ab.jpg', category: 'chitchat', image_id: '001', caption: 'x', gpt_answer: 'y' },
    ];
    const { records, errors } = parseRecords(jsonl(rows), { file: 'llava.jsonl', format: 'jsonl', schema: LlavaBenchRowSchema, idField: 'question_id' });
    expect(records).toEqual([
      { id: 'q0', image: '/cache/ab.jpg', question: 'What is unusual?', category: 'conv', caption: 'A man ironing.', reference: 'He irons on a taxi.' },
      { id: 'q1', image: '/cache/ab.jpg', question: 'Describe.', category: 'detail', caption: 'One.\nTwo.', reference: 'A street.' },
    ]);
    expect(errors.map((e) => e.recordId)).toEqual(['q2']);
  });
});
