import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ResumeStateError } from '../errors';
import { addToWindow, emptyWindow, MetricsFile, windowRow } from './metrics-log';

describe('metrics log', () => {
  it('averages micro-batch metrics weighted by their pair counts', () => {
    const w = emptyWindow();
    addToWindow(w, { loss: 0.6, count: 3, tokens: 30, 'rewards/margins': 0.1 });
    addToWindow(w, { loss: 0.2, count: 1, tokens: 5, 'rewards/margins': 0.5 });
    const row = windowRow(w, { grad_norm: 2, learning_rate: 1e-6, epoch: 0.5, step: 4 });
    expect(row['loss']).toBeCloseTo(0.5, 12);
    expect(row['rewards/margins']).toBeCloseTo(0.2, 12);
    expect(row).toMatchObject({ grad_norm: 2, learning_rate: 1e-6, epoch: 0.5, step: 4 });
    expect(row['logps/chosen']).toBeUndefined();
  });

  it('reopening at a saved length drops rows written after it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dpo-metrics-'));
    try {
      const path = join(dir, 'train-metrics.jsonl');
      const a = await MetricsFile.open(path, 0);
      await a.append({ step: 1, loss: 0.69 });
      const saved = a.length;
      await a.append({ step: 2, loss: 0.6 });
      const b = await MetricsFile.open(path, saved);
      await b.append({ step: 2, loss: 0.5 });
      expect(readFileSync(path, 'utf8')).toBe('{"step":1,"loss":0.69}\n{"step":2,"loss":0.5}\n');
      await expect(MetricsFile.open(path, 10_000)).rejects.toThrow(ResumeStateError); // shorter than the state says
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
