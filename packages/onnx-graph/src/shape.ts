/** A dimension: a size, or a symbolic name such as 'batch_size'. */
export type Dim = number | string;
/** A tensor shape; the rank is always known. */
export type Shape = readonly Dim[];

/** Numpy-style broadcast of two shapes; returns an error reason string when they do not broadcast. */
export function broadcastShapes(a: Shape, b: Shape): Dim[] | string {
  const rank = Math.max(a.length, b.length);
  const out: Dim[] = [];
  for (let i = 0; i < rank; i++) {
    const da = i < rank - a.length ? 1 : a[i - (rank - a.length)]!;
    const db = i < rank - b.length ? 1 : b[i - (rank - b.length)]!;
    if (da === db || db === 1) out.push(da);
    else if (da === 1) out.push(db);
    // Two different symbols, or a symbol against a size: assume they agree at run time (as onnx does).
    else if (typeof da === 'string') out.push(db);
    else if (typeof db === 'string') out.push(da);
    else return `shapes ${formatShape(a)} and ${formatShape(b)} do not broadcast`;
  }
  return out;
}

/** Number of elements when every dim is known. */
export function staticSize(shape: Shape): number | undefined {
  let n = 1;
  for (const d of shape) {
    if (typeof d !== 'number') return undefined;
    n *= d;
  }
  return n;
}

/** Whether every dim is a number. */
export function isStaticShape(shape: Shape): shape is readonly number[] {
  return shape.every((d) => typeof d === 'number');
}

/** `[batch_size, 4]` style rendering for error messages. */
export function formatShape(shape: Shape): string {
  return `[${shape.join(', ')}]`;
}

/** Normalizes a possibly negative axis; undefined when out of range. */
export function normalizeAxis(axis: number, rank: number): number | undefined {
  const a = axis < 0 ? axis + rank : axis;
  return a >= 0 && a < rank ? a : undefined;
}
