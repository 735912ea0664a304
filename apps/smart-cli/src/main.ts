import { runCli } from './cli';

// The `smart` entry point: the only place that touches the real process. It exits explicitly once the
// command is done, so a backend's idle sockets or native threads never keep a finished run alive
// (stdout/stderr writes to files and pipes are synchronous on Linux, so nothing is cut off).
runCli(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, env: process.env, signals: process }).then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
