import type { EncodedChat, PromptEncoder } from '@smart/types';
import { parentPort, workerData } from 'node:worker_threads';
import type { ReferenceLogProbs } from '../collate/examples';
import { createEngine } from '../engine/onnx-engine';
import { TrainingWorkerError } from '../errors';
import type { ReferenceLogProbStore } from '../trainer/reference-log-probs';
import { trainDpo } from '../trainer/train-dpo';
import { trainSft } from '../trainer/train-sft';
import type { TrainProgress } from '../trainer/training-loop';
import { serializeError, type HostMessage, type WorkerData, type WorkerMessage } from './worker-protocol';

// The worker side of trainInWorker: runs one training request, calling back for the injected objects.
const port = parentPort!;
const { request, stopFlag } = workerData as WorkerData;
const flag = new Int32Array(stopFlag);
const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: unknown) => void }>();
let nextId = 0;
const post = (m: WorkerMessage) => port.postMessage(m);

port.on('message', (m: HostMessage) => {
  const p = pending.get(m.id);
  if (!p) return;
  pending.delete(m.id);
  if (m.error) p.reject(new TrainingWorkerError(m.error.name, m.error.message, m.error.fields));
  else p.resolve(m.value);
});

function call<T>(target: 'encoder' | 'references', method: 'encode' | 'get' | 'setMany', args: unknown[]): Promise<T> {
  const id = nextId++;
  return new Promise<T>((resolve, reject) => {
    pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
    post({ type: 'call', id, target, method, args });
  });
}

const encoder: PromptEncoder = { encode: (input) => call<EncodedChat>('encoder', 'encode', [input]) };
const references: ReferenceLogProbStore = {
  get: (id) => call<ReferenceLogProbs | undefined>('references', 'get', [id]),
  setMany: (values) => call<void>('references', 'setMany', [values]),
};

async function main(): Promise<void> {
  const common = {
    modelDir: request.modelDir,
    outputDir: request.outputDir,
    encoder,
    createEngine,
    onProgress: (progress: TrainProgress) => post({ type: 'progress', progress }),
    shouldStop: () => Atomics.load(flag, 0) === 1,
    ...(request.mergeLora !== undefined ? { mergeLora: request.mergeLora } : {}),
    ...(request.inferenceFolder !== undefined ? { inferenceFolder: request.inferenceFolder } : {}),
    ...(request.checkpointDtype ? { checkpointDtype: request.checkpointDtype } : {}),
    ...(request.engine ? { engine: request.engine } : {}),
  };
  const result =
    request.kind === 'dpo'
      ? await trainDpo({ ...common, config: request.config, examples: request.examples, ...(request.hasReferenceStore ? { references } : {}) })
      : await trainSft({ ...common, config: request.config, examples: request.examples });
  post({ type: 'done', result });
}

main().catch((err: unknown) => post({ type: 'failed', error: serializeError(err) }));
