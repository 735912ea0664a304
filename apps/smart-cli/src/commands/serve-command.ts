import { resolve } from 'node:path';
import { serve } from '@smart/mllm';
import type { CommandModule } from 'yargs';
import { makeGenerator } from '../backends/make-generator';
import type { CliDeps } from './cli-deps';

type ServeArgs = { folder: string; host: string; port: number; maxBatch: number; threads?: number; device: 'cpu' | 'cuda'; verbose?: boolean };

/** `smart serve`: the OpenAI-compatible server of @smart/mllm over a local folder. */
export function serveCommand(deps: CliDeps, waitForStop: () => Promise<void>): CommandModule<object, ServeArgs> {
  return {
    command: 'serve <folder>',
    describe: 'Serve a transformers.js model folder over an OpenAI-compatible API (POST /v1/chat/completions, GET /v1/models, GET /health) until Ctrl-C.',
    builder: (y) =>
      y
        .positional('folder', { type: 'string', demandOption: true, describe: 'transformers.js model folder (e.g. runs/default/iter-2/model).' })
        .option('host', { type: 'string', default: '127.0.0.1', describe: 'Address to bind (0.0.0.0 exposes it to the network).' })
        .option('port', { type: 'number', default: 8000, describe: 'Port (0 = any free port).' })
        .option('max-batch', { type: 'number', default: 8, describe: 'Queued requests generated together in one batch.' })
        .option('threads', { type: 'number', describe: 'Intra-op threads.' })
        .option('device', { type: 'string', choices: ['cpu', 'cuda'], default: 'cpu', describe: 'Execution provider.' }) as never,
    handler: async (argv) => {
      const folder = resolve(argv.folder);
      const generator = await makeGenerator({ backend: 'local', model: folder, concurrency: 1, device: argv.device, generationBatch: argv.maxBatch, ...(argv.threads ? { threads: argv.threads } : {}) }, deps.env);
      const server = await serve({ generator, host: argv.host, port: argv.port, maxBatch: argv.maxBatch });
      deps.stdout.write(`serving ${folder} at ${server.url}/v1 (model name: ${generator.modelId}); Ctrl-C stops\n`);
      try {
        await waitForStop();
      } finally {
        await server.close();
        await generator.close();
      }
    },
  };
}
