import { circularityFilter, maxNgramCount } from './circularity-filter';
import { FilterConfigError } from './errors';
import { anglePair } from '../test/pair';

describe('maxNgramCount', () => {
  it.each([
    ['a b c a b c a b c', 3, 3],
    ['a b c a b c a b c a b c', 3, 4],
    ['a b a b a b a b', 2, 4],
    ['one two', 3, 0],
    ['x  y\n\tz x y z', 3, 2],
    ['so so so so', 1, 4],
  ])('%j n=%i -> %i', (text, n, expected) => {
    expect(maxNgramCount(text, n)).toBe(expected);
  });
});

describe('circularityFilter', () => {
  const rep = (k: number) => Array.from({ length: k }, () => 'the angle is').join(' ') + ' (B).';
  it('keeps a trigram exactly at the threshold and drops one above it', () => {
    const f = circularityFilter({ n: 3, maxCount: 3 });
    expect(maxNgramCount(rep(3), 3)).toBe(3);
    expect(f(anglePair({ chosen: rep(3) }))).toBeNull();
    expect(f(anglePair({ chosen: rep(4) }))).toBe('chosen-circular');
  });

  it('never checks the negative rationale', () => {
    expect(circularityFilter({ n: 3, maxCount: 3 })(anglePair({ rejected: rep(10) }))).toBeNull();
  });

  it('with n=2 (released code) catches bigram loops a trigram check misses', () => {
    const text = 'so x so y so z so w';
    expect(circularityFilter({ n: 3, maxCount: 3 })(anglePair({ chosen: text }))).toBeNull();
    expect(maxNgramCount('a b a c a b a c a b a c a b', 2)).toBe(4);
    expect(circularityFilter({ n: 2, maxCount: 3 })(anglePair({ chosen: 'a b a c a b a c a b a c a b' }))).toBe('chosen-circular');
  });

  it('rejects nonsensical settings', () => {
    expect(() => circularityFilter({ n: 0, maxCount: 3 })).toThrow(FilterConfigError);
    expect(() => circularityFilter({ n: 3, maxCount: 1.5 })).toThrow(FilterConfigError);
  });
});
