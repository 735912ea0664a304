import { existsSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';

/**
 * The tiny LLaVA-style transformers.js folder the model tests run against, or null when none is
 * available. Until the `models` package can build one in-process, point SMART_TINY_VLM at a folder
 * (absolute path) it exported; this is the one place to change when that factory exists.
 */
export function tinyVlmFolder(): string | null {
  const path = process.env.SMART_TINY_VLM;
  if (!path || !isAbsolute(path) || !existsSync(join(path, 'config.json'))) return null;
  return path;
}

/** `describe` when a tiny model folder exists, else `describe.skip` after saying why. */
export function describeWithTinyVlm(name: string, body: (folder: () => string) => void): void {
  const folder = tinyVlmFolder();
  if (!folder) {
    console.log(`[mllm] skipping "${name}": no tiny VLM folder (set SMART_TINY_VLM to an absolute transformers.js folder path)`);
    describe.skip(name, () => body(() => '')); // registers the tests as skipped
    return;
  }
  describe(name, () => body(() => folder));
}
