import { z } from 'zod';
import { MMCodeDataError, SandboxError } from '../errors';
import { HarnessCrash, callResultMatches, stdoutMatches } from './compare-output';
import type { MMCodeTests } from './mmcode-record';
import { decodePyValue, encodePyJson } from './py-value';
import { DEFAULT_SANDBOX_LIMITS, checkSandbox, startSandbox, type SandboxConfig, type SandboxLimits, type SandboxProcess } from './sandbox';
import { MMCODE_PREAMBLE, SANDBOX_RUNNER } from './sandbox-runner';

/** Official outcomes (pass; fail = a False; runtime-error / timeout = -1; compile-error = -2), plus the result-stream cap. */
export type MMCodeVerdict = 'pass' | 'fail' | 'runtime-error' | 'timeout' | 'compile-error' | 'output-limit';

/** Result of running one program on a problem's tests. */
export interface ProblemRun {
  verdict: MMCodeVerdict;
  /** Tests passed before the first non-pass (all on `pass`; 0 when the process died or ran out of time, as the official then has no results). */
  passed: number;
  total: number;
  /** Index of the first test that did not pass, when one did not. */
  failedTest?: number;
  /** The error of the failing test, or the tail of stderr. */
  detail?: string;
  wallMs: number;
}

/** Options of `runProblem`: the sandbox and its limits. */
export interface RunProblemOptions extends SandboxConfig {
  limits?: Partial<SandboxLimits>;
}

const Message = z.discriminatedUnion('k', [
  z.object({ k: z.literal('ready') }),
  z.object({ k: z.literal('compile'), detail: z.string() }),
  z.object({
    k: z.literal('test'),
    i: z.number().int(),
    ok: z.boolean(),
    out: z.array(z.string()).optional(),
    v: z.unknown().optional(),
    timeout: z.boolean().optional(),
    detail: z.string().optional(),
  }),
  z.object({ k: z.literal('done') }),
]);
type Message = z.infer<typeof Message>;

function jobText(code: string, tests: MMCodeTests, limits: SandboxLimits): string {
  const rlimits = {
    RLIMIT_AS: limits.memoryBytes,
    RLIMIT_CPU: Math.ceil(limits.problemMs / 1000) + 5,
    RLIMIT_NPROC: limits.maxProcesses,
    RLIMIT_FSIZE: limits.maxFileBytes,
    RLIMIT_NOFILE: limits.maxOpenFiles,
    RLIMIT_CORE: 0,
  };
  return `{"code":${JSON.stringify(code)},"fn":${tests.fnName === null ? 'null' : JSON.stringify(tests.fnName)},` +
    `"preamble":${JSON.stringify(MMCODE_PREAMBLE)},"alarm":${limits.perTestMs / 1000},"rlimits":${JSON.stringify(rlimits)},` +
    `"inputs":[${tests.inputs.map(encodePyJson).join(',')}]}`;
}

type Outcome = Omit<ProblemRun, 'total' | 'wallMs'>;

/**
 * Runs `code` on all of a problem's tests in one sandboxed process, comparing each result outside the
 * sandbox as the official harness does, and stops at the first test that does not pass (the official
 * runs the rest, but one non-pass already decides the problem). Throws SandboxUnavailableError
 * when no sandbox can be set up, SandboxError when one breaks.
 */
export async function runProblem(code: string, tests: MMCodeTests, opts: RunProblemOptions = {}): Promise<ProblemRun> {
  const limits: SandboxLimits = { ...DEFAULT_SANDBOX_LIMITS, ...opts.limits };
  const total = tests.inputs.length;
  await checkSandbox(opts);
  const started = Date.now();
  const sb = await startSandbox(opts, limits, SANDBOX_RUNNER);
  try {
    const outcome = await collect(sb, code, tests, limits);
    return { ...outcome, total, wallMs: Date.now() - started };
  } finally {
    await sb.cleanup();
  }
}

function collect(sb: SandboxProcess, code: string, tests: MMCodeTests, limits: SandboxLimits): Promise<Outcome> {
  const total = tests.inputs.length;
  return new Promise<Outcome>((resolve, reject) => {
    let ready = false;
    let passed = 0;
    let outcome: Outcome | undefined;
    let killedFor: 'timeout' | 'output-limit' | undefined;
    let stderr = '';
    let pending: Buffer[] = [];
    let bytes = 0;
    const finish = (o: Outcome): void => {
      outcome ??= o;
      sb.kill();
      // bwrap's PID namespace closes every pipe as it dies; an unsafe run's stray children may not.
      setTimeout(() => {
        for (const s of sb.child.stdio) s?.destroy();
        resolve(outcome!);
      }, 2000).unref();
    };
    const failAt = (verdict: MMCodeVerdict, detail?: string): void =>
      finish({ verdict, passed, failedTest: passed, ...(detail ? { detail } : {}) });
    let timer = setTimeout(() => {
      killedFor = 'timeout';
      sb.kill();
    }, limits.startupMs);
    const onMessage = (m: Message): void => {
      if (!ready) {
        if (m.k !== 'ready') throw new MMCodeDataError(`expected ready, got ${m.k}`);
        ready = true;
        clearTimeout(timer);
        timer = setTimeout(() => {
          // The official's global timeout: no result list, every test -1.
          killedFor = 'timeout';
          finish({ verdict: 'timeout', passed: 0, failedTest: 0, detail: `problem time limit ${limits.problemMs} ms` });
        }, limits.problemMs);
        return;
      }
      if (m.k === 'compile') return failAt('compile-error', m.detail);
      if (m.k === 'done') {
        if (passed !== total) throw new MMCodeDataError(`done after ${passed} of ${total} tests`);
        return finish({ verdict: 'pass', passed });
      }
      if (m.k !== 'test' || m.i !== passed) throw new MMCodeDataError(`unexpected ${m.k} message`);
      if (!m.ok) return failAt(m.timeout ? 'timeout' : 'runtime-error', m.detail);
      const expected = tests.outputs[m.i]!;
      let result: boolean | -1 | -2;
      if (tests.fnName === null) {
        if (!m.out) throw new MMCodeDataError('test message without output lines');
        result = stdoutMatches(m.out, expected);
      } else {
        result = callResultMatches(decodePyValue(m.v), expected);
      }
      if (result === true) passed++;
      else failAt(result === false ? 'fail' : 'runtime-error', result === false ? undefined : 'comparison raised (as in the official harness)');
    };
    sb.results.on('data', (chunk: Buffer) => {
      if (outcome) return;
      bytes += chunk.length;
      if (bytes > limits.maxOutputBytes) {
        killedFor = 'output-limit';
        return failAt('output-limit', `result stream over ${limits.maxOutputBytes} bytes`);
      }
      // Lines are joined only once complete: a long line costs linear time, not a rescan per chunk.
      let rest = chunk;
      let nl: number;
      while (!outcome && (nl = rest.indexOf(10)) >= 0) {
        const line = Buffer.concat([...pending, rest.subarray(0, nl)]).toString('latin1');
        pending = [];
        rest = rest.subarray(nl + 1);
        try {
          onMessage(Message.parse(JSON.parse(line)));
        } catch (e) {
          if (e instanceof HarnessCrash) failAt('runtime-error', `the official harness raises here: ${e.message}`);
          else failAt('runtime-error', `result stream broken: ${(e as Error).message.slice(0, 200)}`);
        }
      }
      if (rest.length > 0) pending.push(rest);
    });
    sb.child.stdout!.resume();
    sb.child.stderr!.on('data', (c: Buffer) => (stderr = (stderr + c.toString('utf8')).slice(-4000)));
    sb.child.on('error', (e) => {
      clearTimeout(timer);
      reject(new SandboxError(`cannot start the sandbox: ${e.message}`));
    });
    sb.child.on('close', (exitCode, signal) => {
      clearTimeout(timer);
      if (outcome) return resolve(outcome);
      const tail = stderr.trim().split('\n').slice(-4).join('\n');
      if (!ready && killedFor === undefined) return reject(new SandboxError(`the sandbox exited before the program started (exit ${exitCode ?? signal}): ${tail}`));
      if (!ready) return reject(new SandboxError(`the sandbox did not start within ${limits.startupMs} ms`));
      // The process ended without `done`: the official gets no result list and counts every test as -1.
      const cpu = signal === 'SIGXCPU' || exitCode === 128 + 24;
      resolve({ verdict: killedFor ?? (cpu ? 'timeout' : 'runtime-error'), passed: 0, failedTest: 0, ...(tail ? { detail: tail } : {}) });
    });
    sb.stdin.on('error', () => {
      // the sandbox may die before reading its job
    });
    sb.stdin.end(jobText(code, tests, limits));
  });
}

/** Unbiased pass@k estimator (Chen et al. 2021): 1 - C(n-c, k) / C(n, k), computed as a stable product. */
export function passAtK(n: number, c: number, k: number): number {
  if (n - c < k) return 1;
  let prod = 1;
  for (let i = n - c + 1; i <= n; i++) prod *= 1 - k / i;
  return 1 - prod;
}
