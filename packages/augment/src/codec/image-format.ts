/** Formats the codec writes. */
export type EncodeFormat = 'jpeg' | 'png' | 'webp';

/** The output format a path's extension asks for, or null when it names none this package writes. */
export function encodeFormatFromPath(path: string): EncodeFormat | null {
  const ext = path.slice(path.lastIndexOf('.') + 1).toLowerCase();
  if (ext === 'jpg' || ext === 'jpeg') return 'jpeg';
  if (ext === 'png') return 'png';
  if (ext === 'webp') return 'webp';
  return null;
}
