import { spawnSync } from 'node:child_process';

/** Runs a Python reference snippet with Debian's /usr/bin/python3; returns stdout, or null when unavailable. */
export function runPython(code: string, options: { modules?: string[]; timeoutMs?: number } = {}): string | null {
  const probe = spawnSync('/usr/bin/python3', ['-c', (options.modules ?? []).map((m) => `import ${m}`).join(';') || 'pass']);
  if (probe.status !== 0) return null;
  const out = spawnSync('/usr/bin/python3', ['-c', code], { encoding: 'utf8', timeout: options.timeoutMs ?? 600_000, maxBuffer: 64 << 20 });
  if (out.status !== 0) throw new Error(`python reference failed: ${out.stderr}`);
  return out.stdout;
}
