import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Generator } from '@smart/types';
import { LazyGenerator } from '../backends/lazy-generator';
import { makeGenerator, type BackendSettings } from '../backends/make-generator';
import { ServeSwap } from '../backends/serve-swap';
import type { RunConfig } from '../config/run-config';
import type { RunPaths } from '../run-folder/run-paths';
import type { StageIo } from '../stages/stage-context';

/** The app's one choice of backends: lazy generators, with `--serve-command` swapping served checkpoints. */
export function generatorFactory(config: RunConfig, paths: RunPaths, env: NodeJS.ProcessEnv, io: StageIo): { generatorFor: (s: BackendSettings, k: number) => Generator; dispose: () => Promise<void> } {
  const swap = config.backend === 'openai' && config.serveCommand && config.baseUrl ? new ServeSwap({ command: config.serveCommand, baseUrl: config.baseUrl, log: io.log }) : undefined;
  return {
    generatorFor: (settings, k) =>
      new LazyGenerator(settings.model, async () => {
        const checkpoint = paths.checkpoint(k);
        if (swap && k > 0 && existsSync(join(checkpoint, 'config.json'))) await swap.serve(checkpoint);
        return makeGenerator(settings, env);
      }),
    dispose: async () => {
      await swap?.stop();
    },
  };
}
