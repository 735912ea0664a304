import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileTooLargeError, NotRegularFileError, RecordFileError } from '../errors';
import { isMissingFileError, readRegularFile, readRegularFileSync, readRegularTextSync } from './read-regular-file';

describe('readRegularFile', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'core-regular-'));
    execFileSync('mkfifo', [join(dir, 'pipe')]);
    writeFileSync(join(dir, 'ok.json'), '{"a": 1}');
    writeFileSync(join(dir, 'huge.bin'), '');
    truncateSync(join(dir, 'huge.bin'), 3 * 2 ** 30); // sparse: no disk, no memory
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const cases = [
    { name: 'a FIFO without a writer', path: () => join(dir, 'pipe'), type: NotRegularFileError, reason: 'not a regular file (FIFO)' },
    { name: '/dev/zero', path: () => '/dev/zero', type: NotRegularFileError, reason: 'not a regular file (character device)' },
    { name: '/dev/null', path: () => '/dev/null', type: NotRegularFileError, reason: 'not a regular file (character device)' },
    { name: 'a directory', path: () => dir, type: NotRegularFileError, reason: 'not a regular file (directory)' },
    { name: 'a missing file', path: () => join(dir, 'none.json'), type: RecordFileError, reason: 'file does not exist (ENOENT)' },
    { name: 'a 3 GiB sparse file over the 1 GiB default', path: () => join(dir, 'huge.bin'), type: FileTooLargeError, reason: 'file of 3221225472 bytes is larger than the limit of 1073741824' },
  ];

  it.each(cases)('sync: $name is a typed error naming it, at once', ({ path, type, reason }) => {
    const started = Date.now();
    expect(() => readRegularFileSync(path())).toThrow(type);
    expect(() => readRegularFileSync(path())).toThrow(expect.objectContaining({ file: path(), reason }));
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it.each(cases)('async: $name is a typed error naming it, at once', async ({ path, type, reason }) => {
    const err = await readRegularFile(path()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(type);
    expect(err).toMatchObject({ file: path(), reason });
  });

  it('reads a regular file and honours maxBytes', async () => {
    expect(readRegularTextSync(join(dir, 'ok.json'))).toBe('{"a": 1}');
    expect((await readRegularFile(join(dir, 'ok.json'))).toString()).toBe('{"a": 1}');
    expect(() => readRegularFileSync(join(dir, 'ok.json'), { maxBytes: 4 })).toThrow(expect.objectContaining({ size: 8, maxBytes: 4 }));
  });
});

describe('isMissingFileError', () => {
  it('is true only for a file that does not exist', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'core-missing-'));
    try {
      execFileSync('mkfifo', [join(dir, 'pipe')]);
      const missing = await readRegularFile(join(dir, 'none')).catch((e: unknown) => e);
      const fifo = await readRegularFile(join(dir, 'pipe')).catch((e: unknown) => e);
      expect(isMissingFileError(missing)).toBe(true);
      expect(isMissingFileError(fifo)).toBe(false);
      expect(isMissingFileError(Object.assign(new Error('x'), { code: 'ENOENT' }))).toBe(true);
      expect(isMissingFileError(new Error('x'))).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
