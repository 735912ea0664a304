import { isChwTensor, type Raster } from './image';

/**
 * Planes of a raster as (count, row length in elements, values per pixel): an RgbImage is one plane of
 * interleaved pixels, a [C, H, W] tensor C planes of single values.
 */
export function planes(r: Raster): { count: number; rowLength: number; pixelSize: number } {
  return isChwTensor(r)
    ? { count: r.channels, rowLength: r.width, pixelSize: 1 }
    : { count: 1, rowLength: r.width * 3, pixelSize: 3 };
}
