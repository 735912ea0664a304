import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateSyntheticTask, writeSyntheticTask } from '@smart/datasets';
import { runCli } from '../src/cli';
import { testDeps } from './buffer-out';
import { tinyModel } from './tiny-checkpoint';

jest.setTimeout(90_000);

describe('smart eval --benchmark synthetic', () => {
  let dir: string;
  beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'smart-eval-'))));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("scores a held-out set written by @smart/datasets' synthetic writer with a tiny model folder, and resumes", async () => {
    const task = await generateSyntheticTask({ seed: 3, train: 4, heldOut: 6, imageSize: 32 });
    const files = await writeSyntheticTask(task, { dir: join(dir, 'task') });
    const model = await tinyModel(dir, 0);
    const out = join(dir, 'out');
    const argsFor = (limit: number) => ['eval', '--benchmark', 'synthetic', '--data', files.heldOut, '--model', model.modelDir, '--limit', String(limit), '--eval-max-new-tokens', '6', '--threads', '1', '--out', out];
    const args = argsFor(5);
    const deps = testDeps();
    const code = await runCli(args, deps);
    expect(deps.stderr.text).not.toContain('smart: ');
    expect(code).toBe(0);
    // A random model names no letter: every answer is read as wrong, none is a failure.
    expect(deps.stdout.text).toContain('synthetic: 0.0% (5 scored, 0 failed of 5)');
    const items = readFileSync(join(out, 'synthetic.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(items.map((i) => i.itemId)).toEqual(task.heldOut.slice(0, 5).map((i) => i.sample.id));
    expect(items.every((i) => i.verdict === 'wrong' && typeof i.response === 'string')).toBe(true);
    const summary = JSON.parse(readFileSync(join(out, 'synthetic.json'), 'utf8'));
    expect(summary).toMatchObject({ benchmark: 'synthetic', scored: 5, failed: 0, score: 0 });

    // Resume: all 5 answers are in the response log, so nothing is generated again; one more item is.
    const log = () => readFileSync(join(out, 'synthetic.responses.jsonl'), 'utf8').trim().split('\n');
    expect(log()).toHaveLength(5);
    const more = testDeps();
    expect(await runCli(argsFor(6), more)).toBe(0);
    expect(log()).toHaveLength(6);
    expect(more.stdout.text).toContain('(6 scored, 0 failed of 6)');
  });

  it('counts unanswered items as failures in the headline', async () => {
    const task = await generateSyntheticTask({ seed: 4, train: 2, heldOut: 3, imageSize: 32 });
    const files = await writeSyntheticTask(task, { dir: join(dir, 'task2') });
    // A server that refuses every request (400 is not retried): every item fails, and the headline says so.
    const server = createServer((_req, res) => {
      res.writeHead(400, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { message: 'no', type: 'invalid_request_error', param: null, code: null } }));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as AddressInfo;
    try {
      const deps = testDeps();
      const code = await runCli(['eval', '--benchmark', 'synthetic', '--data', files.heldOut, '--backend', 'openai', '--base-url', `http://127.0.0.1:${port}/v1`, '--model', 'none', '--out', join(dir, 'out2')], deps);
      expect(code).toBe(0);
      expect(deps.stdout.text).toContain('synthetic: — (0 scored, 3 failed of 3; failed: 3 generation)');
    } finally {
      await new Promise((r) => server.close(r));
    }
  });
});
