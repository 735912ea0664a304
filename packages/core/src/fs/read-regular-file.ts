import { closeSync, constants, fstatSync, openSync, readSync, type Stats } from 'node:fs';
import { open } from 'node:fs/promises';
import { FileTooLargeError, NotRegularFileError, RecordFileError } from '../errors';

/** Default bound on a whole-file read (config, index, summary and image files are far smaller). */
export const DEFAULT_MAX_FILE_BYTES = 1 << 30;

/** Options of readRegularFile / readRegularFileSync. */
export interface ReadRegularFileOptions {
  /** Refuse (FileTooLargeError) a file over this many bytes; default 1 GiB. */
  maxBytes?: number;
}

/** What a non-regular path is, in words (`FIFO`, `character device`, ...). */
export function fileKind(s: Stats): string {
  if (s.isFile()) return 'regular file';
  if (s.isFIFO()) return 'FIFO';
  if (s.isDirectory()) return 'directory';
  if (s.isCharacterDevice()) return 'character device';
  if (s.isBlockDevice()) return 'block device';
  if (s.isSocket()) return 'socket';
  return 'special file';
}

// O_NONBLOCK: opening a FIFO without a writer returns at once; the fstat that follows refuses it.
const FLAGS = constants.O_RDONLY | constants.O_NONBLOCK;

/**
 * Reads a whole regular file, bounded: a FIFO, device, socket or directory is refused before any read
 * (NotRegularFileError), a file over `maxBytes` before allocating (FileTooLargeError), a missing or
 * unreadable one is a RecordFileError naming it.
 */
export function readRegularFileSync(path: string, options: ReadRegularFileOptions = {}): Buffer {
  let fd: number;
  try {
    fd = openSync(path, FLAGS);
  } catch (err) {
    throw openError(path, err);
  }
  try {
    const size = checkStats(path, fstatSync(fd), options);
    const out = Buffer.allocUnsafe(size);
    let done = 0;
    while (done < size) {
      const n = readSync(fd, out, done, size - done, done);
      if (n === 0) break;
      done += n;
    }
    return done === size ? out : out.subarray(0, done);
  } catch (err) {
    if (err instanceof RecordFileError) throw err;
    throw new RecordFileError(path, describe(err), { cause: err });
  } finally {
    closeSync(fd);
  }
}

/** Async readRegularFileSync. */
export async function readRegularFile(path: string, options: ReadRegularFileOptions = {}): Promise<Buffer> {
  let handle;
  try {
    handle = await open(path, FLAGS);
  } catch (err) {
    throw openError(path, err);
  }
  try {
    const size = checkStats(path, await handle.stat(), options);
    const out = Buffer.allocUnsafe(size);
    let done = 0;
    while (done < size) {
      const { bytesRead } = await handle.read(out, done, size - done, done);
      if (bytesRead === 0) break;
      done += bytesRead;
    }
    return done === size ? out : out.subarray(0, done);
  } catch (err) {
    if (err instanceof RecordFileError) throw err;
    throw new RecordFileError(path, describe(err), { cause: err });
  } finally {
    await handle.close();
  }
}

/** UTF-8 text of a regular file (BOM kept; see readRegularFileSync for the checks). */
export function readRegularTextSync(path: string, options: ReadRegularFileOptions = {}): string {
  return readRegularFileSync(path, options).toString('utf8');
}

function checkStats(path: string, s: Stats, options: ReadRegularFileOptions): number {
  if (!s.isFile()) throw new NotRegularFileError(path, fileKind(s));
  const max = options.maxBytes ?? DEFAULT_MAX_FILE_BYTES;
  if (s.size > max) throw new FileTooLargeError(path, s.size, max);
  return s.size;
}

function openError(path: string, err: unknown): RecordFileError {
  if ((err as NodeJS.ErrnoException).code === 'EISDIR') return new NotRegularFileError(path, 'directory');
  return new RecordFileError(path, describe(err), { cause: err });
}

function describe(err: unknown): string {
  const code = (err as NodeJS.ErrnoException)?.code;
  if (code === 'ENOENT') return 'file does not exist (ENOENT)';
  return code ?? (err instanceof Error ? err.message : String(err));
}

/** True when a read failed because the file does not exist (a RecordFileError from these readers, or a raw ENOENT). */
export function isMissingFileError(err: unknown): boolean {
  const e = err instanceof RecordFileError ? (err.cause as NodeJS.ErrnoException | undefined) : (err as NodeJS.ErrnoException | undefined);
  return e?.code === 'ENOENT';
}
