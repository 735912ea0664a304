import { existsSync, mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { readRegularFileSync, writeFileAtomicSync } from '@smart/core';
import { imageFileName, sha256Hex, sniffMime } from './image-file';

/** An image as the store records it; the bytes live in the image folder under `file`. */
export interface StoredImage {
  sha256: string;
  mime: string;
  size: number;
  /** `<sha256>.<ext>`, relative to the image folder (and to an export's `images/`). */
  file: string;
}

/**
 * Content-addressed image folder next to the database: `<dir>/<sha256>.<ext>`. Same names as an
 * export's `images/`, so exporting is a hard link per image instead of a copy.
 */
export class ImageFolder {
  constructor(readonly dir: string) {}

  /** Absolute path of an image file. */
  pathOf(file: string): string {
    return join(this.dir, file);
  }

  /** Writes the bytes under their hash unless already present; a killed writer never leaves a partial file under the final name. */
  write(bytes: Uint8Array): StoredImage {
    const sha256 = sha256Hex(bytes);
    const mime = sniffMime(bytes);
    const file = imageFileName(sha256, mime);
    const target = this.pathOf(file);
    // A file of the wrong size or kind under the name (a killed copy, a FIFO) is replaced, not trusted.
    if (!isFileOfSize(target, bytes.byteLength)) {
      mkdirSync(this.dir, { recursive: true });
      writeFileAtomicSync(target, bytes);
    }
    return { sha256, mime, size: bytes.byteLength, file };
  }

  /** Reads an image's bytes; undefined when the file is missing (a FIFO or device is refused by core's reader). */
  read(file: string): Buffer | undefined {
    const path = this.pathOf(file);
    return existsSync(path) ? readRegularFileSync(path) : undefined;
  }
}

function isFileOfSize(path: string, size: number): boolean {
  try {
    const s = statSync(path);
    return s.isFile() && s.size === size;
  } catch {
    return false;
  }
}
