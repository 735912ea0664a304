import type { GenerationRequest, GenerationResult, Generator } from '@smart/types';

/**
 * A Generator that loads its backend on the first `generate` call, so stages that find their work
 * already done (a resumed or finished run) never pay for loading a model.
 */
export class LazyGenerator implements Generator {
  private inner: Promise<Generator> | undefined;

  constructor(
    readonly modelId: string,
    private readonly load: () => Promise<Generator>,
  ) {}

  /** Whether the backend has been loaded. */
  get loaded(): boolean {
    return this.inner !== undefined;
  }

  async generate(requests: GenerationRequest[], options?: Parameters<Generator['generate']>[1]): Promise<GenerationResult[]> {
    if (requests.length === 0) return [];
    this.inner ??= this.load();
    return (await this.inner).generate(requests, options);
  }

  async close(): Promise<void> {
    if (this.inner) await (await this.inner).close();
  }
}
