import { spawnSync } from 'node:child_process';
import { DEFAULT_SANDBOX_LIMITS, bwrapArgs } from '../src/mmcode/sandbox';

/** Why the bubblewrap sandbox cannot run here (so its tests skip with that message), or null. */
export function sandboxSkipReason(): string | null {
  const args = bwrapArgs({}, DEFAULT_SANDBOX_LIMITS, ['/usr/bin/python3', '-I', '-c', 'import numpy']);
  const r = spawnSync('bwrap', args, {
    cwd: '/',
    timeout: 60_000,
    encoding: 'utf8',
    ...(process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {}),
  });
  if (r.error) return `bubblewrap is not usable (${r.error.message}); install it: apt-get install bubblewrap`;
  if (r.status !== 0) return `the sandbox does not start here: ${r.stderr.trim().split('\n').slice(-2).join(' | ')}`;
  return null;
}

/** `describe`, or `describe.skip` with a printed reason when there is no sandbox. */
export function describeWithSandbox(name: string, body: () => void): void {
  const reason = sandboxSkipReason();
  if (reason) {
    console.warn(`skipping "${name}": ${reason}`);
    describe.skip(name, body);
  } else {
    describe(name, body);
  }
}

/** Whether /usr/bin/python3 imports numpy (what the official preamble needs), for the unsandboxed tests. */
export function hasPythonWithNumpy(): boolean {
  return spawnSync('/usr/bin/python3', ['-c', 'import numpy'], { timeout: 60_000 }).status === 0;
}
