import { closeSync, constants, fstatSync, openSync, readSync, statSync } from 'node:fs';
import { fileKind } from '@smart/core';
import { NotSqliteFileError, StoreFileError } from './errors';

const SQLITE_MAGIC = 'SQLite format 3\0';

/**
 * Checks a store path before SQLite opens it: an existing path must be a regular file (SQLite would
 * block reading a FIFO) whose first bytes are SQLite's magic; an empty file is a new database.
 */
export function checkStoreFile(file: string, mustExist: boolean): void {
  let exists = true;
  try {
    statSync(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw new StoreFileError(file, `cannot stat (${(err as NodeJS.ErrnoException).code})`, { cause: err });
    exists = false;
  }
  if (!exists) {
    if (mustExist) throw new StoreFileError(file, 'file does not exist');
    return;
  }
  let fd: number;
  try {
    fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new StoreFileError(file, code === 'EISDIR' ? 'not a regular file (directory)' : `cannot open (${code})`, { cause: err });
  }
  try {
    const s = fstatSync(fd);
    if (!s.isFile()) throw new StoreFileError(file, `not a regular file (${fileKind(s)})`);
    if (s.size === 0) return;
    const head = Buffer.alloc(16);
    const n = readSync(fd, head, 0, 16, 0);
    if (n < 16 || head.toString('latin1') !== SQLITE_MAGIC) throw new NotSqliteFileError(file, JSON.stringify(head.subarray(0, n).toString('latin1')));
  } finally {
    closeSync(fd);
  }
}
