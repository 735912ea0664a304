import type { GenerationRequest, ImageInput } from '@smart/types';
import { InvalidRequestError, UnsupportedRequestError } from './errors';

/** What a generator can take beyond the common checks. */
export interface RequestLimits {
  /**
   * Most images one request may carry (`image`, or the `images` list). Unset: the generator reads
   * `image` only, and a request with `images` is refused rather than answered without them.
   */
  maxImages?: number;
}

/** The images of a request, in order: `images`, or `image` alone. */
export function requestImages(request: GenerationRequest): ImageInput[] {
  if (request.images !== undefined) return request.images;
  return request.image === undefined ? [] : [request.image];
}

/** Throws InvalidRequestError naming the first request whose fields are out of range (UnsupportedRequestError for more images than `limits` allow). */
export function validateRequests(requests: readonly GenerationRequest[], limits: RequestLimits = {}): void {
  for (const request of requests) validateRequest(request, limits);
}

function imageProblem(image: ImageInput): string | undefined {
  if (image?.kind === 'path') return typeof image.path !== 'string' || image.path.length === 0 ? 'path must be a non-empty string' : undefined;
  if (image?.kind === 'rgb') {
    if (!Number.isInteger(image.width) || !Number.isInteger(image.height) || image.width < 1 || image.height < 1) return 'rgb image needs positive integer width and height';
    if (image.data?.length !== image.width * image.height * 3) return `rgb image data must hold width*height*3 = ${image.width * image.height * 3} bytes, got ${image.data?.length}`;
    return undefined;
  }
  if (image?.kind === 'tensor' && image.gridThw !== undefined) {
    const [patches, dim] = image.shape ?? [];
    const [t, h, w] = image.gridThw;
    if (![t, h, w].every((v) => Number.isInteger(v) && v > 0) || patches !== t * h * w) return 'patch tensor needs a positive integer gridThw [t, h, w] with t·h·w = its number of patches';
    return image.data?.length !== patches * (dim ?? 0) || !dim ? 'patch tensor data length must equal num_patches × patch_dim' : undefined;
  }
  if (image?.kind === 'tensor') {
    const [c, h, w] = image.shape ?? [];
    return image.data?.length !== (c ?? 0) * (h ?? 0) * (w ?? 0) || !c ? 'tensor image data length must equal the product of its CHW shape' : undefined;
  }
  return `unknown image kind ${JSON.stringify((image as { kind: unknown } | undefined)?.kind)}`;
}

/** Throws InvalidRequestError when a request cannot be generated (empty id, bad sampling values...). */
export function validateRequest(request: GenerationRequest, limits: RequestLimits = {}): void {
  const id = typeof request?.id === 'string' ? request.id : String(request?.id);
  const fail = (reason: string): never => {
    throw new InvalidRequestError(id, reason);
  };
  if (typeof request?.id !== 'string' || request.id.length === 0) fail('id must be a non-empty string');
  if (typeof request.prompt !== 'string') fail('prompt must be a string');
  if (request.system !== undefined && typeof request.system !== 'string') fail('system must be a string');
  const s = request.sampling;
  if (s === null || typeof s !== 'object') return fail('sampling is required');
  if (!Number.isFinite(s.temperature) || s.temperature < 0) fail(`temperature must be a finite number >= 0, got ${s.temperature}`);
  if (!Number.isFinite(s.topP) || s.topP <= 0 || s.topP > 1) fail(`topP must be in (0, 1], got ${s.topP}`);
  if (s.topK !== undefined && (!Number.isInteger(s.topK) || s.topK < 0)) fail(`topK must be an integer >= 0, got ${s.topK}`);
  if (!Number.isInteger(s.maxNewTokens) || s.maxNewTokens < 1) fail(`maxNewTokens must be an integer >= 1, got ${s.maxNewTokens}`);
  if (s.seed !== undefined && (!Number.isSafeInteger(s.seed) || s.seed < 0)) fail(`seed must be a non-negative safe integer, got ${s.seed}`);
  if (request.n !== undefined && (!Number.isInteger(request.n) || request.n < 1)) fail(`n must be an integer >= 1, got ${request.n}`);
  if (request.image !== undefined) {
    const problem = imageProblem(request.image);
    if (problem) fail(problem.startsWith('path') ? `image.${problem}` : problem);
  }
  if (request.images !== undefined) {
    if (!Array.isArray(request.images)) fail('images must be an array');
    if (request.image !== undefined) fail('set image or images, not both');
    request.images.forEach((image, i) => {
      const problem = imageProblem(image);
      if (problem) fail(`images[${i}]: ${problem}`);
    });
    if (limits.maxImages === undefined) throw new UnsupportedRequestError(id, request.images.length, 1, 'this generator reads `image` only; pass a single image as `image`');
  }
  const count = requestImages(request).length;
  if (limits.maxImages !== undefined && count > limits.maxImages) throw new UnsupportedRequestError(id, count, limits.maxImages, `at most ${limits.maxImages} image(s) per request`);
}
