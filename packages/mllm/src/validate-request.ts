import type { GenerationRequest } from '@smart/types';
import { InvalidRequestError } from './errors';

/** Throws InvalidRequestError naming the first request whose fields are out of range. */
export function validateRequests(requests: readonly GenerationRequest[]): void {
  for (const request of requests) validateRequest(request);
}

/** Throws InvalidRequestError when a request cannot be generated (empty id, bad sampling values...). */
export function validateRequest(request: GenerationRequest): void {
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
  const image = request.image;
  if (image !== undefined) {
    if (image.kind === 'path') {
      if (typeof image.path !== 'string' || image.path.length === 0) fail('image.path must be a non-empty string');
    } else if (image.kind === 'rgb') {
      if (!Number.isInteger(image.width) || !Number.isInteger(image.height) || image.width < 1 || image.height < 1) fail('rgb image needs positive integer width and height');
      if (image.data?.length !== image.width * image.height * 3) fail(`rgb image data must hold width*height*3 = ${image.width * image.height * 3} bytes, got ${image.data?.length}`);
    } else if (image.kind === 'tensor') {
      const [c, h, w] = image.shape ?? [];
      if (image.data?.length !== (c ?? 0) * (h ?? 0) * (w ?? 0) || !c) fail('tensor image data length must equal the product of its CHW shape');
    } else {
      fail(`unknown image kind ${JSON.stringify((image as { kind: unknown }).kind)}`);
    }
  }
}
