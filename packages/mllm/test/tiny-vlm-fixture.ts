import { createTinyModel } from '@smart/models';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * `describe` with a tiny random LLaVA model exported for transformers.js by @smart/models: the folder is
 * written once per describe block into a fresh temp directory (transformers.js memoizes file lookups).
 */
export function describeWithTinyVlm(name: string, body: (folder: () => string) => void): void {
  describe(name, () => {
    let root = '';
    let folder = '';
    beforeAll(async () => {
      root = mkdtempSync(join(tmpdir(), 'smart-mllm-vlm-'));
      folder = (await createTinyModel({ dir: root, seed: 3 })).modelDir;
    }, 120_000);
    afterAll(() => rmSync(root, { recursive: true, force: true }));
    body(() => folder);
  });
}
