import { callResultMatches, stdoutMatches } from './compare-output';
import type { MMCodeTests } from './mmcode-record';
import { runSandboxed, type SandboxOptions } from './sandbox';

/** Official verdicts, plus the sandbox's output-size failure. */
export type MMCodeVerdict = 'pass' | 'fail' | 'runtime-error' | 'timeout' | 'compile-error' | 'output-limit';

/** Result of running one program on a problem's tests. */
export interface ProblemRun {
  verdict: MMCodeVerdict;
  /** Tests passed before the first non-pass (all of them on `pass`). */
  passed: number;
  total: number;
  /** Index of the first test that did not pass. */
  failedTest?: number;
  /** Last lines of stderr of the failing run, for the per-sample log. */
  detail?: string;
}

/** Options of `runProblem`. */
export interface RunProblemOptions extends SandboxOptions {
  /** Budget for the whole problem (official: 21 s); tests stop when it is spent. */
  problemMs?: number;
}

const RESULT_MARKER = '\n@@SANDBOX_RESULT@@\n';

/** Runs `code` on every test case in its own sandboxed process, stopping at the first non-pass. */
export async function runProblem(code: string, tests: MMCodeTests, opts: RunProblemOptions = {}): Promise<ProblemRun> {
  const deadline = Date.now() + (opts.problemMs ?? 21_000);
  const total = tests.inputs.length;
  const callMode = tests.fn_name !== undefined && tests.fn_name !== '';
  for (let i = 0; i < total; i++) {
    const left = deadline - Date.now();
    if (left <= 0) return { verdict: 'timeout', passed: i, total, failedTest: i, detail: 'problem time budget spent' };
    const input = tests.inputs[i];
    const stdin = callMode
      ? JSON.stringify(Array.isArray(input) ? input : [input])
      : Array.isArray(input) ? input.map(String).join('\n') : String(input);
    const perTest = opts.limits?.wallMs ?? 20_000;
    const run = await runSandboxed(code, stdin, {
      ...opts,
      mode: callMode ? 'call' : 'stdio',
      ...(callMode ? { fnName: tests.fn_name! } : {}),
      limits: { ...opts.limits, wallMs: Math.min(perTest, left) },
    });
    const detail = run.stderr.split('\n').slice(-4).join('\n').trim();
    if (run.status !== 'ok') return { verdict: run.status, passed: i, total, failedTest: i, ...(detail ? { detail } : {}) };
    let ok: boolean;
    if (callMode) {
      const at = run.stdout.lastIndexOf(RESULT_MARKER);
      let result: unknown;
      try {
        result = at >= 0 ? JSON.parse(run.stdout.slice(at + RESULT_MARKER.length)) : undefined;
      } catch {
        result = undefined;
      }
      ok = at >= 0 && callResultMatches(result, tests.outputs[i]);
    } else {
      ok = stdoutMatches(run.stdout, tests.outputs[i]);
    }
    if (!ok) return { verdict: 'fail', passed: i, total, failedTest: i };
  }
  return { verdict: 'pass', passed: total, total };
}

/** Unbiased pass@k estimator (Chen et al. 2021): 1 - C(n-c, k) / C(n, k), computed as a stable product. */
export function passAtK(n: number, c: number, k: number): number {
  if (n - c < k) return 1;
  let prod = 1;
  for (let i = n - c + 1; i <= n; i++) prod *= 1 - k / i;
  return 1 - prod;
}
