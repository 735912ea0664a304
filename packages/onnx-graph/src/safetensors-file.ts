import { constants } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { TensorData } from './graph';
import { allocTensorArray, DTYPE_BYTES, tensorArrayBytes } from './dtype';
import { SafetensorsError } from './errors';
import { headerLength, parseHeader, type SafetensorsEntry, type SafetensorsHeader } from './safetensors-header';

/** Default bound on one tensor read into memory; larger ones are refused unless the caller raises it. */
export const DEFAULT_MAX_TENSOR_BYTES = 2 ** 31;

/** A single pread moves at most this much (the OS caps one read near 2 GiB). */
const READ_CHUNK = 1 << 30;

/** Options of openSafetensors / readSafetensors. */
export interface SafetensorsReadOptions {
  /** Refuse (SafetensorsError) to read a tensor of more bytes than this; default 2 GiB. */
  maxTensorBytes?: number;
}

/**
 * An open safetensors file: the validated header in memory, tensor bytes read by offset on demand, so
 * a file of any size costs only the tensors asked for. Close it when done.
 */
export class SafetensorsFile {
  private constructor(
    readonly path: string,
    private readonly handle: FileHandle,
    private readonly header: SafetensorsHeader,
    private readonly maxTensorBytes: number,
  ) {}

  /** Opens `path` (a regular file only: a FIFO or device is refused before any read) and validates its header. */
  static async open(path: string, options: SafetensorsReadOptions = {}): Promise<SafetensorsFile> {
    const handle = await openRegular(path);
    try {
      const size = (await handle.stat()).size;
      const first8 = await readExactly(handle, path, new Uint8Array(8), 0, Math.min(8, size));
      const n = headerLength(first8, size, path);
      const headerBytes = await readExactly(handle, path, new Uint8Array(n), 8, n);
      const header = parseHeader(headerBytes, size - 8 - n, path);
      return new SafetensorsFile(path, handle, header, options.maxTensorBytes ?? DEFAULT_MAX_TENSOR_BYTES);
    } catch (err) {
      await handle.close();
      throw err;
    }
  }

  /** The `__metadata__` strings. */
  get metadata(): Record<string, string> {
    return this.header.metadata;
  }

  /** Tensor names in file order. */
  names(): string[] {
    return [...this.header.entries.keys()];
  }

  /** The header entry of `name`, or undefined. */
  entry(name: string): SafetensorsEntry | undefined {
    return this.header.entries.get(name);
  }

  /** Reads one tensor's bytes from its offsets. */
  async read(name: string): Promise<TensorData> {
    const e = this.header.entries.get(name);
    if (!e) throw new SafetensorsError(this.path, `no tensor '${name}'`, name);
    const bytes = e.end - e.begin;
    if (bytes > this.maxTensorBytes) throw new SafetensorsError(this.path, `tensor '${name}' has ${bytes} bytes, more than the read limit of ${this.maxTensorBytes}`, name);
    let data;
    try {
      data = allocTensorArray(e.dtype, bytes / DTYPE_BYTES[e.dtype]);
    } catch (err) {
      throw new SafetensorsError(this.path, `tensor '${name}' of ${bytes} bytes cannot be allocated: ${(err as Error).message}`, name, { cause: err });
    }
    await readExactly(this.handle, this.path, tensorArrayBytes(data), this.header.dataStart + e.begin, bytes, name);
    return { dtype: e.dtype, shape: [...e.shape], data };
  }

  /** Closes the file descriptor. */
  async close(): Promise<void> {
    await this.handle.close();
  }
}

/** Opens a regular file read-only; anything else (FIFO, device, directory, missing) is a SafetensorsError naming it. */
export async function openRegular(path: string): Promise<FileHandle> {
  let handle: FileHandle;
  try {
    // O_NONBLOCK: opening a FIFO without a writer returns at once instead of blocking a thread forever.
    handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'file does not exist' : code === 'EISDIR' ? 'not a regular file (directory)' : `cannot open (${code ?? (err as Error).message})`;
    throw new SafetensorsError(path, reason, undefined, { cause: err });
  }
  const s = await handle.stat();
  if (!s.isFile()) {
    await handle.close();
    const kind = s.isFIFO() ? 'FIFO' : s.isDirectory() ? 'directory' : s.isCharacterDevice() ? 'character device' : s.isBlockDevice() ? 'block device' : s.isSocket() ? 'socket' : 'special file';
    throw new SafetensorsError(path, `not a regular file (${kind})`);
  }
  return handle;
}

/** Fills `into` with `length` bytes from `position`, in chunks; a short read means the file shrank. */
async function readExactly(handle: FileHandle, path: string, into: Uint8Array, position: number, length: number, tensor?: string): Promise<Uint8Array> {
  let done = 0;
  while (done < length) {
    const want = Math.min(READ_CHUNK, length - done);
    const { bytesRead } = await handle.read(into, done, want, position + done);
    if (bytesRead === 0) throw new SafetensorsError(path, `file ended at byte ${position + done}, ${length - done} bytes short${tensor ? ` of tensor '${tensor}'` : ''}`, tensor);
    done += bytesRead;
  }
  return into;
}
