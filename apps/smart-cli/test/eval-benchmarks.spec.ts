import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeImage } from '@smart/augment';
import { checkSandbox } from '@smart/evaluators';
import { runCli } from '../src/cli';
import { EXIT } from '../src/errors/error-table';
import { testDeps } from './buffer-out';
import { mathvistaParquet } from './hf-mathvista-parquet';
import { startOpenAIStub, type StubRequest } from './openai-stub';
import { startScriptedServer } from './scripted-server';
import { tinyModel } from './tiny-checkpoint';

jest.setTimeout(60_000);

const summaryOf = (file: string) => JSON.parse(readFileSync(file, 'utf8')) as { score: number | null; counts: Record<string, unknown>; complete: boolean };

/** A MathVista item as the official `data/testmini.json` has it: no `query` (built as query.json's). */
const mathvistaItem = (pid: string, o: { question: string; answer: string; question_type: string; answer_type: string; choices?: string[]; precision?: number }) => ({
  pid,
  question: o.question,
  image: `images/${pid}.png`,
  choices: o.choices ?? null,
  unit: null,
  precision: o.precision ?? null,
  answer: o.answer,
  question_type: o.question_type,
  answer_type: o.answer_type,
  metadata: { source: 'FigureQA', category: 'math-targeted-vqa', task: 'figure question answering', context: 'bar chart', grade: 'daily life', skills: ['arithmetic reasoning'], language: 'english' },
});

describe('smart eval on MathVista, LLaVA-Bench and MMCode as released', () => {
  let dir: string;
  let png: Uint8Array;
  let model: Awaited<ReturnType<typeof startScriptedServer>>;
  let judge: Awaited<ReturnType<typeof startOpenAIStub>>;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'smart-eval-bench-'));
    png = await encodeImage({ width: 8, height: 8, data: new Uint8Array(8 * 8 * 3).fill(90) }, { format: 'png' });
    model = await startScriptedServer();
    judge = await startOpenAIStub(() => '');
  });
  afterAll(async () => {
    await model.server.close();
    await judge.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const judgeFlags = () => ['--judge-base-url', judge.baseUrl, '--judge-model', 'stub-judge'];
  const modelFlags = () => ['--backend', 'openai', '--base-url', model.baseUrl, '--model', 'scripted'];

  it('MathVista testmini.json: extracts with the judge, counts a failed judge call in the headline, --strict fails, and the re-run asks the model nothing', async () => {
    const root = join(dir, 'mathvista');
    mkdirSync(join(root, 'images'), { recursive: true });
    for (const pid of ['1', '2', '3']) writeFileSync(join(root, 'images', `${pid}.png`), png);
    const testmini = {
      '1': mathvistaItem('1', { question: 'How many bars are there?', answer: '4', question_type: 'multi_choice', answer_type: 'text', choices: ['3', '4', '5'] }),
      '2': mathvistaItem('2', { question: 'What is the sum of the two values?', answer: '7', question_type: 'free_form', answer_type: 'integer' }),
      '3': mathvistaItem('3', { question: 'What is the ratio of the bars?', answer: '1.5', question_type: 'free_form', answer_type: 'float', precision: 1 }),
    };
    writeFileSync(join(root, 'testmini.json'), JSON.stringify(testmini));
    // Item 2's answer is an integer the rules read (8: wrong); items 1 and 3 need the judge's extraction.
    model.generator.reply = (prompt) =>
      prompt.includes('How many bars') ? 'I count four bars, so 4.' : prompt.includes('sum of the two') ? '8' : prompt.includes('ratio of the bars') ? 'It is about one and a half.' : undefined;
    let blankFor3 = true;
    judge.reply = (r: StubRequest) => (r.text.includes('I count four bars, so 4.') ? '4' : r.text.includes('about one and a half') ? (blankFor3 ? '' : '1.5') : 'unexpected');
    const out = join(dir, 'out-mathvista');
    const args = ['eval', '--benchmark', 'mathvista', '--data', join(root, 'testmini.json'), ...modelFlags(), ...judgeFlags(), '--out', out];

    const first = testDeps();
    expect(await runCli([...args, '--strict'], first)).toBe(EXIT.incomplete);
    // The blank extraction of item 3 is a failed call: never scored wrong, counted over the denominator.
    expect(first.stdout.text).toContain('mathvista: 50.00% (2 scored, 1 failed of 3; failed: 1 judge)');
    expect(first.stdout.text).toContain('WARNING: 1 of 3 items failed');
    expect(first.stderr.text).toContain('smart: incomplete evaluation: mathvista: 1 of 3 items failed (1 judge)');
    expect(summaryOf(join(out, 'mathvista.json'))).toMatchObject({ score: 0.5, counts: { items: 3, scored: 2, failed: 1, failedBy: { judge: 1 } }, complete: false });
    const prompts = model.generator.requests;
    expect(prompts).toBe(3);

    blankFor3 = false;
    const judgeCalls = judge.requests.length;
    const again = testDeps();
    expect(await runCli([...args, '--strict'], again)).toBe(0);
    expect(again.stdout.text).toContain('mathvista: 66.67% (3 scored, 0 failed of 3)');
    expect(model.generator.requests).toBe(prompts); // answers came from the response log
    expect(judge.requests.length).toBe(judgeCalls + 1); // item 1's extraction came from the judge cache
    expect(summaryOf(join(out, 'mathvista.json'))).toMatchObject({ counts: { items: 3, scored: 3, failed: 0 }, complete: true });
    model.generator.reply = undefined;
  });

  it('MathVista as the HF Parquet release: the layout comes from the file name, the embedded images are what the model sees', async () => {
    const file = join(dir, 'testmini-00000-of-00001.parquet');
    const rows = ['11', '12', '13'].map((pid, i) => ({
      ...mathvistaItem(pid, { question: `Parquet question ${pid}: what is the value?`, answer: String(i + 1), question_type: 'free_form', answer_type: 'integer' }),
      image: `images/${pid}.jpg`, // not on disk: the embedded copy is the image
      decoded_image: { bytes: png, path: null },
      query: `Hint: Please answer the question requiring an integer answer and provide the final value, e.g., 1, 2, 3, at the end.\nQuestion: Parquet question ${pid}: what is the value?`,
    }));
    writeFileSync(file, new Uint8Array(mathvistaParquet(rows)));
    const images: Uint8Array[] = [];
    const original = model.generator.generate.bind(model.generator);
    model.generator.generate = async (requests) => {
      // mllm's server hands the generator each received image as a file of its own, removed after the request.
      for (const r of requests) images.push(r.image?.kind === 'path' ? new Uint8Array(readFileSync(r.image.path)) : new Uint8Array());
      return original(requests);
    };
    model.generator.reply = (prompt) => (prompt.includes('Parquet question 11') ? '1' : prompt.includes('Parquet question 12') ? '2' : prompt.includes('Parquet question 13') ? '5' : undefined);
    try {
      const deps = testDeps();
      expect(await runCli(['eval', '--benchmark', 'mathvista', '--data', file, ...modelFlags(), '--out', join(dir, 'out-mathvista-parquet'), '--strict'], deps)).toBe(0);
      expect(deps.stdout.text).toContain('mathvista: 66.67% (3 scored, 0 failed of 3)');
      // The embedded PNG is what arrived, each time.
      expect(images).toEqual([png, png, png]);
    } finally {
      model.generator.generate = original;
      model.generator.reply = undefined;
    }
  });

  it('LLaVA-Bench: counts unparseable reviews and failed judge calls, --exclude-unparseable and --strict, resumes from the log', async () => {
    const root = join(dir, 'llava');
    mkdirSync(join(root, 'images'), { recursive: true });
    writeFileSync(join(root, 'images', 'a.png'), png);
    const jsonl = (rows: unknown[]) => rows.map((r) => JSON.stringify(r)).join('\n') + '\n';
    writeFileSync(join(root, 'questions.jsonl'), jsonl([1, 2, 3].map((id) => ({ question_id: id, image: 'a.png', text: `Question ${id}: what is shown?`, category: id === 1 ? 'conv' : 'detail' }))));
    writeFileSync(join(root, 'context.jsonl'), jsonl([{ id: 'a', image: 'a.png', caption: 'A grey square.' }]));
    writeFileSync(join(root, 'answers_gpt4.jsonl'), jsonl([1, 2, 3].map((id) => ({ question_id: id, text: `Reference ${id}: a grey square.` }))));
    model.generator.reply = (prompt) => (/^Question \d/.test(prompt) ? `Answer to ${prompt.slice(0, 10)}` : undefined);
    let failing = true;
    // Review 1 parses, review 2 never does, review 3's call fails (blank) in the first run.
    judge.reply = (r) => (r.text.includes('Answer to Question 1') ? '8 6\nClear.' : r.text.includes('Answer to Question 2') ? 'both fine' : failing ? '' : '9 9\nSame.');
    const out = join(dir, 'out-llava');
    const args = ['eval', '--benchmark', 'llava-bench', '--data', join(root, 'questions.jsonl'), ...modelFlags(), ...judgeFlags(), '--out', out];

    const before = model.generator.requests;
    const first = testDeps();
    expect(await runCli([...args, '--strict'], first)).toBe(EXIT.incomplete);
    expect(first.stdout.text).toContain('(2 scored, 1 failed of 3; failed: 1 judge; 1 unparseable)');
    expect(first.stdout.text).toMatch(/unparseable replies\s+1 \(averaged in as \[-1, -1\]/);
    expect(first.stderr.text).toContain('1 of 3 items failed and 1 judge replies were unparseable');
    expect(model.generator.requests).toBe(before + 3);

    failing = false;
    const official = testDeps();
    expect(await runCli(args, official)).toBe(0);
    expect(official.stdout.text).toContain('(3 scored, 0 failed of 3; 1 unparseable)');
    expect(summaryOf(join(out, 'llava-bench.json'))).toMatchObject({ counts: { items: 3, scored: 3, failed: 0, unparseable: 1 }, complete: false });
    const excluded = testDeps();
    expect(await runCli([...args, '--exclude-unparseable', '--strict'], excluded)).toBe(EXIT.incomplete);
    expect(excluded.stdout.text).toContain('(2 scored, 1 failed of 3; failed: 1 unparseable; 1 unparseable)');
    expect(model.generator.requests).toBe(before + 3); // every answer came from the response log
    model.generator.reply = undefined;
  });

  describe('MMCode (bubblewrap sandbox)', () => {
    let sandbox: string | null = null;
    beforeAll(async () => {
      await checkSandbox().catch((e: Error) => (sandbox = e.message));
      if (sandbox) console.warn(`skipping the MMCode eval tests: ${sandbox}`);
    });

    /** A problem of `mmcode_test.jsonl.gz`: images embedded as base64, tests as a JSON string. */
    const problem = (id: string, images: number, markers: number) => ({
      problem_id: id,
      name: `problem ${id}`,
      source: 'codeforces',
      question: `Problem ${id}: read n and print ${id === 'p2' ? 'n + 1' : '2 n'}.\n${Array.from({ length: markers }, (_, k) => `![image](${k}.png)`).join('\n')}`,
      images: Array.from({ length: images }, () => Buffer.from(png).toString('base64')),
      input_output: JSON.stringify({ inputs: ['3\n', '10\n'], outputs: ['6\n', '20\n'] }),
      difficulty: 'EASY',
      image_tags: ['diagram'],
    });

    it('sends every image the official client sends, runs the code, counts a failed generation, resumes without new requests', async () => {
      if (sandbox) return;
      const file = join(dir, 'mmcode_test.jsonl');
      // p3 has 3 images and one marker: the official client sends 2 (one past the last marker).
      writeFileSync(file, [problem('p1', 1, 1), problem('p2', 2, 1), problem('p3', 3, 1)].map((p) => JSON.stringify(p)).join('\n') + '\n');
      let refuseP3 = true;
      const server = await startOpenAIStub((r) => (r.text.includes('print n + 1') ? '```python\nprint(int(input()) + 1)\n```' : refuseP3 && r.text.includes('Problem p3') ? { status: 400 } : '```python\nprint(2 * int(input()))\n```'));
      try {
        const out = join(dir, 'out-mmcode');
        const args = ['eval', '--benchmark', 'mmcode', '--data', file, '--backend', 'openai', '--base-url', server.baseUrl, '--model', 'stub', '--out', out, '--strict'];
        const first = testDeps();
        expect(await runCli(args, first)).toBe(EXIT.incomplete);
        expect(server.requests.map((r) => r.images)).toEqual([1, 2, 2]);
        expect(first.stdout.text).toContain('mmcode: 50.0% (2 scored, 1 failed of 3; failed: 1 generation)');
        refuseP3 = false;
        const second = testDeps();
        expect(await runCli(args, second)).toBe(EXIT.ok);
        expect(second.stdout.text).toContain('mmcode: 66.7% (3 scored, 0 failed of 3)');
        expect(server.requests).toHaveLength(4); // only p3 was asked again
        const third = testDeps();
        expect(await runCli(args, third)).toBe(EXIT.ok);
        expect(server.requests).toHaveLength(4);
        const items = readFileSync(join(out, 'mmcode.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { itemId: string; verdict: string });
        expect(items.map((i) => [i.itemId, i.verdict])).toEqual([['p1', 'pass'], ['p2', 'fail'], ['p3', 'pass']]);
      } finally {
        await server.close();
      }
    });

    it('the local backend refuses a multi-image problem with a message naming --backend openai', async () => {
      const file = join(dir, 'mmcode_two.jsonl');
      writeFileSync(file, JSON.stringify(problem('p9', 2, 1)) + '\n');
      const tiny = await tinyModel(dir, 0);
      const deps = testDeps();
      expect(await runCli(['eval', '--benchmark', 'mmcode', '--data', file, '--model', tiny.modelDir, '--threads', '1', '--out', join(dir, 'out-mmcode-local')], deps)).toBe(EXIT.backend);
      expect(deps.stderr.text).toContain('2 image(s)');
      expect(deps.stderr.text).toContain('use --backend openai');
      expect(deps.stderr.text).not.toContain('    at ');
    });
  });
});
