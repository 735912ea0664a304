import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';

/** Reads a file as UTF-8 text chunks (the default `readChunks` of the loaders). */
export function readFileChunks(file: string): AsyncIterable<string> {
  return createReadStream(file, { encoding: 'utf8', highWaterMark: 1 << 20 });
}

/** True when `file` exists and is a regular file (the default `imageExists` of the loaders). */
export async function fileExists(file: string): Promise<boolean> {
  try {
    return (await stat(file)).isFile();
  } catch {
    return false;
  }
}
