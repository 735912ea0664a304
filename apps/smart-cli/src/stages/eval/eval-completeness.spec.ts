import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { failedItem, summarize, writeEvalOutputs, type ScoredItem } from '@smart/evaluators';
import { resolveConfig } from '../../config/load-config';
import { IncompleteEvalError } from '../../errors/errors';
import { runPaths } from '../../run-folder/run-paths';
import { openStore } from '@smart/preference-store';
import { buildSummary, heldOutDir } from '../../run-folder/summary';
import { requireCompleteIteration } from './eval-completeness';

const item = (id: string, score: number): ScoredItem => ({ itemId: id, prompt: 'q', response: 'r', extracted: 'A', score, verdict: score ? 'correct' : 'wrong' });

describe('requireCompleteIteration (run-mode --strict)', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'smart-strict-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("passes complete results and names the first benchmark with failed or unparseable items, with its counts", async () => {
    const config = resolveConfig({ flags: { model: 'm', runsDir: dir, benchmarks: [{ name: 'mmvet', data: 'x.json' }] } });
    const paths = runPaths(dir, 'r');
    await writeEvalOutputs(heldOutDir(paths, 1), summarize({ benchmark: 'synthetic', model: 'm', items: [item('a', 1), item('b', 0)], breakdownKeys: [] }));
    const mmvet = [item('c', 1), { ...item('d', 0), unparseable: true }, failedItem({ itemId: 'e', prompt: 'q', response: 'r' }, 'judge failed', 'judge')];
    await writeEvalOutputs(join(paths.evalDir(1), 'mmvet'), summarize({ benchmark: 'mmvet', model: 'm', items: mmvet, breakdownKeys: [] }));
    const err = (() => {
      try {
        requireCompleteIteration(config, paths, 1);
      } catch (e) {
        return e;
      }
      return undefined;
    })() as IncompleteEvalError;
    expect(err).toBeInstanceOf(IncompleteEvalError);
    expect(err).toMatchObject({ benchmark: 'mmvet', items: 3, failed: 1, unparseable: 1 });
    expect(err.message).toContain('mmvet: 1 of 3 items failed and 1 judge replies were unparseable (1 judge)');
    // summary.json carries the same counts beside the score.
    const store = openStore(join(dir, 'store.sqlite'));
    try {
      expect(buildSummary(config, paths, store, null).base.benchmarks).toEqual({});
      await writeEvalOutputs(join(paths.evalDir(0), 'mmvet'), summarize({ benchmark: 'mmvet', model: 'm', items: mmvet, breakdownKeys: [] }));
      expect(buildSummary(config, paths, store, null).base.benchmarks).toEqual({ mmvet: { score: 0.5, failed: 1, scored: 2, unparseable: 1 } });
    } finally {
      store.close();
    }

    await writeEvalOutputs(join(paths.evalDir(1), 'mmvet'), summarize({ benchmark: 'mmvet', model: 'm', items: [item('c', 1)], breakdownKeys: [] }));
    expect(() => requireCompleteIteration(config, paths, 1)).not.toThrow();
    // A results file that lacks the counts cannot vouch for completeness.
    mkdirSync(heldOutDir(paths, 2), { recursive: true });
    writeFileSync(join(heldOutDir(paths, 2), 'synthetic.json'), JSON.stringify({ score: 1, scored: 1, failed: 0 }));
    expect(() => requireCompleteIteration(config, paths, 2)).toThrow(IncompleteEvalError);
  });
});
