import { Graph, identity, serializeModel } from '@smart/onnx-graph';
import * as ort from 'onnxruntime-node';
import { ExecutionProviderUnavailableError } from '../errors';
import type { ExecutionProvider } from './types';

/**
 * Session options of the engine's graphs on `provider` (ORT keeps shape arithmetic on the CPU by design, so CPU
 * fallback stays allowed). float64 graphs use ORT's `basic` level: its extended fusions (QuickGelu from x·σ(x), …)
 * only have float32 kernels. `intraOpThreads` 1 makes runs bit-reproducible (more threads can sum in another order).
 */
export function sessionOptions(provider: ExecutionProvider, dtype: 'float32' | 'float64' = 'float32', intraOpThreads?: number): ort.InferenceSession.SessionOptions {
  return { executionProviders: [provider], graphOptimizationLevel: dtype === 'float64' ? 'basic' : 'all', ...(intraOpThreads ? { intraOpNumThreads: intraOpThreads } : {}) };
}

/**
 * Checks that `provider` can run here by opening a one-node session on it; throws
 * ExecutionProviderUnavailableError (with how to enable it) when its libraries are absent.
 */
export async function checkExecutionProvider(provider: ExecutionProvider): Promise<void> {
  const listed = ort.listSupportedBackends().find((b) => b.name === provider);
  if (!listed) throw new ExecutionProviderUnavailableError(provider, 'this onnxruntime-node build does not list it');
  const g = new Graph('ep_probe');
  g.output(identity(g.input('x', 'float32', [1])), 'y');
  let session: ort.InferenceSession | undefined;
  try {
    // No CPU fallback for the probe: a provider that cannot even place an Identity node is not there.
    session = await ort.InferenceSession.create(serializeModel(g).model, {
      executionProviders: [provider],
      ...(provider === 'cpu' ? {} : { extra: { session: { disable_cpu_ep_fallback: '1' } } }),
    });
  } catch (e) {
    throw new ExecutionProviderUnavailableError(provider, (e as Error).message.split('\n')[0]!);
  } finally {
    await session?.release();
  }
}
