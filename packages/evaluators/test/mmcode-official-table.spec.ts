import { parseMMCodeTests } from '../src/mmcode/mmcode-record';
import { runProblem, type MMCodeVerdict, type ProblemRun } from '../src/mmcode/run-problem';
import { OFFICIAL_CASES, type OfficialCase } from './mmcode-official-cases';
import { describeWithSandbox } from './sandbox-availability';

// Short clocks: the official 20 s alarm only matters for the loop cases, which time out either way.
const LIMITS = { perTestMs: 700, problemMs: 1500 };

/** The verdict family an official result list implies: its first non-True entry. */
function officialFamily(results: OfficialCase['official']): MMCodeVerdict[] {
  const first = results.find((r) => r !== true);
  if (first === undefined) return ['pass'];
  if (first === -2) return ['compile-error'];
  if (first === -1) return ['runtime-error', 'timeout'];
  return ['fail'];
}

async function mapLimit<T, R>(xs: readonly T[], limit: number, fn: (x: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(xs.length);
  let next = 0;
  await Promise.all(Array.from({ length: limit }, async () => {
    while (next < xs.length) {
      const i = next++;
      out[i] = await fn(xs[i]!);
    }
  }));
  return out;
}

describe('the official-verdict table', () => {
  it('has at least 60 varied programs whose verdicts agree with the official result lists', () => {
    expect(OFFICIAL_CASES.length).toBeGreaterThanOrEqual(60);
    expect(new Set(OFFICIAL_CASES.map((c) => c.name)).size).toBe(OFFICIAL_CASES.length);
    const calls = OFFICIAL_CASES.filter((c) => typeof c.io === 'string' || c.io.fn_name !== undefined).length;
    expect(calls).toBeGreaterThanOrEqual(20);
    expect(OFFICIAL_CASES.length - calls).toBeGreaterThanOrEqual(20);
    for (const c of OFFICIAL_CASES) expect([c.name, officialFamily(c.official)]).toEqual([c.name, expect.arrayContaining([c.verdict])]);
  });
});

describeWithSandbox('MMCode scoring equals the official harness', () => {
  let runs: ProblemRun[];
  beforeAll(async () => {
    runs = await mapLimit(OFFICIAL_CASES, 4, (c) =>
      runProblem(c.code, parseMMCodeTests(typeof c.io === 'string' ? c.io : JSON.stringify(c.io)), { limits: LIMITS }));
  }, 120_000);

  it.each(OFFICIAL_CASES.map((c, i) => [c.name, i] as const))('%s', (_name, i) => {
    const c = OFFICIAL_CASES[i]!;
    const run = runs[i]!;
    expect({ verdict: run.verdict, detail: run.detail }).toEqual({ verdict: c.verdict, detail: run.detail });
    const passedOfficially = c.official.findIndex((r) => r !== true);
    if (c.verdict !== 'pass' && c.verdict !== 'timeout' && c.official.length > 1) expect(run.failedTest).toBe(passedOfficially);
  });
});
