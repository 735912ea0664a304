import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, lstatSync, readdirSync, readlinkSync, realpathSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { SandboxError, SandboxUnavailableError } from '../errors';

/** Resource limits of one problem's run (all its tests run in one sandboxed process, as in the official harness). */
export interface SandboxLimits {
  /** Per-test alarm (official: `signal.alarm(20)`); an expired test is -1 like the official's. */
  perTestMs: number;
  /** Whole-problem wall clock from the moment the runner is ready (official: `p.join(timeout=21)`); then the sandbox is killed. */
  problemMs: number;
  /** Wall clock for the sandbox to start python and import numpy, before the program is loaded. */
  startupMs: number;
  /** RLIMIT_AS, bytes (the official sets none; contest problems assume 256 MB). */
  memoryBytes: number;
  /** RLIMIT_NPROC: processes and threads of the sandbox user inside its own user namespace. */
  maxProcesses: number;
  /** Size of the private writable /tmp (tmpfs) and RLIMIT_FSIZE, bytes. */
  maxFileBytes: number;
  /** RLIMIT_NOFILE. */
  maxOpenFiles: number;
  /** Result stream (captured stdout lines, returned values) beyond this ends the run as `output-limit`. */
  maxOutputBytes: number;
}

/** Defaults no tighter than the official harness's effective behaviour (20 s per test, 21 s per problem, no memory cap). */
export const DEFAULT_SANDBOX_LIMITS: Readonly<SandboxLimits> = Object.freeze({
  perTestMs: 20_000,
  problemMs: 21_000,
  startupMs: 30_000,
  memoryBytes: 4 * 1024 ** 3,
  maxProcesses: 64,
  maxFileBytes: 64 * 1024 ** 2,
  maxOpenFiles: 256,
  maxOutputBytes: 64 * 1024 ** 2,
});

/** Where and how model-written code runs. */
export interface SandboxConfig {
  /**
   * `bwrap` (default): bubblewrap with new user/PID/network/IPC/UTS/mount namespaces. `unsafe-none`
   * runs python directly with rlimits only — the program can read and write what the evaluator can.
   */
  isolation?: 'bwrap' | 'unsafe-none';
  /** Absolute path of the interpreter (needs numpy for the official preamble). Default /usr/bin/python3. */
  python?: string;
  /** bubblewrap binary. Default `bwrap` on /usr/bin:/bin. */
  bwrap?: string;
  /**
   * Command prefix for the launch, e.g. `['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups', '--']`.
   * Without one, a root evaluator starts bwrap as `sandboxUid` (root's user namespace would map the
   * program to uid 0 outside, which RLIMIT_NPROC does not bind); a non-root one starts it as itself.
   */
  launcher?: readonly string[];
  /** uid/gid bwrap runs as when the evaluator is root. Default 65534 (nobody). */
  sandboxUid?: number;
}

const HOST_PATH = '/usr/bin:/bin';
const INSTALL_HINT =
  "Install bubblewrap (Debian/Ubuntu: apt-get install bubblewrap; Fedora: dnf install bubblewrap) and allow " +
  'unprivileged user namespaces (sysctl kernel.unprivileged_userns_clone=1; Ubuntu 24.04+: ' +
  "kernel.apparmor_restrict_unprivileged_userns=0), or pass isolation: 'unsafe-none' to run model code unisolated";
// Read-only views the interpreter and numpy need: the dynamic loader's cache and the alternatives links
// (libblas.so.3 resolves through /etc/alternatives on Debian), Python's own /etc config.
const ETC_PATHS = ['/etc/alternatives', '/etc/ld.so.cache', '/etc/ld.so.conf', '/etc/ld.so.conf.d', '/etc/localtime'];
const ROOT_LINKS = ['/bin', '/sbin', '/lib', '/lib32', '/lib64', '/libx32'];

function pythonOf(config: SandboxConfig): string {
  const python = config.python ?? '/usr/bin/python3';
  if (!python.startsWith('/')) throw new SandboxError(`python must be an absolute path, got ${JSON.stringify(python)}`);
  return python;
}

/** Read-only mounts of the host's system paths (merged-/usr links become links). */
function systemMounts(python: string): string[] {
  const args = ['--ro-bind', '/usr', '/usr'];
  for (const p of ROOT_LINKS) {
    if (!existsSync(p)) continue;
    const st = lstatSync(p);
    if (st.isSymbolicLink()) args.push('--symlink', readlinkSync(p), p);
    else if (st.isDirectory()) args.push('--ro-bind', p, p);
  }
  const etc = [...ETC_PATHS, ...readdirSync('/etc').filter((n) => n.startsWith('python3')).map((n) => `/etc/${n}`)];
  for (const p of etc) if (existsSync(p)) args.push('--ro-bind', p, p);
  // An interpreter outside /usr (pyenv, conda) brings its own prefix, read-only.
  const real = existsSync(python) ? realpathSync(python) : python;
  if (!real.startsWith('/usr/')) {
    const prefix = dirname(dirname(real));
    args.push('--ro-bind', prefix, prefix);
  }
  return args;
}

const helpTexts = new Map<string, string>();

/** Options this bubblewrap knows (`--disable-userns` and `--size` need 0.8; Ubuntu 22.04 ships 0.6). */
function bwrapHas(bwrap: string, option: string): boolean {
  let help = helpTexts.get(bwrap);
  if (help === undefined) {
    const r = spawnSync(bwrap, ['--help'], { encoding: 'utf8', timeout: 10_000, env: { PATH: HOST_PATH } });
    help = `${r.stdout ?? ''}${r.stderr ?? ''}`;
    helpTexts.set(bwrap, help);
  }
  return help.includes(option);
}

/**
 * bubblewrap arguments for one run: every namespace new, system read-only, only a sized /tmp writable.
 * An older bwrap without `--disable-userns`/`--size` runs without them (nested namespaces stay inside
 * the sandbox; /tmp is then bounded by RLIMIT_FSIZE per file only).
 */
export function bwrapArgs(config: SandboxConfig, limits: SandboxLimits, command: readonly string[]): string[] {
  const bwrap = config.bwrap ?? 'bwrap';
  return [
    '--unshare-user', '--unshare-pid', '--unshare-net', '--unshare-ipc', '--unshare-uts', '--unshare-cgroup-try',
    ...(bwrapHas(bwrap, '--disable-userns') ? ['--disable-userns'] : []),
    '--uid', '65534', '--gid', '65534', '--hostname', 'sandbox',
    '--die-with-parent', '--new-session',
    '--clearenv', '--setenv', 'PATH', HOST_PATH, '--setenv', 'HOME', '/tmp', '--setenv', 'TMPDIR', '/tmp',
    '--setenv', 'LANG', 'C.UTF-8', '--setenv', 'OMP_NUM_THREADS', '1', '--setenv', 'OPENBLAS_NUM_THREADS', '1',
    ...systemMounts(pythonOf(config)),
    '--proc', '/proc', '--dev', '/dev',
    ...(bwrapHas(bwrap, '--size') ? ['--size', String(limits.maxFileBytes)] : []), '--tmpfs', '/tmp', '--chdir', '/tmp',
    '--remount-ro', '/dev', '--remount-ro', '/',
    '--', ...command,
  ];
}

/** A started sandbox: stdin, the result stream (fd 3), and a kill that takes every process with it. */
export interface SandboxProcess {
  child: ChildProcess;
  stdin: Writable;
  results: Readable;
  /** SIGKILL to the whole sandbox (bwrap's PID namespace dies with it). */
  kill(): void;
  /** Removes the temp dir of an unsafe run; no-op otherwise. */
  cleanup(): Promise<void>;
}

/** Starts `python -I -B -c <source>` in the configured sandbox. */
export async function startSandbox(config: SandboxConfig, limits: SandboxLimits, source: string): Promise<SandboxProcess> {
  const python = pythonOf(config);
  const command = [python, '-I', '-B', '-c', source];
  let file: string;
  let args: string[];
  let cwd = '/';
  let workDir: string | undefined;
  let ids: { uid: number; gid: number } | undefined;
  if ((config.isolation ?? 'bwrap') === 'unsafe-none') {
    workDir = await mkdtemp(join(tmpdir(), 'mmcode-unsafe-'));
    [file, args, cwd] = [python, command.slice(1), workDir];
  } else {
    const full = [...(config.launcher ?? []), config.bwrap ?? 'bwrap', ...bwrapArgs(config, limits, command)];
    [file, args] = [full[0]!, full.slice(1)];
    if (!config.launcher && process.getuid?.() === 0) {
      const id = config.sandboxUid ?? 65534;
      ids = { uid: id, gid: id };
    }
  }
  const child = spawn(file, args, {
    cwd,
    env: { PATH: HOST_PATH, LANG: 'C.UTF-8' },
    stdio: ['pipe', 'pipe', 'pipe', 'pipe'],
    detached: true,
    ...ids,
  });
  const kill = (): void => {
    if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      child.kill('SIGKILL');
    }
  };
  return {
    child,
    stdin: child.stdin!,
    results: child.stdio[3] as Readable,
    kill,
    cleanup: async () => {
      if (workDir) await rm(workDir, { recursive: true, force: true });
    },
  };
}

const probes = new Map<string, Promise<void>>();

/** Runs `source` to completion in the sandbox; resolves with exit code and stderr. */
async function runToEnd(config: SandboxConfig, source: string, timeoutMs: number): Promise<{ code: number | null; stderr: string }> {
  const sb = await startSandbox(config, DEFAULT_SANDBOX_LIMITS, source);
  return await new Promise((resolve, reject) => {
    let stderr = '';
    sb.child.stderr!.on('data', (c: Buffer) => (stderr = (stderr + c.toString()).slice(-4000)));
    sb.child.stdout!.resume();
    sb.results.resume();
    const timer = setTimeout(sb.kill, timeoutMs);
    sb.child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    sb.child.on('close', (code) => {
      clearTimeout(timer);
      void sb.cleanup().then(() => resolve({ code, stderr }));
    });
    sb.stdin.end();
  });
}

/**
 * Checks once per configuration that the sandbox starts and numpy imports inside it; throws
 * SandboxUnavailableError (with how to install bubblewrap, or to opt out) when it does not.
 */
export function checkSandbox(config: SandboxConfig = {}): Promise<void> {
  const key = JSON.stringify([config.isolation ?? 'bwrap', pythonOf(config), config.bwrap, config.launcher, config.sandboxUid]);
  let probe = probes.get(key);
  if (!probe) {
    probe = (async () => {
      let r: { code: number | null; stderr: string };
      try {
        r = await runToEnd(config, 'import numpy', 60_000);
      } catch (e) {
        const err = e as NodeJS.ErrnoException;
        const what = err.code === 'ENOENT' ? 'bubblewrap (bwrap) or python3 is not installed' : `the sandbox cannot start: ${err.message}`;
        throw new SandboxUnavailableError(what, INSTALL_HINT);
      }
      if (r.code === 0) return;
      const why = r.stderr.trim().split('\n').slice(-3).join(' | ') || `exit code ${r.code}`;
      if (/numpy/i.test(r.stderr) && !/^bwrap:/m.test(r.stderr)) {
        throw new SandboxUnavailableError(`${pythonOf(config)} cannot import numpy inside the sandbox (${why})`, 'Install numpy for it (Debian: apt-get install python3-numpy)');
      }
      throw new SandboxUnavailableError(`the sandbox cannot start (${why})`, INSTALL_HINT);
    })();
    probe.catch(() => probes.delete(key));
    probes.set(key, probe);
  }
  return probe;
}
