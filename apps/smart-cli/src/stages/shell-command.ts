import { spawn } from 'node:child_process';
import { ExternalCommandError } from '../errors/errors';

/** Runs a shell command with inherited stdio; resolves on exit 0, rejects with ExternalCommandError otherwise. */
export function runShellCommand(command: string, options: { cwd?: string; env?: NodeJS.ProcessEnv; stdio?: 'inherit' | 'ignore' } = {}): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn('/bin/sh', ['-c', command], { cwd: options.cwd, env: options.env ?? process.env, stdio: options.stdio ?? 'inherit' });
    child.on('error', (err) => reject(new ExternalCommandError(command, err.message)));
    child.on('exit', (code, signal) => {
      if (code === 0) resolvePromise();
      else reject(new ExternalCommandError(command, signal ? `killed by ${signal}` : `exit code ${code}`));
    });
  });
}
