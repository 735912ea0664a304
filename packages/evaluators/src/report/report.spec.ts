import type { GenerationRequest, GenerationResult, Generator } from '@smart/types';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GeneratorJudge } from '../judge/generator-judge';
import { collectResponses } from './collect-responses';
import { readScoredItems, writeEvalOutputs } from './eval-outputs';
import { displayScore } from './display-score';
import { isCompleteRun, NO_RESPONSE, summarize, tallyItems, type ScoredItem } from './eval-run';
import { formatTable } from './format-table';

/** A generator that answers `len:<prompt length>` and records what it was asked. */
class LengthGenerator implements Generator {
  readonly modelId = 'len-model';
  readonly asked: string[] = [];
  async generate(requests: GenerationRequest[]): Promise<GenerationResult[]> {
    return requests.map((r) => {
      this.asked.push(r.id);
      const failed = r.prompt === 'boom';
      return { id: r.id, text: failed ? '' : `len:${r.prompt.length}`, finishReason: failed ? 'error' : 'stop', promptTokens: 1, completionTokens: 1, latencyMs: 0, ...(failed ? { error: 'oom' } : {}) };
    });
  }
  close(): Promise<void> {
    return Promise.resolve();
  }
}

const item = (id: string, score: number, kind: string, failure?: string): ScoredItem => ({
  itemId: id, prompt: `p${id}`, response: `r${id}`, extracted: failure ? null : 'A', score, verdict: failure ? 'failed' : score ? 'correct' : 'wrong', tags: { kind },
  ...(failure ? { failure, failureKind: failure === NO_RESPONSE ? ('generation' as const) : ('other' as const) } : {}),
});

describe('outputs, resume and table', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'eval-out-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('writes JSONL + JSON with counts, reads them back for resume, and prints a table that names the failures', async () => {
    const items = [item('1', 1, 'x'), item('2', 0, 'x'), { ...item('3', 0, 'y', 'judge down'), failureKind: 'judge' as const }, item('4', 1, 'y', NO_RESPONSE)];
    const run = summarize({ benchmark: 'm3cot', model: 'tiny', items, breakdownKeys: ['kind'], judgeModel: 'gpt-4' });
    expect(run.result).toMatchObject({ score: 0.5, scored: 2, failed: 2, breakdowns: { kind: { x: 0.5 } } });
    expect(tallyItems(run.items)).toEqual({ items: 4, scored: 2, failed: 2, failedBy: { generation: 1, judge: 1, unparseable: 0, other: 0 }, unparseable: 0 });
    expect(isCompleteRun(run)).toBe(false);
    const paths = await writeEvalOutputs(dir, run);
    const summary = JSON.parse(await readFile(paths.json, 'utf8')) as Record<string, unknown>;
    expect(summary).toMatchObject({ benchmark: 'm3cot', judgeModel: 'gpt-4', score: 0.5, complete: false, counts: { items: 4, scored: 2, failed: 2, failedBy: { generation: 1, judge: 1 } } });
    const back = await readScoredItems(paths.jsonl);
    expect(back.errors).toEqual([]);
    expect([...back.items.values()]).toEqual(run.items);
    expect(formatTable(run)).toBe(
      [
        'benchmark        m3cot',
        'model            tiny',
        'judge            gpt-4',
        'score            50.00 over 2 of 4 items',
        'scored / failed  2 / 2 (1 generation, 1 judge)',
        'kind: x          50.00',
        'WARNING: 2 of 4 items failed and are not in any score; each score is over the 2 scored items.',
      ].join('\n'),
    );
    const clean = summarize({ benchmark: 'm3cot', model: 'tiny', items: [item('1', 1, 'x')], breakdownKeys: [] });
    expect(isCompleteRun(clean)).toBe(true);
    expect(formatTable(clean)).not.toMatch(/WARNING/);
  });

  it('prints each score rounded as the official script of its benchmark rounds it', () => {
    // MathVista f"{acc*100:.2f}" (exact tie 0.125 → 0.12), MM-Vet numpy round (0.15 → 0.2), LLaVA Python round (0.15 → 0.1).
    expect(displayScore('mathvista', 0.00125, 'fraction')).toBe('0.12');
    expect((0.125).toFixed(2)).toBe('0.13');
    expect(displayScore('mmvet', 0.15, 'percent')).toBe('0.2');
    expect(displayScore('llava-bench', 0.15, 'relative')).toBe('0.1');
    expect(displayScore('mmvet', 29.265, 'percent')).toBe('29.3');
    expect(displayScore('m3cot', Number.NaN, 'fraction')).toBe('n/a');
  });

  it('generates only missing responses and keeps generation errors apart', async () => {
    const gen = new LengthGenerator();
    const requests = ['a', 'bb', 'boom', 'dddd'].map((p, i) => ({ id: String(i), prompt: p, sampling: { temperature: 0, topP: 1, maxNewTokens: 8 } }));
    const out = await collectResponses({ generator: gen, requests, existing: new Map([['1', 'cached']]), batchSize: 2 });
    expect(gen.asked).toEqual(['0', '2', '3']);
    expect(Object.fromEntries(out.responses)).toEqual({ '0': 'len:1', '1': 'cached', '3': 'len:4' });
    expect(Object.fromEntries(out.errors)).toEqual({ '2': 'oom' });
    // Any Generator can be a judge.
    const judge = new GeneratorJudge(gen);
    await expect(judge.complete({ prompt: 'hello', temperature: 0, maxTokens: 4 })).resolves.toBe('len:5');
    await expect(judge.complete({ prompt: 'boom', temperature: 0, maxTokens: 4 })).rejects.toThrow(/oom/);
  });
});
