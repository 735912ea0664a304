/** A writable text stream (stdout/stderr or a test buffer). */
export interface TextOut {
  write(text: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

/** The process-level things commands use, passed in so tests need no global mocks. */
export interface CliDeps {
  stdout: TextOut;
  stderr: TextOut;
  env: NodeJS.ProcessEnv;
  /** Where SIGINT handlers go (the real process, or nothing in tests). */
  signals?: Pick<NodeJS.Process, 'on' | 'off' | 'exit'>;
}
