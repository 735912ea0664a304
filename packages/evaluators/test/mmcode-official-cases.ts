import type { MMCodeVerdict } from '../src/mmcode/run-problem';

/**
 * Programs with the verdict the official MMCode harness (likaixin2000/MMCode `eval.py` +
 * `testing_utils.py`) gives them. `official` is its per-test result list (True/False, -1 runtime
 * error or timeout, -2 compile error), established by running that harness outside this project;
 * our verdict names the first non-True entry (a -1 from a timeout is `timeout` here).
 */
export interface OfficialCase {
  name: string;
  code: string;
  /** `input_output` as an object, or as raw JSON text where ints exceed doubles. */
  io: { inputs: unknown[]; outputs: unknown[]; fn_name?: string } | string;
  verdict: MMCodeVerdict;
  official: Array<boolean | -1 | -2>;
}

const sum = { inputs: ['2 3\n', '10 -4\n'], outputs: ['5\n', '6\n'] };
const one = (input: string, output: unknown) => ({ inputs: [input], outputs: [output] });
const call = (fn: string, inputs: unknown[], outputs: unknown[]) => ({ fn_name: fn, inputs, outputs });
const readSum = 'a, b = map(int, input().split())\n';

export const OFFICIAL_CASES: OfficialCase[] = [
  // stdin/stdout: how programs read and write
  { name: 'input() and print()', code: `\n${readSum}print(a + b)\n`, io: sum, verdict: 'pass', official: [true, true] },
  { name: 'wrong on the second test', code: `\n${readSum}print(5)\n`, io: sum, verdict: 'fail', official: [true, false] },
  { name: 'sys.stdin.readline', code: '\nimport sys\na, b = map(int, sys.stdin.readline().split())\nprint(a + b)\n', io: sum, verdict: 'pass', official: [true, true] },
  { name: 'sys.stdin.read', code: '\nimport sys\nprint(sum(map(int, sys.stdin.read().split())))\n', io: sum, verdict: 'pass', official: [true, true] },
  { name: 'sys.stdin.readlines', code: '\nimport sys\nprint(sum(int(x) for l in sys.stdin.readlines() for x in l.split()))\n', io: sum, verdict: 'pass', official: [true, true] },
  { name: 'for line in sys.stdin', code: '\nimport sys\nfor line in sys.stdin:\n    print(sum(map(int, line.split())))\n', io: sum, verdict: 'pass', official: [true, true] },
  { name: 'open(0).read()', code: '\nprint(sum(map(int, open(0).read().split())))\n', io: sum, verdict: 'pass', official: [true, true] },
  { name: 'sys.stdin.buffer is missing on the StringIO', code: '\nimport sys\nprint(sum(map(int, sys.stdin.buffer.read().split())))\n', io: sum, verdict: 'runtime-error', official: [-1, -1] },
  { name: 'module-level from sys import stdin (patched readline of the real stdin)', code: 'import sys\nfrom sys import stdin\na, b = map(int, stdin.readline().split())\nprint(a + b)\n', io: sum, verdict: 'pass', official: [true, true] },
  { name: 'the wrapper global stdin, read()', code: '\nprint(sum(map(int, stdin.read().split())))\n', io: sum, verdict: 'pass', official: [true, true] },
  { name: 'the wrapper global stdout is the uncaptured real stdout', code: `\n${readSum}stdout.write(str(a + b) + "\\n")\n`, io: sum, verdict: 'fail', official: [false, false] },
  { name: 'sys.stdout.write is captured', code: `\nimport sys\n${readSum}sys.stdout.write(str(a + b))\n`, io: sum, verdict: 'pass', official: [true, true] },
  { name: 'os.write(1) bypasses the capture', code: `\nimport os\n${readSum}os.write(1, b"%d\\n" % (a + b))\n`, io: sum, verdict: 'fail', official: [false, false] },
  { name: 'stderr only', code: `\nimport sys\n${readSum}print(a + b, file=sys.stderr)\n`, io: sum, verdict: 'fail', official: [false, false] },
  { name: 'input() prompt text lands in stdout', code: '\na, b = map(int, input("numbers: ").split())\nprint(a + b)\n', io: sum, verdict: 'fail', official: [false, false] },
  { name: 'reading past the input', code: `\n${readSum}c = input()\nprint(a + b)\n`, io: sum, verdict: 'runtime-error', official: [-1, -1] },
  { name: 'inputs and outputs given as lists of lines', code: '\nn = int(input())\nfor _ in range(n):\n    print(int(input()) * 2)\n', io: { inputs: [['2', '3', '4']], outputs: [['6', '8']] }, verdict: 'pass', official: [true] },
  { name: 'sys.stdout.close() hits the capture lambda', code: `\nimport sys\n${readSum}print(a + b)\nsys.stdout.close()\n`, io: sum, verdict: 'runtime-error', official: [-1, -1] },
  { name: 'open() of any file is the mocked input', code: '\nprint(sum(map(int, open("/etc/hostname").read().split())))\n', io: sum, verdict: 'pass', official: [true, true] },
  { name: 'writing a file goes to the mock', code: `\n${readSum}open("out.txt", "w").write("x")\nprint(a + b)\n`, io: sum, verdict: 'pass', official: [true, true] },
  // exit(), globals, __main__, the wrapper
  { name: 'exit() is None', code: `\n${readSum}print(a + b)\nexit()\n`, io: sum, verdict: 'runtime-error', official: [-1, -1] },
  { name: 'quit() is None', code: `\n${readSum}print(a + b)\nquit()\n`, io: sum, verdict: 'runtime-error', official: [-1, -1] },
  { name: 'sys.exit() is caught as a normal end', code: `\nimport sys\n${readSum}print(a + b)\nsys.exit(0)\n`, io: sum, verdict: 'pass', official: [true, true] },
  { name: 'raise SystemExit mid-way keeps the output so far', code: `\n${readSum}print(a + b)\nraise SystemExit\nprint("never")\n`, io: sum, verdict: 'pass', official: [true, true] },
  { name: 'top-level global inside a function', code: `\ntotal = 0\ndef add(x):\n    global total\n    total += x\n${readSum}add(a)\nadd(b)\nprint(total)\n`, io: sum, verdict: 'runtime-error', official: [-1, -1] },
  { name: 'global statement after assignment in the wrapped body', code: `\nx = 1\nglobal x\n${readSum}print(a + b)\n`, io: sum, verdict: 'compile-error', official: [-2] },
  { name: 'if __name__ == "__main__"', code: `\ndef main():\n    ${readSum}    print(a + b)\nif __name__ == "__main__":\n    main()\n`, io: sum, verdict: 'pass', official: [true, true] },
  { name: '"__main__" inside a string becomes "tmp_sol"', code: '\ninput()\nprint("__main__")\n', io: one('1\n', '__main__\n'), verdict: 'fail', official: [false] },
  { name: 'syntax error', code: '\ndef broken(:\n    pass\n', io: sum, verdict: 'compile-error', official: [-2] },
  { name: 'from __future__ after the preamble', code: `from __future__ import annotations\n${readSum}print(a + b)\n`, io: sum, verdict: 'compile-error', official: [-2] },
  { name: 'a failing top-level import before any statement', code: `import no_such_module_xyz\n${readSum}print(a + b)\n`, io: sum, verdict: 'compile-error', official: [-2] },
  { name: 'the same import after a statement fails at run time', code: `\nimport no_such_module_xyz\n${readSum}print(a + b)\n`, io: sum, verdict: 'runtime-error', official: [-1, -1] },
  { name: 'import resource is blocked by reliability_guard', code: `\nimport resource\n${readSum}print(a + b)\n`, io: sum, verdict: 'runtime-error', official: [-1, -1] },
  { name: 'os.getcwd is None', code: `\nimport os\nos.getcwd()\n${readSum}print(a + b)\n`, io: sum, verdict: 'runtime-error', official: [-1, -1] },
  { name: 'infinite loop', code: '\nwhile True:\n    pass\n', io: sum, verdict: 'timeout', official: [-1, -1] },
  { name: 'an infinite loop that swallows the alarm', code: '\nwhile True:\n    try:\n        while True:\n            pass\n    except BaseException:\n        pass\n', io: sum, verdict: 'timeout', official: [-1, -1] },
  { name: 'ZeroDivisionError', code: `\n${readSum}print(a // (b - b))\n`, io: sum, verdict: 'runtime-error', official: [-1, -1] },
  { name: 'preamble names without imports (np, heappush, Counter, gcd, lru_cache, List)', code: `\n@lru_cache(None)\ndef f(x: int) -> List[int]:\n    return [x]\n${readSum}h = []\nheappush(h, a)\nheappush(h, b)\nc = Counter([a, b])\nprint(int(np.sum([heappop(h), heappop(h)])) + 0 * gcd(a, b) + 0 * len(c) + 0 * len(f(1)))\n`, io: sum, verdict: 'pass', official: [true, true] },
  { name: 'tab-indented code', code: `\ndef solve():\n\t${readSum}\tprint(a + b)\nsolve()\n`, io: sum, verdict: 'pass', official: [true, true] },
  { name: 'no code at all', code: 'import sys\n', io: sum, verdict: 'compile-error', official: [-2] },
  // the stdout comparison cascade
  { name: 'trailing spaces and blank lines', code: '\ninput()\nprint("5   ")\nprint()\nprint()\n', io: one('1\n', '5'), verdict: 'pass', official: [true] },
  { name: 'indented lines', code: '\ninput()\nprint("  1")\nprint("   2")\n', io: one('1\n', '1\n2\n'), verdict: 'pass', official: [true] },
  { name: 'int vs float text by numpy.allclose', code: '\ninput()\nprint(5)\n', io: one('1\n', '5.0\n'), verdict: 'pass', official: [true] },
  { name: 'floats within allclose tolerance', code: '\ninput()\nprint(0.3333333)\n', io: one('1\n', '0.33333333333\n'), verdict: 'pass', official: [true] },
  { name: 'floats outside tolerance', code: '\ninput()\nprint(0.333)\n', io: one('1\n', '0.334\n'), verdict: 'fail', official: [false] },
  { name: 'several float lines', code: '\ninput()\nprint(1.000000001)\nprint(2)\n', io: one('1\n', '1\n2.0\n'), verdict: 'pass', official: [true] },
  { name: 'floats on one line are not allclose-compared', code: '\ninput()\nprint(1.000001, 2)\n', io: one('1\n', '1.000002 2\n'), verdict: 'pass', official: [true] },
  { name: 'token rounding needs every token to be a number', code: '\ninput()\nprint("x", 1.0004)\n', io: one('1\n', 'x 1.0001\n'), verdict: 'fail', official: [false] },
  { name: 'tokens rounded to 3 decimals', code: '\ninput()\nprint(1.0004, 2)\n', io: one('1\n', '1.0001 2\n'), verdict: 'pass', official: [true] },
  { name: 'rounding works on the binary value (1.0005 rounds to 1.0)', code: '\ninput()\nprint(1.0005, 2)\n', io: one('1\n', '1 2\n'), verdict: 'pass', official: [true] },
  { name: 'token order within a line is ignored', code: '\ninput()\nprint("b a")\n', io: one('1\n', 'a b\n'), verdict: 'pass', official: [true] },
  { name: 'line order is ignored', code: '\ninput()\nprint("2")\nprint("1")\n', io: one('1\n', '1\n2\n'), verdict: 'pass', official: [true] },
  { name: 'duplicate lines collapse', code: '\ninput()\nprint("1")\nprint("1")\nprint("2")\n', io: one('1\n', '1\n2\n'), verdict: 'pass', official: [true] },
  { name: 'double spaces between tokens', code: '\ninput()\nprint("1  2")\n', io: one('1\n', '1 2\n'), verdict: 'pass', official: [true] },
  { name: 'case matters', code: '\ninput()\nprint("yes")\n', io: one('1\n', 'YES\n'), verdict: 'fail', official: [false] },
  { name: 'a whitespace-only expected line becomes an empty token set', code: '\ninput()\nprint("2")\nprint("1")\n', io: one('1\n', '1\n \n2\n'), verdict: 'fail', official: [false] },
  { name: 'nan never matches in the number stages', code: '\ninput()\nprint("1")\nprint("nan")\n', io: one('1\n', 'nan\n1.0\n'), verdict: 'fail', official: [false] },
  { name: 'inf from an overflowing literal', code: '\ninput()\nprint("1e400")\n', io: one('1\n', 'inf\n'), verdict: 'pass', official: [true] },
  { name: 'Python strips \\x1f, JavaScript trim() would not', code: '\ninput()\nprint(5)\n', io: one('1\n', '5\x1f'), verdict: 'pass', official: [true] },
  { name: 'splitlines() splits at \\x1c', code: '\ninput()\nprint("a\\x1cb")\n', io: one('1\n', 'a\nb\n'), verdict: 'pass', official: [true] },
  { name: 'carriage returns', code: '\ninput()\nprint("5\\r")\n', io: one('1\n', '5\n'), verdict: 'pass', official: [true] },
  { name: 'empty output for an empty expected output', code: '\ninput()\n', io: one('1\n', ''), verdict: 'pass', official: [true] },
  { name: 'empty output for a non-empty expected output', code: '\ninput()\n', io: one('1\n', '0\n'), verdict: 'fail', official: [false] },
  // call-based
  { name: 'module-level function', code: '\ndef add(a, b):\n    return a + b\n', io: call('add', [[1, 2], [3, 4]], [[3], [7]]), verdict: 'pass', official: [true, true] },
  { name: 'class Solution method', code: '\nclass Solution:\n    def add(self, a, b):\n        return a + b\n', io: call('add', [[1, 2], [3, 4]], [[3], [7]]), verdict: 'pass', official: [true, true] },
  { name: 'unwrapped expected value', code: '\ndef add(a, b):\n    return a + b\n', io: call('add', [[1, 2]], [3]), verdict: 'pass', official: [true] },
  { name: 'True equals 1', code: '\ndef f(x):\n    return True\n', io: call('f', [[0]], [[1]]), verdict: 'pass', official: [true] },
  { name: 'False equals 0', code: '\ndef f(x):\n    return False\n', io: call('f', [[0]], [0]), verdict: 'pass', official: [true] },
  { name: '1.0 equals 1', code: '\ndef f(x):\n    return 1.0\n', io: call('f', [[0]], [[1]]), verdict: 'pass', official: [true] },
  { name: '-0.0 equals 0', code: '\ndef f(x):\n    return -0.0\n', io: call('f', [[0]], [[0]]), verdict: 'pass', official: [true] },
  { name: 'a tuple counts as a list', code: '\ndef f(x):\n    return (1, 2)\n', io: call('f', [[0]], [[1, 2]]), verdict: 'pass', official: [true] },
  { name: 'a list of tuples against a wrapped list of lists', code: '\ndef f(x):\n    return [(1, 2), (3, 4)]\n', io: call('f', [[0]], [[[[1, 2], [3, 4]]]]), verdict: 'pass', official: [true] },
  { name: 'a list of tuples against an unwrapped list of lists', code: '\ndef f(x):\n    return [(1, 2), (3, 4)]\n', io: call('f', [[0]], [[[1, 2], [3, 4]]]), verdict: 'fail', official: [false] },
  { name: 'a nested tuple is not a list', code: '\ndef f(x):\n    return [[1, 2], (3, 4)]\n', io: call('f', [[0]], [[[1, 2], [3, 4]]]), verdict: 'fail', official: [false] },
  { name: 'numpy int64', code: '\ndef f(x):\n    return np.int64(x) * 2\n', io: call('f', [[21]], [[42]]), verdict: 'pass', official: [true] },
  { name: 'numpy float64 list', code: '\ndef f(x):\n    return [np.float64(0.5), np.float64(x)]\n', io: call('f', [[2]], [[[0.5, 2]]]), verdict: 'pass', official: [true] },
  { name: 'a several-element numpy array makes the comparison raise', code: '\ndef f(x):\n    return np.array([1, 2, 3])\n', io: call('f', [[0]], [[[1, 2, 3]]]), verdict: 'runtime-error', official: [-1] },
  { name: 'a one-element numpy array', code: '\ndef f(x):\n    return np.array([7])\n', io: call('f', [[0]], [[7]]), verdict: 'pass', official: [true] },
  { name: 'dict keys: JSON string keys become ints', code: '\ndef f(x):\n    return {1: "a", 2: "b"}\n', io: call('f', [[0]], [{ '1': 'a', '2': 'b' }]), verdict: 'pass', official: [true] },
  { name: 'dict keys: a str-keyed result then no longer matches', code: '\ndef f(x):\n    return {"1": "a"}\n', io: call('f', [[0]], [{ '1': 'a' }]), verdict: 'fail', official: [false] },
  { name: 'dict keys that are not ints stay strings', code: '\ndef f(x):\n    return {"a": 1}\n', io: call('f', [[0]], [[{ a: 1 }]]), verdict: 'pass', official: [true] },
  { name: 'an input dict gets int keys (and the other arguments are dropped)', code: '\ndef f(d):\n    return d[1]\n', io: call('f', [[{ '1': 'x' }, 5]], [['x']]), verdict: 'pass', official: [true] },
  { name: 'Counter equals a dict', code: '\ndef f(s):\n    return Counter(s)\n', io: call('f', [['aab']], [[{ a: 2, b: 1 }]]), verdict: 'pass', official: [true] },
  { name: 'None', code: '\ndef f(x):\n    return None\n', io: call('f', [[0]], [[null]]), verdict: 'pass', official: [true] },
  { name: 'string result', code: '\ndef f(s):\n    return s[::-1]\n', io: call('f', [['abc']], [['cba']]), verdict: 'pass', official: [true] },
  { name: 'a string is not a number', code: '\ndef f(x):\n    return "5"\n', io: call('f', [[0]], [[5]]), verdict: 'fail', official: [false] },
  { name: 'a set is not a list', code: '\ndef f(x):\n    return {1, 2}\n', io: call('f', [[0]], [[[1, 2]]]), verdict: 'fail', official: [false] },
  { name: 'exact float equality (no tolerance)', code: '\ndef f(x):\n    return 0.1 + 0.2\n', io: call('f', [[0]], [[0.3]]), verdict: 'fail', official: [false] },
  { name: 'nan result', code: '\ndef f(x):\n    return float("nan")\n', io: call('f', [[0]], [['nan']]), verdict: 'fail', official: [false] },
  { name: 'an exact big int', code: '\ndef f(x):\n    return 10 ** 20 + 1\n', io: '{"fn_name": "f", "inputs": [[0]], "outputs": [[100000000000000000001]]}', verdict: 'pass', official: [true] },
  { name: 'a float is not that big int', code: '\ndef f(x):\n    return 1e20\n', io: '{"fn_name": "f", "inputs": [[0]], "outputs": [[100000000000000000001]]}', verdict: 'fail', official: [false] },
  { name: 'a big int input arrives exactly', code: '\ndef f(x):\n    return x % 1000\n', io: '{"fn_name": "f", "inputs": [[123456789012345678901]], "outputs": [[901]]}', verdict: 'pass', official: [true] },
  { name: 'mutable default carries over between tests', code: '\ndef f(x, seen=[]):\n    seen.append(x)\n    return len(seen)\n', io: call('f', [[5], [6]], [[1], [1]]), verdict: 'fail', official: [true, false] },
  { name: 'infinite loop in the function', code: '\ndef f(x):\n    while True:\n        x += 1\n', io: call('f', [[0]], [[0]]), verdict: 'timeout', official: [-1] },
  { name: 'exception in the function', code: '\ndef f(x):\n    return [][x]\n', io: call('f', [[0]], [[0]]), verdict: 'runtime-error', official: [-1] },
  { name: 'exit() in a function', code: '\ndef f(x):\n    exit()\n', io: call('f', [[0]], [[0]]), verdict: 'runtime-error', official: [-1] },
  { name: 'sys.exit() in a function ends the process: every test -1', code: '\nimport sys\ndef f(x):\n    if x:\n        sys.exit(0)\n    return 0\n', io: call('f', [[0], [1]], [[0], [0]]), verdict: 'runtime-error', official: [-1, -1] },
  { name: 'missing function', code: '\ndef g(x):\n    return x\n', io: call('f', [[0]], [[0]]), verdict: 'compile-error', official: [-2] },
  { name: '"class Solution" in a comment only', code: '\n# class Solution: not used\ndef f(x):\n    return x\n', io: call('f', [[0]], [[0]]), verdict: 'compile-error', official: [-2] },
  { name: 'input() at module level in call mode', code: '\nn = int(input())\ndef f(x):\n    return x\n', io: call('f', [[0]], [[0]]), verdict: 'compile-error', official: [-2] },
  { name: 'an empty fn_name is still call-based', code: '\ndef f(x):\n    return x\n', io: call('', [[0]], [[0]]), verdict: 'compile-error', official: [-2] },
];
