import { spawn, spawnSync } from 'node:child_process';
import { chmod, chown, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SandboxError } from '../errors';
import { SANDBOX_GUARD } from './sandbox-guard';

/** Resource limits of one sandboxed run. */
export interface SandboxLimits {
  /** Wall-clock limit; the whole process group is killed when it passes. */
  wallMs: number;
  /** RLIMIT_CPU, seconds. */
  cpuSeconds: number;
  /** RLIMIT_AS, bytes. */
  memoryBytes: number;
  /** RLIMIT_NPROC (processes of the sandbox user). */
  maxProcesses: number;
  /** stdout+stderr beyond this is an `output-limit` failure and kills the run. */
  maxOutputBytes: number;
  /** RLIMIT_FSIZE, bytes. */
  maxFileBytes: number;
}

/** MMCode's official per-test timeout (20 s) with conservative memory/process caps. */
export const DEFAULT_SANDBOX_LIMITS: SandboxLimits = Object.freeze({
  wallMs: 20_000,
  cpuSeconds: 20,
  memoryBytes: 1024 * 1024 * 1024,
  maxProcesses: 16,
  maxOutputBytes: 8 * 1024 * 1024,
  maxFileBytes: 16 * 1024 * 1024,
});

/** How a sandboxed run ended. */
export type SandboxStatus = 'ok' | 'runtime-error' | 'timeout' | 'compile-error' | 'output-limit';

/** Outcome of one sandboxed run. */
export interface SandboxRun {
  status: SandboxStatus;
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  wallMs: number;
}

/** Options of `runSandboxed`. */
export interface SandboxOptions {
  /** Python interpreter. Default `python3` looked up on a fixed PATH (`/usr/local/bin:/usr/bin:/bin`). */
  python?: string;
  limits?: Partial<SandboxLimits>;
  /** Parent of the per-run temp dirs. Default os.tmpdir(). */
  tmpRoot?: string;
  /** `auto` uses `unshare -n -p -f` (no network, own PID namespace) when it works, else the guard's socket block only. */
  isolation?: 'auto' | 'unshare' | 'none';
}

let unshareWorks: boolean | undefined;

/** Whether `unshare -n -p -f --kill-child` can be used here (root, or unprivileged user namespaces); probed once. */
export function unshareAvailable(): boolean {
  if (unshareWorks === undefined) {
    const r = spawnSync('unshare', ['-n', '-p', '-f', '--kill-child', '--', 'true'], { timeout: 10_000, stdio: 'ignore' });
    unshareWorks = r.status === 0;
  }
  return unshareWorks;
}

const SAFE_PATH = '/usr/local/bin:/usr/bin:/bin';
const NOBODY = 65534;

/**
 * Runs an untrusted Python program in a fresh temp dir with a scrubbed environment, resource
 * limits, no network and a wall-clock timeout that kills the whole process group.
 * `mode: 'call'` calls `fnName` with `input` parsed as a JSON argument list.
 */
export async function runSandboxed(
  code: string,
  input: string,
  opts: SandboxOptions & { mode?: 'stdio' | 'call'; fnName?: string } = {},
): Promise<SandboxRun> {
  const limits = { ...DEFAULT_SANDBOX_LIMITS, ...opts.limits };
  let dir: string;
  try {
    dir = await mkdtemp(join(opts.tmpRoot ?? tmpdir(), 'mmcode-sandbox-'));
    await writeFile(join(dir, 'solution.py'), code);
    await writeFile(join(dir, 'guard.py'), SANDBOX_GUARD);
    if (process.getuid?.() === 0) {
      // The program runs as nobody: it may write only in its own dir.
      await chown(dir, NOBODY, NOBODY);
      await chmod(join(dir, 'guard.py'), 0o444);
    }
  } catch (e) {
    throw new SandboxError(`cannot prepare the temp dir: ${(e as Error).message}`);
  }
  const python = opts.python ?? 'python3';
  const guardArgs = [
    '-I', '-B', 'guard.py', opts.mode ?? 'stdio', String(limits.cpuSeconds), String(limits.memoryBytes),
    String(limits.maxProcesses), String(limits.maxFileBytes), opts.fnName ?? '',
  ];
  const isolation = opts.isolation ?? 'auto';
  const useUnshare = isolation === 'unshare' || (isolation === 'auto' && unshareAvailable());
  const [cmd, args] = useUnshare ? ['unshare', ['-n', '-p', '-f', '--kill-child', '--', python, ...guardArgs]] : [python, guardArgs];
  const started = Date.now();
  try {
    return await new Promise<SandboxRun>((resolve, reject) => {
      const child = spawn(cmd, args, {
        cwd: dir,
        env: { PATH: SAFE_PATH, HOME: dir, LANG: 'C.UTF-8', PYTHONIOENCODING: 'utf-8' },
        detached: true, // own process group, so the whole tree can be killed at once
        stdio: ['pipe', 'pipe', 'pipe'],
      });
      const out: Buffer[] = [];
      const err: Buffer[] = [];
      let size = 0;
      let forced: SandboxStatus | undefined;
      const killGroup = (): void => {
        try {
          if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
        } catch {
          // group already gone
        }
      };
      const collect = (sink: Buffer[]) => (chunk: Buffer): void => {
        size += chunk.length;
        if (size > limits.maxOutputBytes) {
          forced ??= 'output-limit';
          killGroup();
          return;
        }
        sink.push(chunk);
      };
      child.stdout.on('data', collect(out));
      child.stderr.on('data', collect(err));
      const timer = setTimeout(() => {
        forced ??= 'timeout';
        killGroup();
      }, limits.wallMs);
      child.on('error', (e) => {
        clearTimeout(timer);
        reject(new SandboxError(`cannot start ${cmd}: ${e.message}`));
      });
      child.on('close', (exitCode, signal) => {
        clearTimeout(timer);
        killGroup(); // stragglers that kept no pipe open
        const stderr = Buffer.concat(err).toString('utf8');
        let status: SandboxStatus;
        if (forced) status = forced;
        else if (signal === 'SIGXCPU' || signal === 'SIGKILL' || exitCode === 128 + 24 || exitCode === 128 + 9) status = 'timeout';
        else if (exitCode === 3 && stderr.startsWith('compile error:')) status = 'compile-error';
        else if (exitCode === 0) status = 'ok';
        else status = 'runtime-error';
        resolve({ status, exitCode, signal, stdout: Buffer.concat(out).toString('utf8'), stderr, wallMs: Date.now() - started });
      });
      child.stdin.on('error', () => {
        // the program may exit without reading its input
      });
      child.stdin.end(input);
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
