import { resolve } from 'node:path';
import { sniffImageFormat } from '@smart/core';
import { mmcodeSegments, writeEmbeddedImages, type MMCodeRecord } from '@smart/evaluators';
import type { ImageInput } from '@smart/types';

/** The bytes of an image the released file embeds (base64, or a base64 data URL); null for anything else (a path). */
function embeddedBytes(entry: string): Uint8Array | null {
  const data = /^data:[^,]*;base64,/.exec(entry);
  const bytes = Buffer.from(data ? entry.slice(data[0].length) : entry, 'base64');
  return sniffImageFormat(bytes) ? bytes : null;
}

/**
 * The images of an MMCode problem in the order the official client sends them (`mmcodeSegments`:
 * images beyond one past the last marker are not sent). `mmcode_test.jsonl.gz` embeds them as
 * base64: those are written to `imageDir` (content-addressed, through the evaluators' writer of
 * embedded images); other entries are paths under `root` (a Parquet row's images are already paths).
 */
export async function mmcodeImages(record: MMCodeRecord, root: string, imageDir: string, file: string): Promise<ImageInput[]> {
  const row = { images: record.images.map((entry) => {
    const bytes = embeddedBytes(entry);
    return bytes ? { bytes } : resolve(root, entry);
  }) };
  const written = (await writeEmbeddedImages(row, imageDir, file)) as { images: string[] };
  return mmcodeSegments(record)
    .flatMap((s) => ('image' in s ? [written.images[s.image]!] : []))
    .map((path) => ({ kind: 'path' as const, path }));
}
