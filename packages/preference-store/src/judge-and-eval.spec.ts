import type { EvalItemResult, EvalResult } from '@smart/types';
import { useTempStore } from '../test/fixtures/temp-store';
import { openStore } from './preference-store';

describe('judge cache and eval results', () => {
  const t = useTempStore();

  it('keeps the first response per key, returns the stored one, and survives reopening', () => {
    const cache = t.store.judgeCache;
    expect(cache.get('k1')).toBeUndefined();
    expect(cache.put('k1', 'score 1', 'judge-a')).toBe('score 1');
    // A second writer of the same key gets the first writer's response back, not its own.
    expect(cache.put('k1', 'score 2', 'judge-a')).toBe('score 1');
    expect(cache.put('k2', 'score 3', 'judge-b')).toBe('score 3');
    t.store.close();
    t.store = openStore(t.file);
    expect(t.store.judgeCache.get('k1')).toBe('score 1');
    expect(t.store.getJudgeResponse('k2')).toBe('score 3');
    expect(t.store.judgeCacheSize()).toBe(2);
    expect(t.store.db.prepare('SELECT key, model FROM judge_cache ORDER BY key').all()).toEqual([
      { key: 'k1', model: 'judge-a' },
      { key: 'k2', model: 'judge-b' },
    ]);
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
