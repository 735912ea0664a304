import { DEFAULT_SAMPLING, type GenerationRequest } from '@smart/types';
import { InvalidRequestError } from './errors';
import { validateRequests } from './validate-request';

const ok: GenerationRequest = { id: 'r1', prompt: 'hi', sampling: { ...DEFAULT_SAMPLING, seed: 3 } };

function reason(patch: Record<string, unknown>, sampling: Record<string, unknown> = {}): string | undefined {
  try {
    validateRequests([ok, { ...ok, id: 'bad', ...patch, sampling: { ...ok.sampling, ...sampling } } as GenerationRequest]);
    return undefined;
  } catch (err) {
    expect(err).toBeInstanceOf(InvalidRequestError);
    expect((err as InvalidRequestError).requestId).toBe(typeof patch.id === 'string' ? patch.id : 'bad');
    return (err as InvalidRequestError).reason;
  }
}

describe('validateRequests', () => {
  it('accepts paper defaults, images and n', () => {
    expect(reason({ n: 4, image: { kind: 'rgb', width: 2, height: 1, data: new Uint8Array(6) } })).toBeUndefined();
    expect(reason({ image: { kind: 'tensor', shape: [3, 2, 2], data: new Float32Array(12) } })).toBeUndefined();
  });

  it('names the request and the reason', () => {
    expect(reason({ id: '' })).toMatch(/id must be a non-empty string/);
    expect(reason({ prompt: 5 })).toMatch(/prompt/);
    expect(reason({}, { temperature: -0.1 })).toMatch(/temperature/);
    expect(reason({}, { topP: 0 })).toMatch(/topP/);
    expect(reason({}, { topP: 1.5 })).toMatch(/topP/);
    expect(reason({}, { topK: 2.5 })).toMatch(/topK/);
    expect(reason({}, { maxNewTokens: 0 })).toMatch(/maxNewTokens/);
    expect(reason({}, { seed: -1 })).toMatch(/seed/);
    expect(reason({ n: 0 })).toMatch(/n must be/);
    expect(reason({ image: { kind: 'rgb', width: 2, height: 2, data: new Uint8Array(6) } })).toMatch(/12 bytes/);
    expect(reason({ image: { kind: 'jpeg' } })).toMatch(/unknown image kind/);
  });
});
