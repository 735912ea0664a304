import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Generator } from '@smart/types';
import { serve, type ServeHandle, type ServeOptions } from '../src/serve/serve';

/**
 * Per-test servers for a describe block: `start` serves a Generator on loopback with a fresh temporary
 * folder, and every server started in a test is closed (and its folder removed) after it.
 */
export function serveHarness(prefix: string): { start(generator: Generator, options?: Partial<ServeOptions>): Promise<ServeHandle>; dir(): string } {
  let dir = '';
  const handles: ServeHandle[] = [];
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), prefix));
  });
  afterEach(async () => {
    await Promise.all(handles.splice(0).map((h) => h.close()));
    await rm(dir, { recursive: true, force: true });
  });
  return {
    async start(generator, options = {}) {
      const handle = await serve({ generator, tmpDir: dir, ...options });
      handles.push(handle);
      return handle;
    },
    dir: () => dir,
  };
}

/** POSTs a chat completion (an object is sent as JSON, a string as is). */
export function postChat(h: ServeHandle, body: unknown, init: { headers?: Record<string, string>; signal?: AbortSignal } = {}): Promise<Response> {
  return fetch(`${h.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...init.headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
    ...(init.signal ? { signal: init.signal } : {}),
  });
}
