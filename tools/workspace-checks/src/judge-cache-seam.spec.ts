import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GeneratorJudge, type JudgeCache } from '@smart/evaluators';
import { openStore } from '@smart/preference-store';
import type { GenerationRequest, GenerationResult, Generator } from '@smart/types';

// evaluators and preference-store may not import each other; the app hands `store.judgeCache` to a
// judge. This checks, at compile time and at run time, that the two halves of that seam fit.

/** Answers `graded:<prompt>` and counts the calls. */
class CountingGenerator implements Generator {
  readonly modelId = 'grader';
  calls = 0;
  async generate(requests: GenerationRequest[]): Promise<GenerationResult[]> {
    this.calls += requests.length;
    return requests.map((r) => ({ id: r.id, text: `graded:${r.prompt}`, finishReason: 'stop', promptTokens: 1, completionTokens: 1, latencyMs: 0 }));
  }
  close(): Promise<void> {
    return Promise.resolve();
  }
}

describe('judge cache seam (evaluators ↔ preference-store)', () => {
  it("a judge caches in the store, and a reopened store answers the re-run without the model", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'judge-seam-'));
    try {
      const file = join(dir, 'store.sqlite');
      const generator = new CountingGenerator();
      const request = { system: 'Grade it.', prompt: 'answer 42', temperature: 0, maxTokens: 3 };
      let store = openStore(file);
      const cache: JudgeCache = store.judgeCache;
      await expect(new GeneratorJudge(generator, { cache }).complete(request)).resolves.toBe('graded:answer 42');
      expect(store.judgeCacheSize()).toBe(1);
      store.close();
      store = openStore(file);
      const rerun = new GeneratorJudge(generator, { cache: store.judgeCache });
      await expect(rerun.complete(request)).resolves.toBe('graded:answer 42');
      await rerun.complete({ ...request, temperature: 0.5 });
      expect(generator.calls).toBe(2);
      expect(rerun.stats).toEqual({ hits: 1, misses: 1 });
      store.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
