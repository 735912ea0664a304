import { DEFAULT_SAMPLING, type GenerationRequest } from '@smart/types';
import { InvalidRequestError, UnsupportedRequestError } from './errors';
import { requestImages, validateRequest, validateRequests } from './validate-request';

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
    expect(reason({ image: { kind: 'tensor', shape: [8, 24], gridThw: [1, 2, 4], data: new Float32Array(192) } })).toBeUndefined();
  });

  it('refuses a patch tensor whose grid or data does not match its shape', () => {
    expect(reason({ image: { kind: 'tensor', shape: [8, 24], gridThw: [1, 2, 3], data: new Float32Array(192) } })).toMatch(/t·h·w/);
    expect(reason({ image: { kind: 'tensor', shape: [8, 24], gridThw: [1, 2, 4], data: new Float32Array(191) } })).toMatch(/num_patches × patch_dim/);
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

  it('takes several images where the generator allows them, and refuses them with a typed error where it does not', () => {
    const a = { kind: 'path' as const, path: '/a.png' };
    const b = { kind: 'rgb' as const, width: 1, height: 1, data: new Uint8Array(3) };
    const multi: GenerationRequest = { ...ok, id: 'm', images: [a, b] };
    expect(requestImages(multi)).toEqual([a, b]);
    expect(requestImages({ ...ok, image: a })).toEqual([a]);
    expect(requestImages(ok)).toEqual([]);
    expect(() => validateRequest(multi, { maxImages: Number.POSITIVE_INFINITY })).not.toThrow();
    const tooMany = (() => {
      try {
        validateRequest(multi, { maxImages: 1 });
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(tooMany).toBeInstanceOf(UnsupportedRequestError);
    expect(tooMany).toMatchObject({ requestId: 'm', images: 2, maxImages: 1 });
    // A generator that reads `image` only (no limits given) refuses `images` rather than dropping them.
    expect(() => validateRequests([{ ...ok, images: [a] }])).toThrow(UnsupportedRequestError);
    expect(() => validateRequests([{ ...ok, image: a }])).not.toThrow();
    expect(reason({ images: [a, { kind: 'rgb', width: 1, height: 1, data: new Uint8Array(2) }] })).toMatch(/^images\[1\]: rgb image data must hold/);
    expect(reason({ image: a, images: [b] })).toMatch(/image or images, not both/);
  });
});
