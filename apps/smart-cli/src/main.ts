import { runCli } from './cli';

// The `smart` entry point: the only place that touches the real process.
runCli(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, env: process.env, signals: process }).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  },
);
