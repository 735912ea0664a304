import { createHash } from 'node:crypto';

/** sha256 of bytes, lowercase hex. */
export function sha256Hex(bytes: Uint8Array | string): string {
  return createHash('sha256').update(bytes).digest('hex');
}

const SIGNATURES: { mime: string; ext: string; magic: number[]; offset?: number }[] = [
  { mime: 'image/png', ext: 'png', magic: [0x89, 0x50, 0x4e, 0x47] },
  { mime: 'image/jpeg', ext: 'jpg', magic: [0xff, 0xd8, 0xff] },
  { mime: 'image/gif', ext: 'gif', magic: [0x47, 0x49, 0x46, 0x38] },
  { mime: 'image/bmp', ext: 'bmp', magic: [0x42, 0x4d] },
  { mime: 'image/webp', ext: 'webp', magic: [0x57, 0x45, 0x42, 0x50], offset: 8 },
];

/** Guesses an image's MIME type from its first bytes; `application/octet-stream` when unknown. */
export function sniffMime(bytes: Uint8Array): string {
  for (const s of SIGNATURES) {
    const at = s.offset ?? 0;
    if (s.magic.every((b, i) => bytes[at + i] === b)) return s.mime;
  }
  return 'application/octet-stream';
}

/** File name of a stored image inside an export's image folder: `<sha256>.<ext>`. */
export function imageFileName(sha256: string, mime: string): string {
  const ext = SIGNATURES.find((s) => s.mime === mime)?.ext ?? 'bin';
  return `${sha256}.${ext}`;
}
