import { LogitsProcessor, Tensor } from '@huggingface/transformers';
import { seededRng } from '../../test/seeded-rng';
import { sampleNextToken } from '../sampling/sample-next-token';
import { createSamplingLogitsProcessor } from './sampling-logits-processor';
import type { TjsLibrary, TjsTensor } from './transformers-js-surface';

const lib = { LogitsProcessor } as unknown as Pick<TjsLibrary, 'LogitsProcessor'>;

describe('createSamplingLogitsProcessor', () => {
  it('is a library LogitsProcessor that samples each row with its own settings and rng', () => {
    const row0 = [2, 1, 0.5, 0.1];
    const row1 = [0, 0, 3, 0];
    const processor = createSamplingLogitsProcessor(lib, [
      { params: { temperature: 1, topP: 0.9, topK: 0 }, rng: seededRng(11) },
      { params: { temperature: 0, topP: 1, topK: 0 }, rng: seededRng(12) },
    ]);
    expect(processor).toBeInstanceOf(LogitsProcessor);
    const logits = new Tensor('float32', Float32Array.from([...row0, ...row1]), [2, 4]) as unknown as TjsTensor;
    const out = processor([[1n], [1n]], logits);
    const expected0 = sampleNextToken(row0, { temperature: 1, topP: 0.9, topK: 0 }, seededRng(11));
    const data = Array.from(out.data as Float32Array);
    expect(data.slice(0, 4)).toEqual([0, 1, 2, 3].map((i) => (i === expected0 ? 0 : -Infinity)));
    expect(data.slice(4)).toEqual([-Infinity, -Infinity, 0, -Infinity]);
  });

  it('gives a row the same tokens whatever its batch mates are', () => {
    const run = (rows: number[][], seeds: number[]) => {
      const p = createSamplingLogitsProcessor(
        lib,
        seeds.map((s) => ({ params: { temperature: 0.7, topP: 0.9, topK: 0 }, rng: seededRng(s) })),
      );
      const picks: number[][] = [];
      for (let step = 0; step < 30; step++) {
        const logits = new Tensor('float32', Float32Array.from(rows.flat()), [rows.length, 4]) as unknown as TjsTensor;
        const out = Array.from(p(rows.map(() => [0n]), logits).data as Float32Array);
        picks.push(rows.map((_, b) => out.slice(b * 4, b * 4 + 4).indexOf(0)));
      }
      return picks.map((step) => step[0]);
    };
    const alone = run([[1, 0.8, 0.5, 0]], [99]);
    const batched = run([[1, 0.8, 0.5, 0], [0, 0, 0, 5], [3, 2, 1, 0]], [99, 1, 2]);
    expect(batched).toEqual(alone);
    expect(new Set(alone).size).toBeGreaterThan(1);
  });

  it('refuses logits for a different batch size', () => {
    const p = createSamplingLogitsProcessor(lib, [{ params: { temperature: 1, topP: 1, topK: 0 }, rng: seededRng(1) }]);
    expect(() => p([[0n], [0n]], new Tensor('float32', new Float32Array(8), [2, 4]) as unknown as TjsTensor)).toThrow(RangeError);
  });
});
