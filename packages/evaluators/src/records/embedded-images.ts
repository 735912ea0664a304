import { createHash } from 'node:crypto';
import { access, mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { sniffImageFormat, writeFileAtomic } from '@smart/core';
import { BenchmarkFileError } from '../errors';

/** A Hugging Face `Image` feature as Parquet stores it: the encoded file's bytes and its original name. */
interface EmbeddedImage {
  bytes: Uint8Array;
  path?: string | null;
}

function isEmbeddedImage(v: unknown): v is EmbeddedImage {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && (v as { bytes?: unknown }).bytes instanceof Uint8Array;
}

/**
 * Writes the images embedded in a row (HF `Image` structs `{bytes, path}`, alone or in a list, in any
 * top-level column) to `dir` as `<sha256>.<format>` and puts the absolute file path in their place, so
 * the record names an image every generator can read and the judge cache can hash. Content-addressed
 * names make a re-run, or two benchmarks sharing `dir`, write each image once.
 */
export async function writeEmbeddedImages(row: unknown, dir: string, file: string): Promise<unknown> {
  if (typeof row !== 'object' || row === null || Array.isArray(row)) return row;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(row)) {
    if (isEmbeddedImage(value)) out[key] = await writeImage(value, dir, file);
    else if (Array.isArray(value) && value.some(isEmbeddedImage)) out[key] = await Promise.all(value.map((v) => (isEmbeddedImage(v) ? writeImage(v, dir, file) : v)));
    else out[key] = value;
  }
  return out;
}

async function writeImage(image: EmbeddedImage, dir: string, file: string): Promise<string> {
  const format = sniffImageFormat(image.bytes);
  const ext = format ?? /\.([A-Za-z0-9]+)$/.exec(image.path ?? '')?.[1]?.toLowerCase() ?? 'bin';
  const target = resolve(join(dir, `${createHash('sha256').update(image.bytes).digest('hex')}.${ext}`));
  try {
    await access(target);
    return target;
  } catch {
    // not written yet
  }
  try {
    await mkdir(dir, { recursive: true });
    await writeFileAtomic(target, image.bytes);
  } catch (e) {
    throw new BenchmarkFileError(file, `cannot write an embedded image to ${dir} (pass another imageDir): ${e instanceof Error ? e.message : String(e)}`);
  }
  return target;
}
