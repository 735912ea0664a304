import type { PromptEncoder } from '@smart/types';
import { extname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { TrainingWorkerError } from '../errors';
import type { ReferenceLogProbStore } from '../trainer/reference-log-probs';
import type { TrainResult } from '../trainer/run-options';
import type { TrainProgress } from '../trainer/training-loop';
import { serializeError, type HostMessage, type WorkerData, type WorkerMessage, type WorkerRequest } from './worker-protocol';

/** The injected objects of a worker run; they stay on this thread and the worker calls them by message. */
export interface WorkerRunOptions {
  encoder: PromptEncoder;
  /** DPO: where reference log-probs persist (default: a JSON file in the output folder, written by the worker). */
  references?: ReferenceLogProbStore;
  onProgress?: (p: TrainProgress) => void;
  /** Abort (e.g. on Ctrl-C) to save and stop at the next safe point; the promise then resolves with status `stopped`. */
  signal?: AbortSignal;
}

/** A worker running the package's own source (tests, tsx) registers tsx first; a built package runs plain JS. */
function startWorker(data: WorkerData): Worker {
  const ext = extname(__filename);
  const entry = join(__dirname, `train-worker-entry${ext}`);
  if (ext !== '.ts') return new Worker(entry, { workerData: data });
  const tsconfig = join(__dirname, '..', '..', 'tsconfig.json');
  const boot = `require('tsx/cjs/api').register({ tsconfig: ${JSON.stringify(tsconfig)} }); require(${JSON.stringify(entry)});`;
  return new Worker(boot, { eval: true, workerData: data });
}

/**
 * Runs trainDpo / trainSft on a worker thread, so the calling thread (a CLI's progress bar, its Ctrl-C
 * handler) stays responsive while ORT sessions block theirs. The encoder and reference store are served
 * from this thread.
 */
export function trainInWorker(request: WorkerRequest, options: WorkerRunOptions): Promise<TrainResult> {
  const stopFlag = new SharedArrayBuffer(4);
  const flag = new Int32Array(stopFlag);
  const worker = startWorker({ request, stopFlag });
  const stop = () => Atomics.store(flag, 0, 1);
  if (options.signal?.aborted) stop();
  options.signal?.addEventListener('abort', stop, { once: true });

  const serve = async (m: Extract<WorkerMessage, { type: 'call' }>): Promise<unknown> => {
    if (m.target === 'encoder') return options.encoder.encode(m.args[0] as Parameters<PromptEncoder['encode']>[0]);
    const store = options.references;
    if (!store) throw new TrainingWorkerError('ReferenceStoreMissing', 'the worker asked for a reference store that was not given', {});
    if (m.method === 'get') return store.get(m.args[0] as string);
    return store.setMany(m.args[0] as Parameters<ReferenceLogProbStore['setMany']>[0]);
  };

  return new Promise<TrainResult>((resolve, reject) => {
    let settled = false;
    const settle = (f: () => void) => {
      if (settled) return;
      settled = true;
      options.signal?.removeEventListener('abort', stop);
      f();
      void worker.terminate();
    };
    worker.on('message', (m: WorkerMessage) => {
      if (m.type === 'progress') options.onProgress?.(m.progress);
      else if (m.type === 'done') settle(() => resolve(m.result));
      else if (m.type === 'failed') settle(() => reject(new TrainingWorkerError(m.error.name, m.error.message, m.error.fields)));
      else
        serve(m).then(
          (value) => worker.postMessage({ type: 'reply', id: m.id, value } satisfies HostMessage),
          (err: unknown) => worker.postMessage({ type: 'reply', id: m.id, error: serializeError(err) } satisfies HostMessage),
        );
    });
    worker.on('error', (err) => settle(() => reject(new TrainingWorkerError(err.name, err.message, {}))));
    worker.on('exit', (code) => settle(() => reject(new TrainingWorkerError('WorkerExit', `the training worker exited with code ${code} before finishing`, { code }))));
  });
}
