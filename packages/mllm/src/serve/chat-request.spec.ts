import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_SAMPLING } from '@smart/types';
import { UnsupportedChatRequestError } from '../errors';
import { toGenerationRequest } from './chat-request';

describe('toGenerationRequest with local image paths', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'chat-request-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const body = (url: string) => ({
    model: 'm',
    messages: [{ role: 'user' as const, content: [{ type: 'text' as const, text: 'hi' }, { type: 'image_url' as const, image_url: { url } }] }],
  });
  const intake = () => ({ allowLocalPaths: true, tmpDir: dir, maxImagePixels: 1 << 20 });
  const limits = { maxTokens: 64, maxPromptChars: 1000 };

  it('refuses a FIFO image path at once instead of blocking on it', async () => {
    const fifo = join(dir, 'image.png');
    execFileSync('mkfifo', [fifo]);
    const t0 = Date.now();
    const err = await toGenerationRequest(body(fifo) as never, 'r1', DEFAULT_SAMPLING, intake(), limits).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UnsupportedChatRequestError);
    expect((err as Error).message).toMatch(/cannot read image .*image\.png.*FIFO/);
    expect(Date.now() - t0).toBeLessThan(5000);
  });

  it('names a missing image path', async () => {
    const err = await toGenerationRequest(body(join(dir, 'missing.png')) as never, 'r2', DEFAULT_SAMPLING, intake(), limits).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UnsupportedChatRequestError);
    expect((err as Error).message).toMatch(/cannot read image .*missing\.png/);
  });
});
