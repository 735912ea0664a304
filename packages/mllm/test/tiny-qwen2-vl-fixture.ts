import { createTinyQwen2VlModel, type TinyQwen2VlModel } from '@smart/models';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * `describe` with a tiny random Qwen2-VL exported for transformers.js (qwen2_vl) by @smart/models, written
 * once per describe block into a fresh temp directory (transformers.js memoizes file lookups).
 */
export function describeWithTinyQwen2Vl(name: string, body: (model: () => TinyQwen2VlModel) => void): void {
  describe(name, () => {
    let root = '';
    let model: TinyQwen2VlModel | undefined;
    beforeAll(async () => {
      root = mkdtempSync(join(tmpdir(), 'smart-mllm-qwen2vl-'));
      model = await createTinyQwen2VlModel({ dir: root, seed: 11 });
    }, 120_000);
    afterAll(() => rmSync(root, { recursive: true, force: true }));
    body(() => model!);
  });
}
