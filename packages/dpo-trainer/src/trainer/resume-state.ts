import { isMissingFileError, readRegularFile, writeFileAtomic } from '@smart/core';
import { decodeSafetensors, encodeSafetensors, type TensorData } from '@smart/onnx-graph';
import { z } from 'zod';
import type { EngineState } from '../engine/types';
import { ResumeStateError } from '../errors';
import { metricsWindowSchema } from './metrics-log';

/** File name of the resumable state inside the output folder. */
export const RESUME_FILE = 'trainer-state.safetensors';

const rngStateSchema = z.object({ algorithm: z.string(), words: z.array(z.number()), spareNormal: z.number().nullable().optional() });

/** Everything besides tensors that a resumed run needs to continue bit for bit. */
export const trainerStateSchema = z.object({
  version: z.literal(1),
  kind: z.enum(['dpo', 'sft']),
  /** Hash of config, model and data: a resumed run must train the same thing. */
  fingerprint: z.string(),
  /** Optimizer steps completed (= scheduler position: the next update runs at learningRateAt(step)). */
  step: z.number().int().min(0),
  /** Data cursor: the epoch whose order is below, and micro-batches of it already consumed. */
  cursor: z.object({ epoch: z.number().int().min(0), microBatch: z.number().int().min(0) }),
  /** This epoch's example order (drawn from the RNG at the epoch's start). */
  order: z.array(z.number().int().min(0)),
  /** The data-order RNG after drawing `order`. */
  rng: rngStateSchema,
  /** Bytes of train-metrics.jsonl written by the steps up to `step` (a resumed run truncates to it). */
  metricsBytes: z.number().int().min(0),
  /** Metrics of steps since the last logged row. */
  window: metricsWindowSchema,
});

/** The JSON part of the resumable state. */
export type TrainerState = z.infer<typeof trainerStateSchema>;

const SUFFIXES = ['', '.m', '.v'] as const;

/**
 * Writes weights, AdamW moments and the trainer state as one safetensors file, atomically (temp + fsync +
 * rename): a `kill -9` at any moment leaves the previous complete state or the new one.
 */
export async function saveResumeState(path: string, engine: EngineState, state: TrainerState): Promise<void> {
  const tensors = new Map<string, TensorData>();
  for (const [name, t] of engine.tensors) {
    const parts = [t.param, t.m, t.v];
    SUFFIXES.forEach((s, i) => {
      const data = parts[i]!;
      tensors.set(`${name}${s}`, { dtype: data instanceof Float64Array ? 'float64' : 'float32', shape: [data.length], data });
    });
  }
  const metadata = { trainer_state: JSON.stringify(state), engine_step: String(engine.step), tensor_names: JSON.stringify([...engine.tensors.keys()]) };
  await writeFileAtomic(path, encodeSafetensors(tensors, metadata));
}

/** Reads a state written by saveResumeState; undefined when there is none. Validated: it is outside data. */
export async function loadResumeState(path: string): Promise<{ engine: EngineState; state: TrainerState } | undefined> {
  let bytes: Buffer;
  try {
    // A FIFO or device in place of the state file is refused at once rather than read forever.
    bytes = await readRegularFile(path);
  } catch (err) {
    if (isMissingFileError(err)) return undefined;
    throw new ResumeStateError(path, (err as Error).message);
  }
  const { tensors, metadata } = decodeSafetensors(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), path);
  const parsed = trainerStateSchema.safeParse(jsonOrNull(metadata['trainer_state']));
  const names = z.array(z.string()).safeParse(jsonOrNull(metadata['tensor_names']));
  const step = Number(metadata['engine_step']);
  if (!parsed.success || !names.success || !Number.isInteger(step)) throw new ResumeStateError(path, 'metadata is missing or malformed');
  const out: EngineState = { step, tensors: new Map() };
  for (const name of names.data) {
    const [param, m, v] = SUFFIXES.map((s) => tensors.get(`${name}${s}`)?.data);
    if (!param || !m || !v) throw new ResumeStateError(path, `tensor '${name}' or its moments are missing`);
    out.tensors.set(name, { param: param as Float32Array, m: m as Float32Array, v: v as Float32Array });
  }
  return { engine: out, state: parsed.data };
}

function jsonOrNull(text: string | undefined): unknown {
  try {
    return JSON.parse(text ?? 'null');
  } catch {
    return null;
  }
}
