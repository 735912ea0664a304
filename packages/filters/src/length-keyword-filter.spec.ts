import { FilterConfigError } from './errors';
import { keywordFilter } from './keyword-filter';
import { minLengthFilter } from './length-filter';
import { anglePair } from '../test/pair';

describe('minLengthFilter', () => {
  it('drops when either side is shorter than the minimum, counting code points after trim', () => {
    const f = minLengthFilter(10);
    expect(f(anglePair({ chosen: '  (B) 115.0° ' }))).toBeNull(); // exactly 10 code points after trim
    expect(f(anglePair({ chosen: ' (B) 115° ' }))).toBe('too-short');
    expect(f(anglePair({ rejected: '(C)' }))).toBe('too-short');
    expect(() => minLengthFilter(-1)).toThrow(FilterConfigError);
  });
});

describe('keywordFilter', () => {
  it('matches whole words case-insensitively in the chosen rationale only', () => {
    const f = keywordFilter(['however']);
    expect(f(anglePair({ chosen: 'Step 1, HOWEVER, it is (B).' }))).toBe('keyword');
    expect(f(anglePair({ chosen: 'Step 1, somehowever (B).' }))).toBeNull();
    expect(f(anglePair({ rejected: 'However, (C).' }))).toBeNull();
    expect(() => keywordFilter([' '])).toThrow(FilterConfigError);
  });
});
