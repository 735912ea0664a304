import { DEFAULT_SAMPLING, type GenerationRequest } from '@smart/types';
import { assembleResults, planRows, type RowOutput } from './row-plan';
import { sampleSeed } from '../sampling/sample-seed';

const req = (id: string, n?: number): GenerationRequest => ({ id, prompt: id, sampling: DEFAULT_SAMPLING, ...(n ? { n } : {}) });

describe('planRows / assembleResults', () => {
  const requests = [req('a'), req('b', 3), req('c')];
  const seeds = [10, 20, 30];

  it('repeats a request once per sample, in request order', () => {
    const rows = planRows(requests, seeds);
    expect(rows.map((r) => [r.requestIndex, r.sampleIndex, r.seed])).toEqual([
      [0, 0, 10],
      [1, 0, 20],
      [1, 1, sampleSeed(20, 1)],
      [1, 2, sampleSeed(20, 2)],
      [2, 0, 30],
    ]);
  });

  it('folds rows back into one result per request, samples in order, token counts summed', () => {
    const rows = planRows(requests, seeds);
    const out = (text: string, tokens: number, startMs: number, endMs: number): RowOutput => ({
      text,
      finishReason: tokens > 3 ? 'length' : 'stop',
      completionTokens: tokens,
      promptTokens: 11,
      startMs,
      endMs,
    });
    // Rows 0-1 ran 0..100 ms, rows 2-3 ran 100..250, row 4 ran 250..300.
    const outputs = [out('a0', 1, 0, 100), out('b0', 2, 0, 100), out('b1', 4, 100, 250), out('b2', 3, 100, 250), out('c0', 5, 250, 300)];
    const results = assembleResults(requests, rows, outputs, seeds);
    expect(results.map((r) => r.id)).toEqual(['a', 'b', 'c']);
    expect(results[0]).toEqual({ id: 'a', text: 'a0', finishReason: 'stop', promptTokens: 11, completionTokens: 1, latencyMs: 100, seed: 10 });
    expect(results[1]!.text).toBe('b0');
    expect(results[1]!.completionTokens).toBe(9);
    expect(results[1]!.latencyMs).toBe(250);
    expect(results[1]!.samples).toEqual([
      { text: 'b0', finishReason: 'stop', completionTokens: 2 },
      { text: 'b1', finishReason: 'length', completionTokens: 4 },
      { text: 'b2', finishReason: 'stop', completionTokens: 3 },
    ]);
    expect(results[2]!.latencyMs).toBe(50);
    expect(results[2]!.finishReason).toBe('length');
  });
});
