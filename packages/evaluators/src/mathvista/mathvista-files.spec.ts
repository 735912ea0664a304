import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TableGenerator, transportError } from '../../test/table-generator';
import { GeneratorJudge } from '../judge/generator-judge';
import { loadRecords } from '../records/load-records';
import { formatTable } from '../report/format-table';
import { tallyItems } from '../report/eval-run';
import { MathVistaRecordSchema } from './mathvista-record';
import { mathvistaQuery } from './mathvista-query';
import { scoreMathVista } from './score-mathvista';

const FIXTURES = join(__dirname, '../../test/fixtures/mathvista');
const TESTMINI = JSON.parse(readFileSync(join(FIXTURES, 'testmini.slice.json'), 'utf8')) as Record<string, Record<string, unknown>>;
const QUERIES = JSON.parse(readFileSync(join(FIXTURES, 'query.slice.json'), 'utf8')) as Record<string, string>;

describe('MathVista as released', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mathvista-files-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('loads the official testmini.json slice (no query field) with queries identical to query.json', async () => {
    const { records, errors } = await loadRecords({ file: join(FIXTURES, 'testmini.slice.json'), format: 'json-object', schema: MathVistaRecordSchema, idField: 'pid' });
    expect(errors).toEqual([]);
    expect(records).toHaveLength(26);
    for (const r of records) expect(r.query).toBe(QUERIES[r.pid]);
    expect(records[0]!.query).toContain('\r\n\r\nIn Figure');
  });

  it('loads a 1,000-record testmini.json of the official shape with no error', async () => {
    // The official file's shape at its full size: the vendored records, repeated under pids 1..1000.
    const base = Object.values(TESTMINI);
    const doc = Object.fromEntries(Array.from({ length: 1000 }, (_, i) => [String(i + 1), { ...base[i % base.length]!, pid: String(i + 1) }]));
    const file = join(dir, 'testmini.json');
    await writeFile(file, JSON.stringify(doc, null, 4));
    const { records, errors } = await loadRecords({ file, format: 'json-object', schema: MathVistaRecordSchema, idField: 'pid' });
    expect(errors).toEqual([]);
    expect(records).toHaveLength(1000);
    expect(records.map((r) => r.pid)).toEqual(Array.from({ length: 1000 }, (_, i) => String(i + 1)));
    const srcPids = Object.keys(TESTMINI);
    expect(records.every((r, i) => r.query === QUERIES[srcPids[i % srcPids.length]!])).toBe(true);
  });

  it('also builds the repository build_query.py zero-shot prompt, and refuses a float without a hint as the official does', () => {
    const p = MathVistaRecordSchema.parse(TESTMINI['2']);
    // Expected from create_one_query(shot_num=0, shot_type='solution') run in CPython: hint after the question, trailing space stripped.
    expect(mathvistaQuery(p, 'build-query')).toBe(
      'Question: what is the total volume of the measuring cup? (Unit: g)\nHint: Please answer the question requiring an integer answer and provide the final value, e.g., 1, 2, 3, at the end.\nSolution:',
    );
    const list = { question: 'Which years?', choices: null, unit: '', precision: null, question_type: 'free_form' as const, answer_type: 'list' as const };
    expect(mathvistaQuery(list)).toBe('Hint: Please answer the question requiring a Python list as an answer and provide the final list, e.g., [1, 2, 3], [1.2, 1.3, 1.4], at the end.\nQuestion: Which years?');
    const bad = MathVistaRecordSchema.safeParse({ ...TESTMINI['1'], precision: 3 });
    expect(bad.success).toBe(false);
    expect(bad.error!.issues[0]!.message).toMatch(/no official hint for float with precision 3/);
  });

  it('never scores a blank, refusing or failing extraction judge as a wrong answer', async () => {
    const { records } = await loadRecords({ file: join(FIXTURES, 'testmini.slice.json'), format: 'json-object', schema: MathVistaRecordSchema, idField: 'pid' });
    const picked = records.filter((r) => ['3', '5', '6', '7', '8'].includes(r.pid));
    const judge = new TableGenerator('gpt-4-0613', (call) => {
      const response = call.prompt.slice(call.prompt.lastIndexOf('\n\n', call.prompt.length - 22) + 2);
      if (response.startsWith('BLANK')) return '   ';
      if (response.startsWith('REFUSE')) return "I'm sorry, but I can't determine the answer from the response.";
      if (response.startsWith('DOWN')) throw transportError('HTTP 500: internal error', 500, 3);
      return 'C';
    });
    const responses = new Map([
      ['3', 'BLANK: the angle is 145 degrees'],
      ['5', 'REFUSE: it is ninety-seven'],
      ['6', 'DOWN: AC is six'],
      ['7', 'It is a quarter past, so (B).'], // judge says C: 'o'clock', a wrong answer
      ['8', 'Yes'], // rule: the response is a choice text
    ]);
    const run = await scoreMathVista(picked, { model: 'tiny', responses, judge: new GeneratorJudge(judge) });
    const byId = Object.fromEntries(run.items.map((i) => [i.itemId, i]));
    expect(byId['3']).toMatchObject({ verdict: 'failed', failureKind: 'judge', extracted: null });
    expect(byId['3']!.failure).toMatch(/blank reply/);
    expect(byId['5']).toMatchObject({ verdict: 'failed', failureKind: 'judge' });
    expect(byId['5']!.failure).toMatch(/refusal/);
    expect(byId['6']).toMatchObject({ verdict: 'failed', failureKind: 'judge' });
    expect(byId['6']!.failure).toMatch(/HTTP 500/);
    expect(byId['7']).toMatchObject({ verdict: 'wrong', extracted: "o'clock" });
    expect(byId['8']).toMatchObject({ verdict: 'correct', extracted: 'Yes' });
    expect(tallyItems(run.items)).toMatchObject({ items: 5, scored: 2, failed: 3, failedBy: { judge: 3 } });
    expect(run.result.score).toBe(0.5);
    const table = formatTable(run);
    expect(table).toMatch(/^score +50\.00 over 2 of 5 items$/m);
    expect(table).toMatch(/WARNING: 3 of 5 items failed and are not in any score; each score is over the 2 scored items\./);
  });
});
