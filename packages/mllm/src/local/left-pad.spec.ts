import { leftPad } from './left-pad';

describe('leftPad', () => {
  it('pads on the left with mask 0 and aligns every row end', () => {
    const b = leftPad([[1n, 2n, 3n], [4n], [5n, 6n]], 0n);
    expect(b.length).toBe(3);
    expect(Array.from(b.inputIds)).toEqual([1n, 2n, 3n, 0n, 0n, 4n, 0n, 5n, 6n]);
    expect(Array.from(b.attentionMask)).toEqual([1n, 1n, 1n, 0n, 0n, 1n, 0n, 1n, 1n]);
  });

  it('uses the given pad id', () => {
    expect(Array.from(leftPad([[9n], [8n, 8n]], 99n).inputIds)).toEqual([99n, 9n, 8n, 8n]);
  });
});
