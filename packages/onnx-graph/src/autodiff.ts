import { Graph, Value } from './graph';
import type { GradRule } from './grad-rule';
import { isFloatDType } from './dtype';
import { GradientError, GraphBuildError } from './errors';
import { elementwiseGradRules, sum } from './ops/elementwise';
import { reduceGradRules } from './ops/reduce';
import { shapeGradRules, constantOfShape, shapeOf, zerosLike } from './ops/shape-ops';
import { sliceConcatGradRules } from './ops/slice-concat';
import { gatherGradRules } from './ops/gather';
import { matmulGradRules } from './ops/matmul';
import { softmaxGradRules } from './ops/softmax';
import { normGradRules } from './ops/norm';
import { triluGradRules } from './ops/trilu';
import { convGradRules } from './ops/conv';

/** Every op type with a reverse-mode rule; rules live next to their ops. */
export const GRAD_RULES: Readonly<Record<string, GradRule>> = {
  ...elementwiseGradRules,
  ...reduceGradRules,
  ...shapeGradRules,
  ...sliceConcatGradRules,
  ...gatherGradRules,
  ...matmulGradRules,
  ...softmaxGradRules,
  ...normGradRules,
  ...triluGradRules,
  ...convGradRules,
};

/**
 * Appends the backward pass to `graph`: returns d(loss)/d(w) for each w in `wrt` (graph inputs,
 * initializers or intermediate values), built from standard ONNX ops. A non-scalar loss is seeded with ones.
 */
export function grad(graph: Graph, loss: Value, wrt: Value[]): Value[] {
  graph.own(loss);
  for (const w of wrt) graph.own(w);
  if (!isFloatDType(loss.dtype)) throw new GraphBuildError(`loss '${loss.name}' must be a float tensor, got ${loss.dtype}`);
  const nodes = graph.nodes.slice();

  // Only values that depend on some w and that the loss depends on carry gradients.
  const fromWrt = new Set<Value>(wrt);
  for (const n of nodes) {
    if (n.stopGradient) continue;
    if (n.inputs.some((v) => v && fromWrt.has(v))) n.outputs.forEach((o) => fromWrt.add(o));
  }
  const toLoss = new Set<Value>([loss]);
  for (let i = nodes.length - 1; i >= 0; i--) {
    const n = nodes[i]!;
    if (!n.outputs.some((o) => toLoss.has(o))) continue;
    for (const o of n.outputs) if (toLoss.has(o) && o.customGradient) o.customGradient.inputs.forEach((v) => toLoss.add(v));
    n.inputs.forEach((v) => v && toLoss.add(v));
  }
  const relevant = (v: Value | undefined): v is Value => !!v && fromWrt.has(v) && toLoss.has(v) && isFloatDType(v.dtype);

  const parts = new Map<Value, Value[]>();
  const push = (v: Value, d: Value | undefined) => {
    if (!d || !relevant(v)) return;
    const list = parts.get(v);
    if (list) list.push(d);
    else parts.set(v, [d]);
  };
  const total = (v: Value): Value | undefined => {
    const list = parts.get(v);
    if (!list) return undefined;
    const s = sum(list);
    parts.set(v, [s]);
    return s;
  };
  push(loss, loss.rank === 0 ? graph.scalar(1, loss.dtype) : constantOfShape(graph, shapeOf(loss), 1, loss.dtype));

  for (let i = nodes.length - 1; i >= 0; i--) {
    const node = nodes[i]!;
    if (node.stopGradient) continue;
    const dOut = node.outputs.map((o) => total(o));
    node.outputs.forEach((o, k) => {
      const cg = o.customGradient;
      if (!cg || !dOut[k]) return;
      cg.rule(dOut[k]!).forEach((d, j) => push(cg.inputs[j]!, d));
      dOut[k] = undefined;
    });
    if (dOut.every((d) => !d)) continue;
    const needs = node.inputs.map(relevant);
    if (!needs.some(Boolean)) continue;
    const rule = GRAD_RULES[node.opType];
    if (!rule || node.domain !== '') throw new GradientError(node.name, node.opType, 'no gradient rule for this op');
    // Rules expect every differentiable output to have a gradient; fill the gaps with zeros.
    const filled = node.outputs.map((o, k) => dOut[k] ?? (node.outputs.length > 1 ? undefined : zerosLike(o)));
    const dIn = rule({ node, inputs: node.inputs, outputs: node.outputs, dOut: filled, needs });
    node.inputs.forEach((v, k) => v && needs[k] && push(v, dIn[k]));
  }
  return wrt.map((w) => total(w) ?? zerosLike(w));
}
