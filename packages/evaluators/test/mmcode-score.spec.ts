import { MMCodeRecordSchema, type MMCodeRecord } from '../src/mmcode/mmcode-record';
import { scoreMMCode } from '../src/mmcode/score-mmcode';
import { describeWithSandbox } from './sandbox-availability';

const problem = (id: string, tags: string[], io: object) => ({
  problem_id: id, name: id, source: 'codeforces', url: 'https://example.invalid', question: 'Add two numbers.\n![image](1.png)', images: ['iVBORw0KGgo='],
  input_output: JSON.stringify(io), starter_code: '', difficulty: 'EASY', image_tags: tags,
});
const sum = { inputs: ['2 3\n', '10 -4\n'], outputs: ['5\n', '6\n'] };
const fence = (code: string): string => `Here is my solution:\n\`\`\`python\n${code}\n\`\`\`\nDone.`;

describeWithSandbox('scoreMMCode', () => {
  it('validates the records, runs every response in the sandbox and scores pass@1 with tag breakdowns', async () => {
    const rows = [
      problem('ok', ['table', 'graph'], sum),
      problem('wrong', ['graph'], sum),
      problem('broken', ['graph'], sum),
      problem('call', ['tree'], { fn_name: 'add', inputs: [[1, 2], [3, 4]], outputs: [[3], [7]] }),
      problem('samples', ['tree'], sum),
      problem('unanswered', ['tree'], sum),
    ];
    const bad = MMCodeRecordSchema.safeParse({ problem_id: 'bad', question: 'q', images: [], input_output: '{"inputs": [1], "outputs": []}' });
    expect(bad.error?.issues.map((i) => i.message)).toEqual(['inputs and outputs differ in length']);
    const records: MMCodeRecord[] = rows.map((r) => MMCodeRecordSchema.parse(r));
    const correct = 'a, b = map(int, input().split())\nprint(a + b)';
    const responses = new Map<string, string | string[]>([
      ['ok', fence(correct)],
      ['wrong', fence('print(5)')],
      ['broken', fence('def f(:')],
      ['call', fence('class Solution:\n    def add(self, a, b):\n        return a + b')],
      ['samples', [fence(correct), fence('print(5)'), fence(correct), fence('exit()')]],
    ]);
    const run = await scoreMMCode(records, { model: 'm', responses, parallel: 3, limits: { perTestMs: 2000, problemMs: 3000 } });
    expect(Object.fromEntries(run.items.map((i) => [i.itemId, i.verdict]))).toEqual({
      ok: 'pass', wrong: 'fail', broken: 'compile-error', call: 'pass', samples: '2/4 pass', unanswered: 'failed',
    });
    expect(run.result).toMatchObject({ benchmark: 'mmcode', scored: 5, failed: 1 });
    expect(run.result.score).toBeCloseTo((1 + 0 + 0 + 1 + 0.5) / 5, 12);
    expect(run.result.breakdowns['image_tags']).toEqual({ table: 1, graph: 1 / 3, tree: 0.75 });
    expect(run.items[0]!.extracted).toBe(`\n${correct}\n`);
  }, 60_000);
});
