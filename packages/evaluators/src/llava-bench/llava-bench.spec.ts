import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MemoryJudgeCache } from '../../test/memory-judge-cache';
import { TableGenerator } from '../../test/table-generator';
import { GeneratorJudge } from '../judge/generator-judge';
import { loadRecords } from '../records/load-records';
import { joinLlavaBench, LlavaAnswerSchema, LlavaContextSchema, LlavaQuestionSchema } from './llava-bench-record';
import { LLAVA_REVIEW_SYSTEM, parseLlavaReview } from './review-prompt';
import { scoreLlavaBench } from './score-llava-bench';

const jsonl = (rows: unknown[]): string => rows.map((r) => JSON.stringify(r)).join('\n') + '\n';

describe('LLaVA-Bench review parsing', () => {
  it('follows parse_score', () => {
    expect(parseLlavaReview('8 6\nAssistant 1 is more detailed.')).toEqual([8, 6]);
    expect(parseLlavaReview('7,9\n')).toEqual([7, 9]);
    expect(parseLlavaReview('8  6')).toBeNull(); // three parts after split(' ')
    expect(parseLlavaReview('Scores: 8 6')).toBeNull();
  });
});

describe('LLaVA-Bench against a scripted judge', () => {
  // The scripted reviewer answers from a marker in Assistant 2's text.
  const reviewer = new TableGenerator('gpt-4-0314', (call) => {
    const m = /REVIEW<([^>]*)>/.exec(call.prompt);
    if (!m) throw new Error('no marker');
    return m[1]!.replace(/\\n/g, '\n');
  });
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'llava-bench-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('scores relative per category, excludes unparseable reviews with a count, and re-runs with zero judge calls', async () => {
    await writeFile(join(dir, 'questions.jsonl'), jsonl([
      { question_id: 0, image: '001.jpg', text: 'What is unusual?', category: 'conv' },
      { question_id: 1, image: '001.jpg', text: 'Describe the image.', category: 'detail' },
      { question_id: 2, image: '002.jpg', text: 'Why is it funny?', category: 'complex' },
      { question_id: 3, image: '002.jpg', text: 'What color?', category: 'conv' },
      { question_id: 4, image: '002.jpg', text: 'Bad', category: 'chitchat' },
    ]));
    await writeFile(join(dir, 'context.jsonl'), jsonl([
      { id: '001', image: '001.jpg', caption: 'A man ironing on a taxi.' },
      { id: '002', image: '002.jpg', caption: ['A meme.', 'Two panels.'] },
    ]));
    await writeFile(join(dir, 'answers_gpt4.jsonl'), jsonl([0, 1, 2, 3].map((i) => ({ question_id: i, text: `reference ${i}`, answer_id: `a${i}`, model_id: 'gpt-4-0314', metadata: {} }))));
    const q = await loadRecords({ file: join(dir, 'questions.jsonl'), format: 'jsonl', schema: LlavaQuestionSchema, idField: 'question_id' });
    const c = await loadRecords({ file: join(dir, 'context.jsonl'), format: 'jsonl', schema: LlavaContextSchema });
    const a = await loadRecords({ file: join(dir, 'answers_gpt4.jsonl'), format: 'jsonl', schema: LlavaAnswerSchema });
    expect(q.errors.map((e) => [e.row, e.recordId])).toEqual([[5, '4']]);
    const { items, missing } = joinLlavaBench(q.records, c.records, a.records);
    expect(missing).toEqual([]);
    expect(items[2]!.caption).toBe('A meme.\nTwo panels.');

    const responses = new Map([
      ['0', 'He irons on a taxi. REVIEW<8 6\\nAssistant 1 is better.>'],
      ['1', 'A city street. REVIEW<9 9\\nBoth fine.>'],
      ['2', 'It is absurd. REVIEW<10 5\\nToo short.>'],
      ['3', 'Yellow. REVIEW<I rate them 7 and 7>'], // never parseable: excluded and counted, not scored -1
    ]);
    const cache = new MemoryJudgeCache();
    const run = async () => {
      const judge = new GeneratorJudge(reviewer, { cache });
      return { out: await scoreLlavaBench(items, { model: 'tiny', responses, judge, parseRetries: 1 }), judge };
    };
    const { out: first } = await run();
    expect(reviewer.calls[0]!.system).toBe(LLAVA_REVIEW_SYSTEM);
    expect(reviewer.calls[0]!.sampling).toEqual({ temperature: 0.2, topP: 1, maxNewTokens: 1024 });
    expect(reviewer.calls[0]!.prompt.startsWith('[Context]\nA man ironing on a taxi.\n\n[Question]\nWhat is unusual?\n\n[Assistant 1]\nreference 0\n\n[End of Assistant 1]\n\n[Assistant 2]\nHe irons')).toBe(true);
    expect(reviewer.calls).toHaveLength(3 + 2);
    expect(first.result).toMatchObject({ benchmark: 'llava-bench', scale: 'relative', scored: 3, failed: 1 });
    // (6 + 9 + 5) / (8 + 9 + 10) × 100
    expect(first.result.score).toBeCloseTo((20 / 27) * 100, 10);
    expect(first.result.breakdowns['category']).toEqual({ complex: 50, conv: 75, detail: 100 });
    expect(first.items.find((i) => i.itemId === '3')!.failure).toMatch(/after 2 tries/);
    expect(first.extra).toEqual({ model_score_x10: (20 / 3) * 10, reference_score_x10: 90 });

    const { out: second, judge } = await run();
    expect(reviewer.calls).toHaveLength(5); // everything, including the unparseable answers, came from the cache
    expect(judge.stats).toEqual({ hits: 5, misses: 0 });
    expect(second.result).toEqual(first.result);
  });
});
