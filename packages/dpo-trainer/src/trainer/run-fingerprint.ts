import type { TensorData } from '@smart/onnx-graph';
import { createHash } from 'node:crypto';

/** Config fields that change how a run executes, not what it computes: a resumed run may change them. */
const EXECUTION_ONLY = new Set(['intra_op_threads']);

/**
 * A hash of what a run trains (config, start weights, examples): a resumed run with a different one would
 * silently mix two runs, so the saved state carries it and resuming checks it.
 */
export function runFingerprint(config: unknown, weights: ReadonlyMap<string, TensorData>, examples: readonly unknown[]): string {
  const h = createHash('sha256');
  h.update(JSON.stringify(config, (key, v: unknown) => (EXECUTION_ONLY.has(key) ? undefined : v)));
  for (const name of [...weights.keys()].sort()) {
    const t = weights.get(name)!;
    h.update(`${name}:${t.dtype}:${t.shape.join('x')}`);
    h.update(new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength));
  }
  for (const e of examples) h.update(JSON.stringify(e, (_k, v: unknown) => (ArrayBuffer.isView(v) ? `bytes:${createHash('sha256').update(v as Uint8Array).digest('hex')}` : v)));
  return h.digest('hex');
}
