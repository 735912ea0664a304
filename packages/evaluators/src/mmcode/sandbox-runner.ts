/**
 * The official harness's import preamble (`testing_utils.run_test`), placed before every program.
 * Its text matters: line numbers in tracebacks and `from heapq import *` names are what programs see.
 */
export const MMCODE_PREAMBLE =
  'import sys\nimport time\nimport itertools\nfrom itertools import accumulate, product, permutations, combinations\n' +
  'import collections\nfrom collections import Counter, OrderedDict, deque, defaultdict, ChainMap\n' +
  'from functools import lru_cache\nimport math\nfrom math import sqrt, sin, cos, tan, ceil, fabs, floor, gcd, exp, log, log2\n' +
  'import fractions\nfrom typing import List, Tuple\nimport numpy as np\nimport random\nimport heapq\nfrom heapq import *\n';

/**
 * Python that runs inside the sandbox and executes one program on every test of a problem in one
 * process, as the official `run_test` does (so module state, `Solution()` and mutable defaults carry
 * over between tests). It reads the job (code, fn_name, inputs, limits) from stdin, points fd 0 at
 * /dev/null like a multiprocessing child, fixes the rlimits (hard = soft: the program cannot raise
 * them), applies the official `reliability_guard` (exit/quit/os.fork/... set to None: verdict
 * semantics, not security — the sandbox is the boundary), closes every inherited descriptor but
 * 0-3, and writes one JSON line per event to fd 3:
 * `ready`, `compile` (the official -2), `test` (captured stdout lines, or the encoded return value,
 * or the error), `done`. Expected outputs never enter the sandbox; they are compared outside.
 */
export const SANDBOX_RUNNER = String.raw`
import builtins, contextlib, datetime, enum, faulthandler, importlib, importlib.util, io, json, os, platform
import resource, shutil, signal, subprocess, sys
import numpy

_write, _read, _exit = os.write, os.read, os._exit
# Descriptors the evaluator's process leaked without O_CLOEXEC must not reach the program.
os.closerange(4, 1 << 20)

def emit(obj):
    data = memoryview((json.dumps(obj, separators=(',', ':')) + '\n').encode('ascii'))
    while data:
        data = data[_write(3, data):]

chunks = []
while True:
    chunk = _read(0, 1 << 20)
    if not chunk:
        break
    chunks.append(chunk)
job = json.loads(b''.join(chunks))
null = os.open(os.devnull, os.O_RDONLY)
os.dup2(null, 0)
os.close(null)
sys.stdin = open(os.devnull)
if job['fn'] is None:
    from unittest import mock  # 70 ms of imports (asyncio), needed only for the stdin patches
for name, value in job['rlimits'].items():
    resource.setrlimit(getattr(resource, name), (value, value))

class HarnessTimeout(Exception):
    pass

def on_alarm(signum, frame):
    print('alarm went off')
    raise HarnessTimeout

signal.signal(signal.SIGALRM, on_alarm)
arm = lambda: signal.setitimer(signal.ITIMER_REAL, job['alarm'])
disarm = lambda: signal.setitimer(signal.ITIMER_REAL, 0)

def describe(e):
    try:
        return ('%s: %s' % (type(e).__name__, e))[:500]
    except BaseException:
        return type(e).__name__

def encode(value):
    budget = [2000000]
    def enc(x, depth):
        budget[0] -= 1
        if budget[0] < 0 or depth > 100:
            return ['o', 'too-large']
        if isinstance(x, numpy.generic):
            try:
                x = x.item()
            except BaseException:
                return ['o', type(x).__name__]
        if x is None:
            return ['n']
        if isinstance(x, bool):
            return ['b', 1 if x else 0]
        if isinstance(x, int):
            return ['i', int.__format__(x, 'x')]
        if isinstance(x, float):
            return ['f', float.__repr__(x)]
        if isinstance(x, complex):
            return ['c', float.__repr__(x.real), float.__repr__(x.imag)]
        if isinstance(x, str):
            return ['s', str.__str__(x)]
        if isinstance(x, (bytes, bytearray)):
            return ['y', bytes(x).decode('latin-1')]
        if isinstance(x, tuple):
            return ['t', [enc(e, depth + 1) for e in tuple.__iter__(x)]]
        if isinstance(x, list):
            return ['l', [enc(e, depth + 1) for e in list.__iter__(x)]]
        if isinstance(x, dict):
            return ['d', [[enc(k, depth + 1), enc(v, depth + 1)] for k, v in dict.items(x)]]
        if isinstance(x, set):
            return ['S', [enc(e, depth + 1) for e in set.__iter__(x)]]
        if isinstance(x, frozenset):
            return ['S', [enc(e, depth + 1) for e in frozenset.__iter__(x)]]
        if isinstance(x, numpy.ndarray):
            return ['a', list(x.shape), [enc(e, depth + 1) for e in x.ravel().tolist()]]
        return ['o', type(x).__name__]
    return enc(value, 0)

def feed(method, text):
    # The official patch stack, entered in its decorator order: read/readlines/readline land on the
    # original (devnull) sys.stdin object, then sys.stdin becomes a StringIO and open() a mock.
    lines = iter(text.split('\n'))
    with contextlib.ExitStack() as stack:
        stack.enter_context(mock.patch('sys.stdin.read', lambda *a: text))
        stack.enter_context(mock.patch('sys.stdin.readlines', lambda *a: text.split('\n')))
        stack.enter_context(mock.patch('sys.stdin.readline', lambda *a: next(lines)))
        stack.enter_context(mock.patch('sys.stdin', io.StringIO(text)))
        stack.enter_context(mock.patch('builtins.open', mock.mock_open(read_data=text)))
        try:
            method()
        except SystemExit:
            pass

faulthandler.disable()
builtins.exit = None
builtins.quit = None
builtins.help = None
os.environ['OMP_NUM_THREADS'] = '1'
for name in ('kill', 'system', 'putenv', 'remove', 'removedirs', 'rmdir', 'fchdir', 'setuid', 'fork', 'forkpty',
             'killpg', 'rename', 'renames', 'truncate', 'replace', 'unlink', 'fchmod', 'fchown', 'chmod', 'chown',
             'chroot', 'lchflags', 'lchmod', 'lchown', 'getcwd', 'chdir'):
    setattr(os, name, None)
shutil.rmtree = shutil.move = shutil.chown = None
subprocess.Popen = None
for name in ('ipdb', 'joblib', 'resource', 'psutil', 'tkinter'):
    sys.modules[name] = None

code, fn = job['code'], job['fn']
if fn is None:
    parts, started = [], False
    for line in code.split('\n'):
        if not started and not (line.startswith('from ') or line.startswith('import ')):
            parts.append('stdin = sys.stdin\nstdout = sys.stdout\ndef code():\n')
            started = True
        parts.append(('\t' if started else '') + line + '\n')
    source, name = job['preamble'] + ''.join(parts), 'code'
else:
    source, name = job['preamble'] + code, fn
source = source.replace('__main__', 'tmp_sol')
emit({'k': 'ready'})
arm()
try:
    module = importlib.util.module_from_spec(importlib.util.spec_from_loader('tmp_sol', loader=None))
    exec(source, module.__dict__)
    target = module.Solution() if fn is not None and 'class Solution' in code else module
    disarm()
except Exception as e:
    disarm()
    emit({'k': 'compile', 'detail': describe(e)})
    _exit(0)
disarm()
try:
    method = getattr(target, name)
except BaseException as e:
    emit({'k': 'compile', 'detail': describe(e)})
    _exit(0)

for index, inputs in enumerate(job['inputs']):
    try:
        if isinstance(inputs[0], dict):
            inputs = [{int(k): v for k, v in inputs[0].items()}]
    except BaseException:
        pass
    error = None
    if fn is None:
        if isinstance(inputs, list):
            inputs = '\n'.join(inputs)
        arm()
        buf = io.StringIO()
        buf.close = lambda x: 1
        saved, sys.stdout = sys.stdout, buf
        try:
            try:
                feed(method, inputs)
                disarm()
            except Exception as e:
                disarm()
                print('Call-based runtime error or time limit exceeded error = %r%s' % (e, e))
                error = e
            disarm()
            out = buf.getvalue().splitlines()
        finally:
            sys.stdout = saved
        record = {'ok': True, 'out': out}
    else:
        arm()
        try:
            result = method(*inputs)
            disarm()
        except Exception as e:
            disarm()
            error = e
        disarm()
        record = {'ok': True, 'v': encode(result)} if error is None else {}
    if error is not None:
        record = {'ok': False, 'timeout': isinstance(error, HarnessTimeout), 'detail': describe(error)}
    record.update(k='test', i=index)
    emit(record)
emit({'k': 'done'})
_exit(0)
`;
