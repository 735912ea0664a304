import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { loadRecords } from '../records/load-records';
import { callResultMatches, stdoutMatches } from './compare-output';
import { extractCode, mmcodePromptText, mmcodeSegments } from './mmcode-prompt';
import { MMCodeRecordSchema } from './mmcode-record';
import { passAtK } from './run-problem';
import { runSandboxed } from './sandbox';
import { scoreMMCode } from './score-mmcode';

const PYTHON = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
const LIMITS = { wallMs: 2500, cpuSeconds: 2, memoryBytes: 512 * 1024 * 1024, maxProcesses: 16, maxOutputBytes: 64 * 1024 };

const sumProblem = (id: string, tags: string[]) => ({
  problem_id: id, name: `sum ${id}`, source: 'codeforces', url: 'https://example.invalid', question: 'Add two numbers.\n![image](1.png)\nPrint the sum.',
  images: ['iVBORw0KGgo='], input_output: JSON.stringify({ inputs: ['2 3\n', '10 -4\n'], outputs: ['5\n', '6\n'] }), starter_code: '', difficulty: 'EASY', image_tags: tags,
});
const fence = (code: string): string => 'Here is my solution:\n```python\n' + code + '\n```\nDone.';

describe('MMCode prompt and comparisons', () => {
  const rec = MMCodeRecordSchema.parse(sumProblem('p', ['table']));
  it('builds the official prompt and interleaves images at their markers', () => {
    const text = mmcodePromptText(rec);
    expect(text).toContain('\nQUESTION:\nAdd two numbers.');
    expect(text).toContain('Please write your code using Standard IO, i.e. input() and print().\nANSWER:\n');
    expect(mmcodeSegments(rec).map((s) => ('image' in s ? `<img${s.image}>` : 'text'))).toEqual(['text', '<img0>', 'text']);
  });
  it('extracts the first python block, else the whole response', () => {
    expect(extractCode('a```python\nprint(1)\n```b```python\nprint(2)\n```')).toBe('\nprint(1)\n');
    expect(extractCode('print(3)')).toBe('print(3)');
  });
  it('compares stdout with the lenient cascade', () => {
    expect(stdoutMatches('5\n', '5')).toBe(true);
    expect(stdoutMatches('1 2\n\n3\n', '1 2\n3')).toBe(true); // non-blank lines
    expect(stdoutMatches('0.3333333\n', '0.33333333333')).toBe(true); // allclose
    expect(stdoutMatches('0.333\n', '0.334')).toBe(false);
    expect(stdoutMatches('b a\nc\n', 'c\na b')).toBe(true); // set of per-line token sets
    expect(stdoutMatches('1.0004 x\n', 'x 1.0001')).toBe(true); // rounded to 3 decimals
    expect(stdoutMatches('YES\n', 'NO')).toBe(false);
    expect(callResultMatches([1, 2], [[1, 2]])).toBe(true);
    expect(callResultMatches([2, 1], [1, 2])).toBe(false);
  });
  it('computes the unbiased pass@k', () => {
    expect(passAtK(5, 2, 1)).toBeCloseTo(0.4, 12);
    expect(passAtK(5, 0, 1)).toBe(0);
    expect(passAtK(4, 2, 2)).toBeCloseTo(1 - 1 / 6, 12);
  });
});

describe('MMCode sandbox with hostile programs', () => {
  let dir: string;
  let server: Server;
  let port = 0;
  let connections = 0;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mmcode-test-'));
    await chmod(dir, 0o777); // file permissions alone would not stop the program: the guard must
    server = createServer((s) => {
      connections++;
      s.end();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as { port: number }).port;
    process.env['SMART_SANDBOX_SECRET'] = 's3cret';
  });
  afterAll(async () => {
    delete process.env['SMART_SANDBOX_SECRET'];
    await new Promise((r) => server.close(r));
    await rm(dir, { recursive: true, force: true });
  });

  it('fails every hostile program within its limits, keeps going, and passes the correct ones', async () => {
    const target = join(dir, 'escaped.txt');
    const hostile: Record<string, string> = {
      correct: 'a, b = map(int, input().split())\nprint(a + b)',
      loop: 'while True:\n    pass',
      forkbomb: 'import os\nwhile True:\n    try:\n        os.fork()\n    except OSError:\n        pass',
      memory: 'x = bytearray(2 * 1024 ** 3)\nprint(5)',
      write: `open(${JSON.stringify(target)}, "w").write("x")\nprint(5)`,
      socket: `import socket\nsocket.create_connection(("127.0.0.1", ${port}), timeout=1)\nprint(5)`,
      env: [
        'import os',
        'found = os.environ.get("SMART_SANDBOX_SECRET")',
        'for pid in (os.getppid(), 1):',
        '    try:',
        '        found = found or ("s3cret" if b"s3cret" in open("/proc/%d/environ" % pid, "rb").read() else None)',
        '    except OSError:',
        '        pass',
        'print(5 if found else 0)',
      ].join('\n'),
      syntax: 'def broken(:\n    print(5)',
      flood: 'while True:\n    print("x" * 1000)',
    };
    const records = Object.keys(hostile).map((k) => ({ ...sumProblem(k, k === 'correct' ? ['table', 'graph'] : ['graph']) }));
    // A call-based problem solved through `class Solution`.
    records.push({ ...sumProblem('call', ['tree']), input_output: JSON.stringify({ fn_name: 'add', inputs: [[1, 2], [3, 4]], outputs: [[3], [7]] }) });
    const file = join(dir, 'mmcode_test.jsonl.gz');
    await writeFile(file, gzipSync(records.map((r) => JSON.stringify(r)).join('\n') + '\n' + JSON.stringify({ problem_id: 'bad', question: 'q', images: [], input_output: '{"inputs": [1], "outputs": []}' }) + '\n'));
    const loaded = await loadRecords({ file, format: 'jsonl', schema: MMCodeRecordSchema, idField: 'problem_id' });
    expect(loaded.errors).toHaveLength(1);
    expect(loaded.errors[0]!.reason).toMatch(/inputs and outputs differ/);

    const responses = new Map<string, string>(Object.entries(hostile).map(([k, code]) => [k, fence(code)]));
    responses.set('call', fence('class Solution:\n    def add(self, a, b):\n        return a + b'));
    const started = Date.now();
    const run = await scoreMMCode(loaded.records, { model: 'm', responses, python: PYTHON, limits: LIMITS, problemMs: 6000, parallel: 3 });
    const elapsed = Date.now() - started;
    const verdicts = Object.fromEntries(run.items.map((i) => [i.itemId, i.verdict]));
    expect(verdicts).toEqual({
      correct: 'pass', call: 'pass',
      loop: 'timeout', forkbomb: expect.stringMatching(/^(timeout|runtime-error)$/), memory: 'runtime-error',
      write: 'runtime-error', socket: 'runtime-error', env: 'fail', syntax: 'compile-error', flood: 'output-limit',
    });
    expect(existsSync(target)).toBe(false);
    expect(connections).toBe(0);
    // The two slow programs (loop, fork bomb) end at their 2.5 s wall limit; the rest take milliseconds.
    expect(elapsed).toBeLessThan(12_000);
    expect(run.result).toMatchObject({ benchmark: 'mmcode', scored: 10, failed: 0 });
    expect(run.result.score).toBeCloseTo(2 / 10, 12);
    expect(run.result.breakdowns['image_tags']).toEqual({ graph: 1 / 9, table: 1, tree: 1 });
    // Nothing survives: no sandboxed process is left running.
    const ps = execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' });
    expect(ps.split('\n').filter((l) => l.includes('guard.py'))).toEqual([]);
  });

  it('blocks sockets with the Python guard alone when unshare is not used', async () => {
    const r = await runSandboxed(`import socket\nsocket.create_connection(("127.0.0.1", ${port}))`, '', { python: PYTHON, limits: LIMITS, isolation: 'none' });
    expect(r.status).toBe('runtime-error');
    expect(r.stderr).toMatch(/sandbox: socket\.\S+ is not allowed/);
    expect(connections).toBe(0);
  });
});
