import { createRng } from '@smart/core';
import { encodeSafetensors } from '@smart/onnx-graph';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ResumeStateError } from '../errors';
import { loadResumeState, saveResumeState, type TrainerState } from './resume-state';

describe('resume state file', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'dpo-state-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('round-trips weights, AdamW moments, step, RNG and cursor exactly', async () => {
    const rng = createRng(5).stream('data-order');
    const order = rng.shuffle([0, 1, 2, 3, 4]);
    const state: TrainerState = { version: 1, kind: 'dpo', fingerprint: 'abc', step: 3, cursor: { epoch: 1, microBatch: 2 }, order, rng: rng.getState(), metricsBytes: 120, window: { sums: { loss: 1.5 }, count: 2, tokens: 9 } };
    const tensors = new Map([['w', { param: Float32Array.of(0.1, -2, 3e-8), m: Float32Array.of(1, 2, 3), v: Float32Array.of(4, 5, 6) }]]);
    const path = join(dir, 'state.safetensors');
    await saveResumeState(path, { step: 3, tensors }, state);
    const back = await loadResumeState(path);
    expect(back!.state).toEqual(state);
    expect(back!.engine.step).toBe(3);
    expect(Array.from(back!.engine.tensors.get('w')!.param)).toEqual(Array.from(tensors.get('w')!.param));
    expect(Array.from(back!.engine.tensors.get('w')!.v)).toEqual([4, 5, 6]);
    const restored = createRng(0).stream('data-order');
    restored.setState(back!.state.rng);
    expect(restored.next()).toBe(rng.next());
  });

  it('reports no state when the file is absent, and a typed error when it is not ours', async () => {
    expect(await loadResumeState(join(dir, 'none.safetensors'))).toBeUndefined();
    const bad = join(dir, 'bad.safetensors');
    writeFileSync(bad, encodeSafetensors(new Map(), { format: 'pt' })); // a safetensors file, but no trainer state
    await expect(loadResumeState(bad)).rejects.toThrow(ResumeStateError);
  });

  it('has no state where no file is, and refuses a FIFO in its place at once', async () => {
    expect(await loadResumeState(join(dir, 'none.safetensors'))).toBeUndefined();
    const fifo = join(dir, 'state.safetensors');
    execFileSync('mkfifo', [fifo]);
    const started = Date.now();
    await expect(loadResumeState(fifo)).rejects.toThrow(/not a regular file \(FIFO\)/);
    await expect(loadResumeState(fifo)).rejects.toThrow(ResumeStateError);
    expect(Date.now() - started).toBeLessThan(5000);
  });
});
