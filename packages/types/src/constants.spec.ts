import { DEFAULT_SAMPLING } from './rationale';
import { MAX_OPTIONS, MIN_OPTIONS, OPTION_LETTERS } from './sample';

describe('types constants', () => {
  it('has one letter per allowed option, in order', () => {
    expect(OPTION_LETTERS).toHaveLength(MAX_OPTIONS);
    expect(OPTION_LETTERS.join('')).toBe('ABCDEFGH');
    expect(MIN_OPTIONS).toBe(2);
  });

  it('uses the paper sampling defaults and cannot be mutated', () => {
    expect(DEFAULT_SAMPLING).toEqual({ temperature: 0.7, topP: 0.9, topK: 0, maxNewTokens: 512 });
    expect(() => {
      (DEFAULT_SAMPLING as { temperature: number }).temperature = 1;
    }).toThrow(TypeError);
  });
});
