/** An RGBA pixel buffer drawn into in place (a Jimp bitmap has exactly this shape). */
export interface Canvas {
  width: number;
  height: number;
  /** [H, W, 4] RGBA, row-major. */
  data: Uint8Array;
}

/** An opaque RGB colour. */
export type Rgb = readonly [number, number, number];

/** A 2-D point in pixel coordinates. */
export interface Point {
  x: number;
  y: number;
}

/**
 * Fills every pixel whose centre satisfies `inside`, scanning only the given bounding box.
 * Hard edges (no anti-aliasing) keep images byte-identical across platforms.
 */
function fillWhere(c: Canvas, x0: number, y0: number, x1: number, y1: number, rgb: Rgb, inside: (px: number, py: number) => boolean): void {
  const xa = Math.max(0, Math.floor(x0));
  const ya = Math.max(0, Math.floor(y0));
  const xb = Math.min(c.width - 1, Math.ceil(x1));
  const yb = Math.min(c.height - 1, Math.ceil(y1));
  for (let y = ya; y <= yb; y++) {
    for (let x = xa; x <= xb; x++) {
      if (!inside(x + 0.5, y + 0.5)) continue;
      const o = (y * c.width + x) * 4;
      c.data[o] = rgb[0];
      c.data[o + 1] = rgb[1];
      c.data[o + 2] = rgb[2];
      c.data[o + 3] = 255;
    }
  }
}

/** Fills a disc of radius `r` centred at (cx, cy). */
export function fillCircle(c: Canvas, cx: number, cy: number, r: number, rgb: Rgb): void {
  const r2 = r * r;
  fillWhere(c, cx - r, cy - r, cx + r, cy + r, rgb, (x, y) => (x - cx) ** 2 + (y - cy) ** 2 <= r2);
}

/** Fills an axis-aligned rectangle [x, x+w) × [y, y+h). */
export function fillRect(c: Canvas, x: number, y: number, w: number, h: number, rgb: Rgb): void {
  fillWhere(c, x, y, x + w - 1, y + h - 1, rgb, (px, py) => px >= x && px < x + w && py >= y && py < y + h);
}

/** Fills a convex polygon given in either winding order. */
export function fillConvexPolygon(c: Canvas, pts: Point[], rgb: Rgb): void {
  const xs = pts.map((p) => p.x);
  const ys = pts.map((p) => p.y);
  let area = 0;
  for (let i = 0; i < pts.length; i++) {
    const a = pts[i]!;
    const b = pts[(i + 1) % pts.length]!;
    area += a.x * b.y - b.x * a.y;
  }
  const sign = area >= 0 ? 1 : -1;
  fillWhere(c, Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys), rgb, (x, y) => {
    for (let i = 0; i < pts.length; i++) {
      const a = pts[i]!;
      const b = pts[(i + 1) % pts.length]!;
      if (sign * ((b.x - a.x) * (y - a.y) - (b.y - a.y) * (x - a.x)) < 0) return false;
    }
    return true;
  });
}

/** Vertices of a regular polygon with `sides` corners and circumradius `r`, one vertex pointing up. */
export function regularPolygon(cx: number, cy: number, r: number, sides: number, rotation = 0): Point[] {
  return Array.from({ length: sides }, (_, i) => {
    const a = rotation - Math.PI / 2 + (2 * Math.PI * i) / sides;
    return { x: cx + r * Math.cos(a), y: cy + r * Math.sin(a) };
  });
}

/** A canvas filled with one colour. */
export function blankCanvas(width: number, height: number, rgb: Rgb = [255, 255, 255]): Canvas {
  const data = new Uint8Array(width * height * 4);
  for (let o = 0; o < data.length; o += 4) {
    data[o] = rgb[0];
    data[o + 1] = rgb[1];
    data[o + 2] = rgb[2];
    data[o + 3] = 255;
  }
  return { width, height, data };
}
