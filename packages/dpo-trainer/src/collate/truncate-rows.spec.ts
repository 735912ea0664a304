import { ExampleEncodingError, ImageTokensTruncatedError } from '../errors';
import { collatePairs } from './collate-batch';
import { truncatePair, truncateRow, type TruncationLimits } from './truncate-rows';

const IMG = 9;
const range = (a: number, n: number) => Array.from({ length: n }, (_, i) => a + i);
const limits = (maxLength: number | null, maxPromptLength: number | null, mode: TruncationLimits['mode'] = 'keep_end'): TruncationLimits => ({
  maxLength,
  maxPromptLength,
  mode,
  imageTokenId: IMG,
});

describe('truncatePair (TRL tokenize_row)', () => {
  const prompt = [IMG, IMG, ...range(100, 8)]; // 10 tokens, image first
  const chosen = range(200, 6);
  const rejected = range(300, 4);

  it('leaves rows that fit alone', () => {
    expect(truncatePair('s', prompt, chosen, rejected, limits(16, 8))).toEqual({ prompt, chosen, rejected });
  });

  it('keep_end keeps the last max_prompt_length prompt tokens, then cuts completions to max_length − max_prompt_length', () => {
    const text = range(100, 10);
    const r = truncatePair('s', text, chosen, rejected, limits(12, 7));
    expect(r.prompt).toEqual(range(103, 7));
    expect(r.chosen).toEqual(range(200, 5)); // 7 + 6 > 12 → completions to 12 − 7 = 5
    expect(r.rejected).toEqual(range(300, 4));
    expect(truncatePair('s', text, chosen, rejected, limits(13, 7)).chosen).toEqual(chosen); // 7 + 6 fits
  });

  it('keep_start keeps the first tokens, so leading image tokens survive', () => {
    const r = truncatePair('s', prompt, chosen, rejected, limits(12, 6, 'keep_start'));
    expect(r.prompt).toEqual(prompt.slice(0, 6));
    expect(r.chosen).toEqual(chosen);
  });

  it('never cuts image tokens: a typed error names the sample', () => {
    const run = () => truncatePair('sample-7', prompt, chosen, rejected, limits(12, 6));
    expect(run).toThrow(ImageTokensTruncatedError);
    expect(run).toThrow(/sample-7.*keep 0 of its 2 image tokens/);
  });

  it('errors when nothing of the completion would remain', () => {
    expect(() => truncatePair('x', range(1, 20), chosen, rejected, limits(10, null))).toThrow(ExampleEncodingError);
  });
});

describe('truncateRow (SFT)', () => {
  it('keep_start cuts the completion tail, keep_end the prompt head', () => {
    expect(truncateRow('s', range(1, 4), range(10, 6), limits(8, null, 'keep_start'))).toEqual({ prompt: range(1, 4), completion: range(10, 4) });
    expect(truncateRow('s', range(1, 4), range(10, 6), limits(8, null, 'keep_end'))).toEqual({ prompt: range(3, 2), completion: range(10, 6) });
    expect(() => truncateRow('s', [IMG, 1, 2, 3], range(10, 6), limits(8, null, 'keep_end'))).toThrow(ImageTokensTruncatedError);
  });
});

describe('collatePairs', () => {
  it('puts chosen rows first, right-pads, masks prompts and padding as TRL', () => {
    const pairs = [
      { id: 'a', chosen: { ids: [5, 6, 7], promptLength: 2 }, rejected: { ids: [5, 6, 8, 8], promptLength: 2 } },
      { id: 'b', chosen: { ids: [4, 1], promptLength: 1 }, rejected: { ids: [4, 2, 2, 2, 2], promptLength: 1 } },
    ];
    const b = collatePairs(pairs, [{ chosen: -1, rejected: -2 }, { chosen: -3, rejected: -4 }], 0);
    expect([b.rows, b.seqLen]).toEqual([4, 5]);
    expect(Array.from(b.inputIds, Number)).toEqual([5, 6, 7, 0, 0, 4, 1, 0, 0, 0, 5, 6, 8, 8, 0, 4, 2, 2, 2, 2]);
    expect(Array.from(b.attentionMask, Number)).toEqual([1, 1, 1, 0, 0, 1, 1, 0, 0, 0, 1, 1, 1, 1, 0, 1, 1, 1, 1, 1]);
    expect(Array.from(b.completionMask, Number)).toEqual([0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 1, 1, 0, 0, 1, 1, 1, 1]);
    expect(Array.from(b.refLogProbs)).toEqual([-1, -3, -2, -4]);
    expect(b.pixelValues).toBeUndefined();
  });

  it('gives every row its pair image, chosen images then rejected', () => {
    const img = (v: number) => ({ data: new Float32Array(12).fill(v), shape: [1, 3, 2, 2] });
    const pairs = [1, 2].map((v) => ({ id: `${v}`, chosen: { ids: [IMG, 1], promptLength: 1 }, rejected: { ids: [IMG, 2], promptLength: 1 }, pixelValues: img(v) }));
    const b = collatePairs(pairs, null, 0);
    expect(b.pixelShape).toEqual([4, 3, 2, 2]);
    expect([0, 12, 24, 36].map((i) => b.pixelValues![i])).toEqual([1, 2, 1, 2]);
  });
});
