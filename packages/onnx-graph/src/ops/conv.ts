import { Value, attr } from '../graph';
import type { GradRule } from '../grad-rule';
import { GradientError } from '../errors';
import { Dim } from '../shape';
import { reduceSum } from './reduce';
import { slice } from './slice-concat';
import { transpose } from './shape-ops';

/** Options of a 2-D convolution (group 1). */
export interface ConvOptions {
  strides?: [number, number];
  /** [top, left, bottom, right] */
  pads?: [number, number, number, number];
  dilations?: [number, number];
}

function convAttrs(o: Required<ConvOptions>) {
  return { strides: attr.ints(o.strides), pads: attr.ints(o.pads), dilations: attr.ints(o.dilations) };
}

/** 2-D convolution: x [N, C, H, W] * w [O, C, kH, kW] (+ b [O]) -> [N, O, Ho, Wo]. */
export function conv(x: Value, w: Value, b?: Value, options: ConvOptions = {}, name?: string): Value {
  const o: Required<ConvOptions> = { strides: options.strides ?? [1, 1], pads: options.pads ?? [0, 0, 0, 0], dilations: options.dilations ?? [1, 1] };
  return x.graph.emit('Conv', b ? [x, w, b] : [x, w], convAttrs(o), (ctx) => {
    ctx.dtype(x, 'float');
    ctx.same(...(b ? [x, w, b] : [x, w]));
    if (x.rank !== 4 || w.rank !== 4) ctx.fail('only 2-D convolution (rank-4 x and w) is supported');
    const [c1, c2] = [x.shape[1]!, w.shape[1]!];
    if (typeof c1 === 'number' && typeof c2 === 'number' && c1 !== c2) ctx.fail(`x has ${c1} channels, w expects ${c2}`);
    const out: Dim[] = [x.shape[0]!, w.shape[0]!];
    for (let i = 0; i < 2; i++) {
      const [d, k] = [x.shape[2 + i]!, w.shape[2 + i]!];
      if (typeof d !== 'number' || typeof k !== 'number') out.push(ctx.unknown(2 + i));
      else out.push(Math.floor((d + o.pads[i]! + o.pads[i + 2]! - o.dilations[i]! * (k - 1) - 1) / o.strides[i]!) + 1);
    }
    return [{ dtype: x.dtype, shape: out }];
  }, { name })[0]!;
}

/** Gradient rule of Conv: ConvTranspose for dx, a Conv of x with dy (strides and dilations swapped) for dw. */
export const convGradRules: Record<string, GradRule> = {
  Conv: ({ node, inputs, outputs, dOut, needs }) => {
    const [x, w, b] = inputs as [Value, Value, Value | undefined];
    const dy = dOut[0]!;
    const s = node.attrs['strides']!.value as number[];
    const p = node.attrs['pads']!.value as number[];
    const d = node.attrs['dilations']!.value as number[];
    const dims = [...x.shape.slice(2), ...w.shape.slice(2), ...outputs[0]!.shape.slice(2)];
    if (!dims.every((v) => typeof v === 'number')) throw new GradientError(node.name, 'Conv', 'spatial dims must be static');
    const [h, wd, kh, kw, ho, wo] = dims as number[];
    let dx: Value | undefined;
    if (needs[0]) {
      const full = [h!, wd!];
      const outPad = [0, 1].map((i) => full[i]! - (s[i]! * ([ho!, wo!][i]! - 1) + ([kh!, kw!][i]! - 1) * d[i]! + 1 - p[i]! - p[i + 2]!));
      const attrs = { strides: attr.ints(s), pads: attr.ints(p), dilations: attr.ints(d), output_padding: attr.ints(outPad) };
      dx = x.graph.emit('ConvTranspose', [dy, w], attrs, () => [{ dtype: x.dtype, shape: x.shape }])[0]!;
    }
    let dw: Value | undefined;
    if (needs[1]) {
      const xT = transpose(x, [1, 0, 2, 3]);
      const dyT = transpose(dy, [1, 0, 2, 3]);
      const grid = conv(xT, dyT, undefined, { strides: [d[0]!, d[1]!], dilations: [s[0]!, s[1]!], pads: p as ConvOptions['pads'] & number[] });
      dw = transpose(slice(grid, [0, 0], [kh!, kw!], [2, 3]), [1, 0, 2, 3]);
    }
    const db = b && needs[2] ? reduceSum(dy, [0, 2, 3], false) : undefined;
    return [dx, dw, db];
  },
};
