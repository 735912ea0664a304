/**
 * Python preamble that runs before the untrusted program, inside the child process:
 * 1. compiles the program (a SyntaxError exits with code 3 = compile error);
 * 2. sets resource limits (address space, CPU seconds, process count, file size, open files, no core);
 * 3. when started as root, drops to uid/gid 65534 (nobody) — root ignores RLIMIT_NPROC and could
 *    write anywhere, so the limits only hold for an unprivileged user;
 * 4. installs an audit hook (PEP 578, cannot be removed from Python code) that refuses sockets,
 *    writes/renames/deletes outside the working dir, reads of other processes' /proc entries,
 *    exec/spawn/system/kill and ctypes loading; this is the network block when `unshare -n` is absent;
 * 5. runs the program as `__main__` (stdio mode) or calls `fn_name` with JSON args read from stdin
 *    and prints the JSON result after a marker line (call mode).
 * argv: mode cpu_s mem_bytes nproc fsize_bytes fn_name
 */
export const SANDBOX_GUARD = String.raw`
import json, os, resource, sys, traceback
mode, cpu, mem, nproc, fsize, fn_name = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]), sys.argv[6]
work = os.path.realpath(os.getcwd())
with open('solution.py', encoding='utf-8') as f:
    source = f.read()
try:
    code = compile(source, 'solution.py', 'exec')
except (SyntaxError, ValueError) as e:
    print('compile error: %s' % e, file=sys.stderr)
    sys.exit(3)
call_args = json.loads(sys.stdin.read()) if mode == 'call' else None
resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))
resource.setrlimit(resource.RLIMIT_AS, (mem, mem))
resource.setrlimit(resource.RLIMIT_FSIZE, (fsize, fsize))
resource.setrlimit(resource.RLIMIT_NOFILE, (64, 64))
resource.setrlimit(resource.RLIMIT_NPROC, (nproc, nproc))
if os.geteuid() == 0:
    os.setgroups([])
    os.setgid(65534)
    os.setuid(65534)
WRITE = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_APPEND | os.O_TRUNC
DENY = {'socket.__new__', 'socket.connect', 'socket.bind', 'socket.getaddrinfo', 'socket.sendto', 'os.exec', 'os.posix_spawn',
        'os.spawn', 'os.system', 'subprocess.Popen', 'pty.spawn', 'os.kill', 'os.killpg', 'signal.pthread_kill',
        'ctypes.dlopen', 'ctypes.dlsym', 'ctypes.call_function', 'os.chroot', 'os.setuid'}
PATH_EVENTS = {'os.remove', 'os.rename', 'os.rmdir', 'os.mkdir', 'os.chmod', 'os.chown', 'os.link', 'os.symlink',
               'os.truncate', 'os.utime', 'shutil.rmtree', 'shutil.copyfile', 'shutil.move', 'os.mkfifo', 'os.mknod'}
_real, _join, _str = os.path.realpath, os.path.join, str
def inside(p):
    if isinstance(p, int):
        return True
    p = _real(_join(work, os.fsdecode(p)))
    return p == work or p.startswith(work + '/')
def guard(event, args):
    if event in DENY:
        raise PermissionError('sandbox: %s is not allowed' % event)
    if event == 'open':
        path, _mode, flags = args
        if isinstance(path, int):
            return
        p = _real(_join(work, os.fsdecode(path)))
        if p.startswith('/proc/') and not (p.startswith('/proc/self/') or p.startswith('/proc/%d/' % os.getpid())):
            raise PermissionError('sandbox: reading %s is not allowed' % p)
        if (flags or 0) & WRITE and not inside(path):
            raise PermissionError('sandbox: writing outside the working directory is not allowed')
    elif event in PATH_EVENTS:
        for a in args[:2]:
            if isinstance(a, (str, bytes, os.PathLike)) and not inside(a):
                raise PermissionError('sandbox: %s outside the working directory is not allowed' % event)
sys.addaudithook(guard)
del guard
sys.argv = ['solution.py']
scope = {'__name__': '__main__' if mode == 'stdio' else 'solution', '__builtins__': __builtins__, '__file__': 'solution.py'}
try:
    exec(code, scope)
    if mode == 'call':
        cls = scope.get('Solution')
        fn = getattr(cls(), fn_name) if isinstance(cls, type) and hasattr(cls, fn_name) else scope[fn_name]
        result = fn(*call_args)
        sys.stdout.flush()
        sys.stdout.write('\n@@SANDBOX_RESULT@@\n' + json.dumps(result, default=str) + '\n')
except SystemExit:
    raise
except BaseException:
    traceback.print_exc()
    sys.exit(1)
`;
