import { createServer } from 'node:net';
import { ServeSwap } from './serve-swap';

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

describe('ServeSwap', () => {
  jest.setTimeout(30_000);

  it('starts the serve command for a checkpoint, waits for /models, and swaps it for the next one', async () => {
    const port = await freePort();
    // A stand-in server that reports which checkpoint it serves.
    const command = `exec ${process.execPath} -e "require('http').createServer((q, s) => s.end(JSON.stringify({ data: [{ id: '{checkpoint}' }] }))).listen(${port}, '127.0.0.1')"`;
    const log: string[] = [];
    const swap = new ServeSwap({ command, baseUrl: `http://127.0.0.1:${port}/v1`, log: (l) => log.push(l), timeoutMs: 20_000, sleep: (ms) => new Promise((r) => setTimeout(r, ms / 10)) });
    const served = async () => ((await (await fetch(`http://127.0.0.1:${port}/v1/models`)).json()) as { data: { id: string }[] }).data[0]!.id;
    try {
      await swap.serve('/runs/x/iter-1/checkpoint');
      expect(await served()).toBe('/runs/x/iter-1/checkpoint');
      await swap.serve('/runs/x/iter-1/checkpoint'); // already served: nothing restarts
      expect(log).toHaveLength(1);
      await swap.serve('/runs/x/iter-2/checkpoint');
      expect(await served()).toBe('/runs/x/iter-2/checkpoint');
    } finally {
      await swap.stop();
    }
    await expect(fetch(`http://127.0.0.1:${port}/v1/models`)).rejects.toThrow();
  });

  it('fails with the command when the server exits before it is healthy', async () => {
    const swap = new ServeSwap({ command: 'exit 4 # {checkpoint}', baseUrl: 'http://127.0.0.1:9/v1', log: () => undefined, sleep: (ms) => new Promise((r) => setTimeout(r, ms / 10)) });
    await expect(swap.serve('/c')).rejects.toThrow(/the server exited \(exit code 4\)/);
  });
});
