import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chmod, mkdtemp, readdir, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SandboxUnavailableError } from '../src/errors';
import { parseMMCodeTests } from '../src/mmcode/mmcode-record';
import { runProblem, type MMCodeVerdict, type RunProblemOptions } from '../src/mmcode/run-problem';
import { checkSandbox } from '../src/mmcode/sandbox';
import { scoreMMCode } from '../src/mmcode/score-mmcode';
import { describeWithSandbox, hasPythonWithNumpy } from './sandbox-availability';

const LIMITS = { perTestMs: 700, problemMs: 1500, memoryBytes: 512 * 1024 ** 2, maxProcesses: 32, maxOutputBytes: 1024 ** 2, maxFileBytes: 4 * 1024 ** 2 };
const MARKER = `mmcode-leftover-${process.pid}`;
const SECRET = 's3cret-value-for-the-sandbox-test';

/** A hostile program: call-based `f()` returns "contained" unless its attack worked (or it never returns). */
interface Hostile {
  name: string;
  code: string;
  verdict: MMCodeVerdict | MMCodeVerdict[];
  stdin?: boolean;
}

function hostilePrograms(ctx: { hostDir: string; port: number; abstract: string; evaluatorPid: number; canaryPid: number }): Hostile[] {
  const dir = JSON.stringify(ctx.hostDir);
  const attempt = (body: string): string =>
    `\nimport posix, sys\ndef f():\n    try:\n${body.split('\n').map((l) => `        ${l}`).join('\n')}\n    except BaseException as e:\n        return "contained"\n    return "escaped"\n`;
  return [
    { name: 'read the evaluator\'s files', code: attempt(`open(${JSON.stringify(__filename)}).read()`), verdict: 'pass' },
    { name: 'read /etc/passwd', code: attempt('open("/etc/passwd").read()'), verdict: 'pass' },
    { name: 'read /root and /home', code: attempt('assert posix.listdir("/root") or posix.listdir("/home")'), verdict: 'pass' },
    { name: 'see only its own processes in /proc', code: `\nimport posix\ndef f():\n    pids = [int(p) for p in posix.listdir("/proc") if p.isdigit()]\n    return "contained" if len(pids) <= 3 and ${ctx.evaluatorPid} not in pids else "escaped %r" % pids\n`, verdict: 'pass' },
    { name: 'read the evaluator\'s /proc entries', code: attempt(`assert b"node" in open("/proc/${ctx.evaluatorPid}/cmdline", "rb").read()`), verdict: 'pass' },
    { name: 'secrets in the environment and in /proc/*/environ', code: `\nimport posix\ndef f():\n    seen = repr(dict(posix.environ))\n    for p in posix.listdir("/proc"):\n        try:\n            seen += repr(open("/proc/%s/environ" % p, "rb").read())\n        except OSError:\n            pass\n    return "escaped" if ${JSON.stringify(SECRET)} in seen or "JEST_WORKER_ID" in seen else "contained"\n`, verdict: 'pass' },
    { name: 'write outside directly', code: attempt(`open(${dir} + "/direct.txt", "w").write("x")`), verdict: 'pass' },
    { name: 'write outside after chdir', code: attempt(`posix.chdir(${dir})\nopen("chdir.txt", "w").write("x")`), verdict: 'pass' },
    { name: 'write outside through dir_fd', code: attempt(`fd = posix.open(${dir}, posix.O_RDONLY)\nposix.open("dirfd.txt", posix.O_CREAT | posix.O_WRONLY, 0o644, dir_fd=fd)`), verdict: 'pass' },
    { name: 'write outside by renaming a file from /tmp', code: attempt(`open("/tmp/r.txt", "w").write("x")\nposix.rename("/tmp/r.txt", ${dir} + "/renamed.txt")`), verdict: 'pass' },
    { name: 'write outside through a symlink', code: attempt(`posix.symlink(${dir} + "/linked.txt", "/tmp/link")\nopen("/tmp/link", "w").write("x")`), verdict: 'pass' },
    { name: 'write outside with sqlite', code: attempt(`import sqlite3\nsqlite3.connect(${dir} + "/db.sqlite").execute("create table t(x)")`), verdict: 'pass' },
    { name: 'write to system paths', code: attempt('open("/usr/lib/pwned", "w").write("x")'), verdict: 'pass' },
    { name: 'write to /, /etc, /dev', code: `\ndef f():\n    for p in ("/pwned", "/etc/pwned", "/dev/pwned", "/dev/shm/pwned"):\n        try:\n            open(p, "w").write("x")\n            return "escaped " + p\n        except OSError:\n            pass\n    return "contained"\n`, verdict: 'pass' },
    { name: 'its own /tmp is writable', code: '\ndef f():\n    open("/tmp/ok.txt", "w").write("x")\n    return "contained" if open("/tmp/ok.txt").read() == "x" else "escaped"\n', verdict: 'pass' },
    { name: 'fill /tmp past its size', code: '\ndef f():\n    try:\n        with open("/tmp/big", "wb") as fh:\n            for _ in range(64):\n                fh.write(b"x" * 1024 * 1024)\n    except OSError:\n        return "contained"\n    return "escaped"\n', verdict: 'pass' },
    { name: 'use a descriptor inherited from the evaluator', code: '\nimport posix\ndef f():\n    for fd in posix.listdir("/proc/self/fd"):\n        try:\n            target = posix.readlink("/proc/self/fd/" + fd)\n        except OSError:\n            continue\n        if int(fd) > 3 and target != "/dev/null" and not target.startswith("/proc/"):\n            return "escaped %s -> %s" % (fd, target)\n    return "contained"\n', verdict: 'pass' },
    { name: 'connect to a loopback port', code: attempt(`import socket\nsocket.create_connection(("127.0.0.1", ${ctx.port}), timeout=1)`), verdict: 'pass' },
    { name: 'connect to an abstract unix socket', code: attempt(`import socket\ns = socket.socket(socket.AF_UNIX)\ns.connect("\\0${ctx.abstract}")`), verdict: 'pass' },
    { name: 'subprocess / posix_spawn a shell that writes outside', code: `\nimport posix\ndef f():\n    try:\n        pid = posix.posix_spawn("/bin/sh", ["sh", "-c", "echo x > ${ctx.hostDir}/sh.txt"], {})\n        posix.waitpid(pid, 0)\n    except OSError:\n        pass\n    return "contained"\n`, verdict: 'pass' },
    { name: 'exec replaces the runner', code: '\nimport posix\ndef f():\n    posix.execv("/bin/sh", ["sh", "-c", "exit 0"])\n', verdict: 'runtime-error' },
    { name: 'fork (os.fork is None, posix.fork is not)', code: '\nimport posix\ndef f():\n    pid = posix.fork()\n    if pid == 0:\n        posix._exit(0)\n    posix.waitpid(pid, 0)\n    return "contained"\n', verdict: 'pass' },
    { name: 'fork bomb', code: '\nimport posix\ndef f():\n    while True:\n        try:\n            posix.fork()\n        except OSError:\n            pass\n', verdict: ['timeout', 'runtime-error'] },
    { name: 'kill -1 and the parent', code: '\nimport posix, signal\ndef f():\n    try:\n        posix.kill(posix.getppid(), signal.SIGKILL)\n    except OSError:\n        pass\n    posix.kill(-1, signal.SIGKILL)\n    return "contained"\n', verdict: 'runtime-error' },
    { name: 'signal the evaluator and a canary by pid', code: `\nimport posix, signal\ndef f():\n    for pid in (${ctx.evaluatorPid}, ${ctx.canaryPid}):\n        try:\n            posix.kill(pid, signal.SIGKILL)\n        except OSError:\n            pass\n    return "contained"\n`, verdict: 'pass' },
    { name: 'memory bomb', code: '\ndef f():\n    x = bytearray(8 * 1024 ** 3)\n    return "escaped"\n', verdict: 'runtime-error' },
    { name: 'slow memory growth', code: '\ndef f():\n    xs = []\n    while True:\n        xs.append(bytes(1 << 24))\n', verdict: 'runtime-error' },
    { name: 'infinite loop', code: '\ndef f():\n    while True:\n        pass\n', verdict: 'timeout' },
    { name: 'huge captured output', code: '\nwhile True:\n    print("x" * 4096)\n', verdict: ['runtime-error', 'timeout'], stdin: true },
    { name: 'huge returned value', code: '\ndef f():\n    return "x" * 10 ** 7\n', verdict: 'output-limit' },
    { name: 'flood of the real stdout', code: '\nimport posix\ndef f():\n    while True:\n        posix.write(1, b"x" * 65536)\n', verdict: 'timeout' },
    { name: 'a daemon left behind after a timeout', code: `\nimport posix\ndef f():\n    if posix.fork() == 0:\n        posix.setsid()\n        if posix.fork() == 0:\n            posix.execv("/usr/bin/python3", ["python3", "-c", "import time; time.sleep(600)", "${MARKER}"])\n        posix._exit(0)\n    while True:\n        pass\n`, verdict: 'timeout' },
    { name: 'a daemon left behind after finishing', code: `\nimport posix, time\ndef f():\n    if posix.fork() == 0:\n        posix.setsid()\n        posix.execv("/usr/bin/python3", ["python3", "-c", "import time; time.sleep(600)", "${MARKER}"])\n    time.sleep(0.2)\n    return "contained"\n`, verdict: 'pass' },
    { name: 'raise its own rlimits', code: attempt('del sys.modules["resource"]\nimport resource\nresource.setrlimit(resource.RLIMIT_AS, (resource.RLIM_INFINITY, resource.RLIM_INFINITY))'), verdict: 'pass' },
    { name: 'new user namespace, mount, chroot, setuid via libc', code: '\nimport ctypes\ndef f():\n    libc = ctypes.CDLL(None, use_errno=True)\n    bad = [libc.unshare(0x10000000) == 0, libc.unshare(0x00020000) == 0, libc.mount(b"none", b"/tmp", b"tmpfs", 0, None) == 0, libc.chroot(b"/tmp") == 0, libc.setuid(0) == 0]\n    return "escaped %r" % bad if any(bad) else "contained"\n', verdict: 'pass' },
    { name: 'switch the guard back on and off (reload os, restore exit)', code: '\nimport importlib, os, builtins, posix\ndef f():\n    importlib.reload(os)\n    builtins.exit = lambda *a: None\n    try:\n        open("/etc/shadow").read()\n        return "escaped"\n    except OSError:\n        return "contained"\n', verdict: 'pass' },
    { name: 'forge the end of the result stream', code: '\nimport posix\ndef f():\n    posix.write(3, b\'{"k":"done"}\\n\')\n    return "contained"\n', verdict: 'runtime-error' },
  ];
}

function hostDirEntries(dir: string): Promise<string[]> {
  return readdir(dir);
}

function leftovers(): string[] {
  return execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' }).split('\n').filter((l) => l.includes(MARKER));
}

async function waitNoLeftovers(): Promise<string[]> {
  for (let i = 0; i < 20 && leftovers().length > 0; i++) await new Promise((r) => setTimeout(r, 100));
  return leftovers();
}

const isRoot = process.getuid?.() === 0;
const launches: Array<[string, RunProblemOptions]> = [['default launch', {}]];
// The same bwrap launch with the evaluator's privileges dropped, as a non-root user runs it.
if (isRoot) launches.push(['unprivileged launch (setpriv to nobody)', { launcher: ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups', '--'] }]);

describeWithSandbox('MMCode sandbox against hostile programs', () => {
  let hostDir: string;
  let server: Server;
  let abstractServer: Server;
  let canary: ChildProcess;
  let connections = 0;
  const abstract = `mmcode-test-${process.pid}`;
  let programs: Hostile[];

  beforeAll(async () => {
    hostDir = await mkdtemp(join(tmpdir(), 'mmcode-hostile-'));
    await chmod(hostDir, 0o777); // permissions alone would let nobody write here: only the sandbox stops it
    server = createServer((s) => {
      connections++;
      s.end();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    abstractServer = createServer((s) => {
      connections++;
      s.end();
    });
    await new Promise<void>((r) => abstractServer.listen(`\0${abstract}`, r));
    canary = spawn('sleep', ['300'], { stdio: 'ignore', ...(isRoot ? { uid: 65534, gid: 65534 } : {}) });
    process.env['SMART_SANDBOX_SECRET'] = SECRET;
    programs = hostilePrograms({ hostDir, port: (server.address() as { port: number }).port, abstract, evaluatorPid: process.pid, canaryPid: canary.pid! });
  });
  afterAll(async () => {
    delete process.env['SMART_SANDBOX_SECRET'];
    canary.kill('SIGKILL');
    await new Promise((r) => server.close(r));
    await new Promise((r) => abstractServer.close(r));
    await rm(hostDir, { recursive: true, force: true });
  });

  describe.each(launches)('%s', (_label, launch) => {
    it('contains every attack with the right verdict, quickly, leaving nothing behind', async () => {
      const callTests = parseMMCodeTests(JSON.stringify({ fn_name: 'f', inputs: [[]], outputs: [['contained']] }));
      const stdinTests = parseMMCodeTests(JSON.stringify({ inputs: ['1\n'], outputs: ['1\n'] }));
      const started = Date.now();
      const verdicts: Record<string, string> = {};
      let next = 0;
      await Promise.all(Array.from({ length: 4 }, async () => {
        while (next < programs.length) {
          const p = programs[next++]!;
          const run = await runProblem(p.code, p.stdin ? stdinTests : callTests, { ...launch, limits: LIMITS });
          verdicts[p.name] = run.verdict + (run.verdict === 'compile-error' ? ` ${run.detail ?? ''}` : '');
        }
      }));
      const elapsed = Date.now() - started;
      expect(verdicts).toEqual(Object.fromEntries(programs.map((p) => [p.name, Array.isArray(p.verdict) ? expect.stringMatching(new RegExp(`^(${p.verdict.join('|')})$`)) : p.verdict])));
      expect(await hostDirEntries(hostDir)).toEqual([]);
      expect(connections).toBe(0);
      expect(canary.exitCode).toBeNull();
      expect(canary.signalCode).toBeNull();
      expect(await waitNoLeftovers()).toEqual([]);
      // About ten programs run into the 2 s problem clock, four at a time; the rest take a fraction of a second.
      expect(elapsed).toBeLessThan(25_000);
    }, 60_000);
  });
});

describe('without a sandbox', () => {
  it('refuses with a typed error that says how to install one or opt out', async () => {
    const missing = { bwrap: '/nonexistent/bwrap' };
    const err = await checkSandbox(missing).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SandboxUnavailableError);
    expect((err as SandboxUnavailableError).hint).toMatch(/apt-get install bubblewrap/);
    expect((err as Error).message).toMatch(/not installed.*unsafe-none/s);
    const record = { problem_id: 'p', question: 'q', images: [], input_output: parseMMCodeTests('{"inputs": ["1"], "outputs": ["1"]}'), image_tags: [] };
    await expect(scoreMMCode([record], { model: 'm', responses: new Map([['p', 'print(1)']]), ...missing })).rejects.toBeInstanceOf(SandboxUnavailableError);
  });

  (hasPythonWithNumpy() ? it : it.skip)('runs with the explicit unsafe opt-out, same verdicts', async () => {
    const tests = parseMMCodeTests(JSON.stringify({ inputs: ['2 3\n', '1 1\n'], outputs: ['5\n', '2\n'] }));
    const ok = await runProblem('\na, b = map(int, input().split())\nprint(a + b)\n', tests, { isolation: 'unsafe-none', limits: LIMITS });
    expect(ok).toMatchObject({ verdict: 'pass', passed: 2, total: 2 });
    const bad = await runProblem('\nprint(5)\n', tests, { isolation: 'unsafe-none', limits: LIMITS });
    expect(bad).toMatchObject({ verdict: 'fail', passed: 1, failedTest: 1 });
  });
});
