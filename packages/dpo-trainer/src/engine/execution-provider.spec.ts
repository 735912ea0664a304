import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ExecutionProviderUnavailableError } from '../errors';
import { checkExecutionProvider } from './execution-provider';

const cudaLibs = existsSync(join(dirname(require.resolve('onnxruntime-node')), '..', 'bin', 'napi-v6', 'linux', 'x64', 'libonnxruntime_providers_cuda.so'));

describe('execution providers', () => {
  it('cpu always opens', async () => {
    await expect(checkExecutionProvider('cpu')).resolves.toBeUndefined();
  });

  (cudaLibs ? it.skip : it)('cuda without its libraries is a typed error that says how to enable it', async () => {
    const err = await checkExecutionProvider('cuda').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ExecutionProviderUnavailableError);
    expect((err as ExecutionProviderUnavailableError).provider).toBe('cuda');
    expect((err as Error).message).toContain('ONNXRUNTIME_NODE_INSTALL=cuda12 npm rebuild onnxruntime-node');
  });

  it('webgpu opens where a GPU adapter exists, else fails with a typed error naming the drivers it needs', async () => {
    const err = await checkExecutionProvider('webgpu').catch((e: unknown) => e);
    if (err === undefined) return; // a Vulkan/Metal/D3D12 adapter is present
    expect(err).toBeInstanceOf(ExecutionProviderUnavailableError);
    expect((err as Error).message).toMatch(/Vulkan.*Metal.*D3D12/);
  });
});
