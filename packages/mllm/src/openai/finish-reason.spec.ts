import { mapFinishReason } from './finish-reason';

describe('mapFinishReason', () => {
  it('maps server reasons to ours', () => {
    expect(mapFinishReason('length')).toBe('length');
    expect(mapFinishReason('stop')).toBe('stop');
    expect(mapFinishReason('eos')).toBe('stop');
    expect(mapFinishReason('content_filter')).toBe('error');
    expect(mapFinishReason(null)).toBe('stop');
  });
});
