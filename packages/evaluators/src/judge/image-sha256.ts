import { createHash } from 'node:crypto';
import type { ImageInput } from '@smart/types';

/**
 * sha256 (hex) of an image's content, for judge cache keys: a path hashes the file's bytes (the same
 * hash the preference store files images under); decoded pixels hash their kind, shape and data.
 */
export async function imageSha256(image: ImageInput, readFile: (path: string) => Promise<Uint8Array>): Promise<string> {
  const hash = createHash('sha256');
  if (image.kind === 'path') return hash.update(await readFile(image.path)).digest('hex');
  if (image.kind === 'rgb') hash.update(`rgb:${image.width}x${image.height}:`);
  else hash.update(`tensor:${image.shape.join('x')}:`);
  return hash.update(new Uint8Array(image.data.buffer, image.data.byteOffset, image.data.byteLength)).digest('hex');
}
