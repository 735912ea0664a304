import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeImage } from '@smart/augment';
import { runCli } from '../src/cli';
import { testDeps } from './buffer-out';
import { startScriptedServer } from './scripted-server';

jest.setTimeout(60_000);

describe('smart eval on judged and rule-scored benchmarks', () => {
  let dir: string;
  let scripted: Awaited<ReturnType<typeof startScriptedServer>>;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'smart-eval-judged-'));
    scripted = await startScriptedServer(() => 'A');
    mkdirSync(join(dir, 'images'));
    const png = await encodeImage({ width: 8, height: 8, data: new Uint8Array(8 * 8 * 3).fill(120) }, { format: 'png' });
    for (const id of ['q1', 'q2', 'q3']) writeFileSync(join(dir, 'images', `${id}.png`), png);
  });
  afterAll(async () => {
    await scripted.server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('scores M3CoT by rules, per domain', async () => {
    const rows = [
      { id: 'q1', question: 'Which is a mammal?', choices: ['whale', 'shark'], answer: 'A', domain: 'science', topic: 'biology' },
      { id: 'q2', question: 'Which floats?', choices: ['rock', 'wood'], answer: 'B', domain: 'science', topic: 'physics' },
      { id: 'q3', question: 'Which is bigger?', choices: ['sun', 'moon'], answer: 'A', domain: 'commonsense', topic: 'space' },
    ];
    writeFileSync(join(dir, 'm3cot.jsonl'), rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
    const deps = testDeps();
    expect(await runCli(['eval', '--benchmark', 'm3cot', '--data', join(dir, 'm3cot.jsonl'), '--image-root', join(dir, 'images'), '--backend', 'openai', '--base-url', scripted.baseUrl, '--model', 'scripted', '--out', join(dir, 'out-m3cot')], deps)).toBe(0);
    // The scripted model answers (A): right on q1 and q3.
    expect(deps.stdout.text).toContain('m3cot: 66.67% (3 scored, 0 failed of 3)');
  });

  it('grades MM-Vet with the judge given by base URL, model and key variable, caching its calls', async () => {
    writeFileSync(
      join(dir, 'mm-vet.json'),
      JSON.stringify({
        q1: { imagename: 'q1.png', capability: ['rec'], question: 'What colour is it?', answer: 'grey' },
        q2: { imagename: 'q2.png', capability: ['ocr', 'rec'], question: 'What is written?', answer: 'nothing' },
      }),
    );
    let judged = 0;
    scripted.generator.reply = (prompt) => {
      if (!prompt.includes('correctness score')) return undefined;
      judged++;
      return prompt.includes('What colour is it?') ? '1.0' : '0.5';
    };
    const args = [
      'eval', '--benchmark', 'mmvet', '--data', join(dir, 'mm-vet.json'), '--image-root', join(dir, 'images'),
      '--backend', 'openai', '--base-url', scripted.baseUrl, '--model', 'scripted',
      '--judge-base-url', scripted.baseUrl, '--judge-model', 'scripted', '--judge-api-key-env', 'JUDGE_KEY', '--out', join(dir, 'out-mmvet'),
    ];
    const missingKey = testDeps();
    expect(await runCli(args, missingKey)).toBe(2);
    expect(missingKey.stderr.text).toContain('environment variable JUDGE_KEY is not set');

    const deps = testDeps({ JUDGE_KEY: 'sk-test' });
    expect(await runCli(args, deps)).toBe(0);
    expect(deps.stdout.text).toContain('mmvet: 75.0 (2 scored, 0 failed of 2)');
    expect(judged).toBe(2);
    const again = testDeps({ JUDGE_KEY: 'sk-test' });
    expect(await runCli(args, again)).toBe(0);
    expect(again.stdout.text).toContain('mmvet: 75.0 (2 scored, 0 failed of 2)');
    expect(judged).toBe(2); // every grade came from the judge cache
    scripted.generator.reply = undefined;
  });

  it('refuses a judged benchmark without a judge before generating anything', async () => {
    const before = scripted.generator.requests;
    const deps = testDeps();
    expect(await runCli(['eval', '--benchmark', 'mmvet', '--data', join(dir, 'mm-vet.json'), '--backend', 'openai', '--base-url', scripted.baseUrl, '--model', 'scripted', '--out', join(dir, 'out-nojudge')], deps)).toBe(2);
    expect(deps.stderr.text).toContain('scored by a judge: pass --judge-base-url and --judge-model');
    expect(scripted.generator.requests).toBe(before);
  });
});
