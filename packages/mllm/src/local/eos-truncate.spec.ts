import { truncateAtEos } from './eos-truncate';

const EOS = new Set([2, 7]);

describe('truncateAtEos', () => {
  it('cuts each row at its first EOS and counts the EOS as generated', () => {
    expect(truncateAtEos([5n, 6n, 2n, 9n, 9n], EOS, 10)).toEqual({ tokens: [5, 6], finishReason: 'stop', completionTokens: 3 });
    expect(truncateAtEos([7, 2], EOS, 10)).toEqual({ tokens: [], finishReason: 'stop', completionTokens: 1 });
  });

  it('reports length when no EOS appears within the budget', () => {
    expect(truncateAtEos([5, 6, 8], EOS, 10)).toEqual({ tokens: [5, 6, 8], finishReason: 'length', completionTokens: 3 });
    // A row in a batch with a larger budget is cut at its own maxNewTokens, even if EOS follows.
    expect(truncateAtEos([5, 6, 8, 2], EOS, 2)).toEqual({ tokens: [5, 6], finishReason: 'length', completionTokens: 2 });
  });

  it('treats rows of a batch independently', () => {
    const batch = [
      [4n, 2n, 4n, 4n],
      [4n, 4n, 4n, 7n],
      [4n, 4n, 4n, 4n],
    ];
    expect(batch.map((r) => truncateAtEos(r, EOS, 4).tokens)).toEqual([[4], [4, 4, 4], [4, 4, 4, 4]]);
  });
});
