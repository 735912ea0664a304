import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, openSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { open, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { AtomicWriteError } from '../errors';

/**
 * Writes `data` to `path` so that after a crash or `kill -9` the file holds either its old content or
 * the whole new content: a temp file in the same directory, fsync, rename over `path`, fsync of the
 * directory (so the rename itself is durable).
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  const bytes = toBytes(data);
  const temp = tempPath(path);
  try {
    const handle = await open(temp, 'wx', 0o644);
    try {
      let offset = 0;
      while (offset < bytes.byteLength) offset += (await handle.write(bytes, offset, bytes.byteLength - offset)).bytesWritten;
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, path);
  } catch (err) {
    await unlink(temp).catch(() => undefined);
    throw new AtomicWriteError(path, reason(err), { cause: err });
  }
  syncDirectory(dirname(path));
}

/** The synchronous form of `writeFileAtomic`, for callers that write with `writeFileSync` today. */
export function writeFileAtomicSync(path: string, data: string | Uint8Array): void {
  const bytes = toBytes(data);
  const temp = tempPath(path);
  try {
    const fd = openSync(temp, 'wx', 0o644);
    try {
      let offset = 0;
      while (offset < bytes.byteLength) offset += writeSync(fd, bytes, offset, bytes.byteLength - offset);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, path);
  } catch (err) {
    try {
      unlinkSync(temp);
    } catch {
      // The temp file was never created or is already gone.
    }
    throw new AtomicWriteError(path, reason(err), { cause: err });
  }
  syncDirectory(dirname(path));
}

/** `writeFileAtomic` of `JSON.stringify(value, null, 2)` plus a final newline. */
export function writeJsonAtomic(path: string, value: unknown): Promise<void> {
  return writeFileAtomic(path, jsonText(value));
}

/** The synchronous form of `writeJsonAtomic`. */
export function writeJsonAtomicSync(path: string, value: unknown): void {
  writeFileAtomicSync(path, jsonText(value));
}

function jsonText(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

function toBytes(data: string | Uint8Array): Uint8Array {
  return typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
}

// Same directory as the target, so the rename never crosses filesystems; unique per process and call.
function tempPath(path: string): string {
  return join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
}

function reason(err: unknown): string {
  return (err as NodeJS.ErrnoException)?.code ?? (err instanceof Error ? err.message : String(err));
}

// Directories cannot be fsynced on every platform (Windows, some network filesystems): best effort there,
// the file content itself is already durable.
function syncDirectory(dir: string): void {
  let fd: number | null = null;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch {
    // Not supported here: only the rename's durability is platform-dependent.
  } finally {
    if (fd !== null) closeSync(fd);
  }
}
