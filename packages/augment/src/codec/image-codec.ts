import type { RgbImage } from '../image';
import type { EncodeFormat } from './image-format';

/** How decoding treats transparency. */
export type AlphaMode = 'white' | 'drop';

/** Options of decoding. */
export interface DecodeOptions {
  /**
   * 'white' (default): composite over white, so transparent regions look like a page, not black.
   * 'drop': discard alpha and keep the stored colour, as PIL's `Image.convert('RGB')` does.
   */
  alpha?: AlphaMode;
  /** Reject any decoder warning (corrupt entropy data, extraneous bytes), not only truncation. Default true. */
  strict?: boolean;
  /** Apply the EXIF orientation. Default false, as PIL's `Image.open` (what the reference code reads with). */
  autoOrient?: boolean;
  /** Largest width × height accepted, checked on the header before decoding (default @smart/core's DEFAULT_MAX_IMAGE_PIXELS). */
  maxPixels?: number;
}

/** Options of encoding. */
export interface EncodeOptions {
  format: EncodeFormat;
  /** JPEG / WebP quality 1..100 (default 90). */
  quality?: number;
}

/**
 * Turns file bytes into 8-bit RGB and back. `name` labels the bytes in errors (usually the file path).
 * Decoding throws an ImageDecodeError subclass for empty, truncated, corrupt or unsupported input.
 */
export interface ImageCodec {
  decode(bytes: Uint8Array, name: string, options?: DecodeOptions): Promise<RgbImage>;
  encode(image: RgbImage, name: string, options: EncodeOptions): Promise<Uint8Array>;
}
