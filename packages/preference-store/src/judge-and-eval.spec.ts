import type { EvalItemResult, EvalResult } from '@smart/types';
import { useTempStore } from '../test/fixtures/temp-store';
import { judgeCacheKey } from './judge-cache';
import { openStore } from './preference-store';

describe('judge cache and eval results', () => {
  const t = useTempStore();

  it('keys judge calls by model and prompt', () => {
    expect(judgeCacheKey('gpt-4', 'p')).toMatch(/^[0-9a-f]{64}$/);
    expect(judgeCacheKey('gpt-4', 'p')).not.toBe(judgeCacheKey('gpt-4o', 'p'));
    // A naive concatenation would collide here.
    expect(judgeCacheKey('ab', 'c')).not.toBe(judgeCacheKey('a', 'bc'));
  });

  it('calls the judge once per (model, prompt) and survives reopening', async () => {
    let calls = 0;
    const ask = async () => `score ${++calls}`;
    expect(await t.store.judge('judge-a', 'rate this', ask)).toBe('score 1');
    expect(await t.store.judge('judge-a', 'rate this', ask)).toBe('score 1');
    expect(await t.store.judge('judge-b', 'rate this', ask)).toBe('score 2');
    t.store.close();
    t.store = openStore(t.file);
    expect(await t.store.judge('judge-a', 'rate this', ask)).toBe('score 1');
    expect(calls).toBe(2);
    t.store.putJudgeResponse(judgeCacheKey('judge-a', 'rate this'), 'judge-a', 'other');
    expect(t.store.getJudgeResponse(judgeCacheKey('judge-a', 'rate this'))).toBe('score 1');
  });

  it('upserts eval results per benchmark/iteration/model with their items', () => {
    const base: EvalResult = { benchmark: 'synthetic', model: 'tiny', score: 0.25, scale: 'fraction', scored: 4, failed: 0, breakdowns: { kind: { count: 0.5 } } };
    const it1: EvalResult = { ...base, score: 0.75, iteration: 1, breakdowns: { kind: { count: 1, chart: 0.5 } } };
    const items: EvalItemResult[] = [
      { itemId: 'b', response: 'The answer is (B)', extracted: 'B', score: 1, tags: { kind: 'chart', skills: ['ocr', 'math'] } },
      { itemId: 'a', response: '???', extracted: null, score: 0, failure: 'judge timeout' },
    ];
    t.store.putEvalResult(base);
    t.store.putEvalResult(it1, items);
    t.store.putEvalResult({ ...it1, score: 0.5 }, [{ ...items[0]!, score: 0.5 }]);
    expect(t.store.listEvalResults()).toEqual([base, { ...it1, score: 0.5 }]);
    expect(t.store.listEvalResults({ iteration: 1 })).toEqual([{ ...it1, score: 0.5 }]);
    expect(t.store.listEvalResults({ benchmark: 'mathvista' })).toEqual([]);
    expect(t.store.listEvalItems('synthetic', 'tiny', 1)).toEqual([items[1], { ...items[0], score: 0.5 }]);
    expect(t.store.listEvalItems('synthetic', 'tiny')).toEqual([]);
  });
});
