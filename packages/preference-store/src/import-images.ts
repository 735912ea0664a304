import { existsSync } from 'node:fs';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { sniffImageFormat } from '@smart/core';
import { z } from 'zod';
import { ImportImageError } from './errors';
import { sha256Hex } from './image-file';
import type { ImageFolder } from './image-folder';

/**
 * HF `datasets`' Image struct: the encoded file and/or a path (`datasets` decodes `bytes` first). Parquet
 * gives the bytes as binary; JSON, which cannot hold binary, as base64.
 */
export const hfImageSchema = z.object({
  bytes: z.union([z.instanceof(Uint8Array), z.string()]).nullable().optional(),
  path: z.string().nullable().optional(),
});
export type HfImage = z.infer<typeof hfImageSchema>;

/** One image as other tools write it: a path string or an Image struct. */
const imageValueSchema = z.union([z.string().min(1), hfImageSchema]);

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/**
 * The image values of a row: `images` as a list (TRL, `Sequence(Image())`, LLaMA-Factory), a single
 * struct or path, or else the singular `image` column (`datasets`' `Image()` feature). Empty when none.
 */
export function imageValuesOf(images: unknown, image: unknown): unknown[] {
  const value = images ?? image;
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

/** An image resolved to what a pair refers to, and what identifies its content. */
export interface ResolvedImage {
  /** As written when the file exists (relative paths against the dataset's folder), else the written copy. */
  path: string;
  /** `sha256:<hex>` when the row embedded the bytes, else `path:<path as written>`. */
  key: string;
}

/**
 * Turns a row's image values into files: a path that exists is kept; embedded bytes are sniffed (@smart/core)
 * and written content-addressed into `folder`; anything else is an {@link ImportImageError}.
 */
export class ImageResolver {
  constructor(
    private readonly file: string,
    /** Folder relative image paths are resolved against. */
    private readonly base: string,
    private readonly folder: ImageFolder,
    private readonly checkImages: boolean,
  ) {}

  /** The `index`-th image of 1-based `row`. */
  resolve(value: unknown, row: number, index: number): ResolvedImage | ImportImageError {
    const fail = (reason: string) => new ImportImageError(this.file, row, index, `images[${index}]: ${reason}`);
    const parsed = imageValueSchema.safeParse(value);
    if (!parsed.success) return fail('expected a path or a {bytes, path} Image struct');
    const { path, bytes: given } = typeof parsed.data === 'string' ? { path: parsed.data, bytes: null } : parsed.data;
    const written = path ?? '';
    const bytes = given != null && given.length > 0 ? given : null;
    if (written !== '' && bytes === null && (!this.checkImages || this.exists(written))) return { path: written, key: `path:${written}` };
    if (bytes === null) {
      if (written === '') return fail('the Image struct has neither bytes nor a path');
      return fail(`image not found: ${written}`);
    }
    let data: Uint8Array;
    if (typeof bytes === 'string') {
      if (!BASE64.test(bytes)) return fail('bytes are neither binary nor base64');
      data = Buffer.from(bytes, 'base64');
    } else data = bytes;
    if (sniffImageFormat(data) === null) return fail(`bytes are not an image (${data.length} bytes, no PNG/JPEG/GIF/BMP/WebP/TIFF signature)`);
    const key = `sha256:${sha256Hex(data)}`;
    if (written !== '' && this.exists(written)) return { path: written, key };
    return { path: this.refer(this.folder.pathOf(this.folder.write(data).file)), key };
  }

  private exists(path: string): boolean {
    return existsSync(isAbsolute(path) ? path : resolve(this.base, path));
  }

  /** Relative to the dataset's folder when the image folder lies inside it (relocatable), else absolute. */
  private refer(absolute: string): string {
    const rel = relative(this.base, resolve(absolute));
    return rel !== '' && !rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel) ? rel.split(sep).join('/') : resolve(absolute);
  }
}

