import type { CheckpointDType } from '@smart/models';
import type { PreferenceExample, SftExample } from '../collate/examples';
import type { DpoConfig } from '../config/dpo-config';
import type { SftConfig } from '../config/sft-config';
import type { TrainResult } from '../trainer/run-options';
import type { TrainProgress } from '../trainer/training-loop';

/** Serializable run options (everything but the injected objects, which stay on the calling thread). */
interface RequestBase {
  modelDir: string;
  outputDir: string;
  mergeLora?: boolean;
  inferenceFolder?: boolean;
  checkpointDtype?: CheckpointDType;
  engine?: { dtype?: 'float32' | 'float64'; artifactsDir?: string };
}

/** What the worker trains. */
export type WorkerRequest =
  | (RequestBase & { kind: 'dpo'; config: DpoConfig; examples: PreferenceExample[]; hasReferenceStore: boolean })
  | (RequestBase & { kind: 'sft'; config: SftConfig; examples: SftExample[] });

/** workerData of the training worker. */
export interface WorkerData {
  request: WorkerRequest;
  /** Int32Array over it; [0] = 1 asks the run to save and stop at the next safe point. */
  stopFlag: SharedArrayBuffer;
}

/** A call from the worker to an object the caller injected (its PromptEncoder, its reference store). */
export interface WorkerCall {
  type: 'call';
  id: number;
  target: 'encoder' | 'references';
  method: 'encode' | 'get' | 'setMany';
  args: unknown[];
}

/** An error crossing the thread boundary: class name, message and the error's own fields. */
export interface SerializedError {
  name: string;
  message: string;
  fields: Record<string, unknown>;
}

/** Messages from the worker. */
export type WorkerMessage = WorkerCall | { type: 'progress'; progress: TrainProgress } | { type: 'done'; result: TrainResult } | { type: 'failed'; error: SerializedError };

/** Messages to the worker. */
export type HostMessage = { type: 'reply'; id: number; value?: unknown; error?: SerializedError };

/** An error as plain data (structured clone keeps neither the class nor the fields of typed errors). */
export function serializeError(err: unknown): SerializedError {
  if (!(err instanceof Error)) return { name: 'Error', message: String(err), fields: {} };
  const fields: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(err)) if (typeof v !== 'function' && k !== 'stack') fields[k] = v;
  return { name: err.name, message: err.message, fields };
}
