import type { GraphNode, Value } from './graph';

/** What a gradient rule sees: the node, its inputs/outputs and the incoming output gradients. */
export interface GradContext {
  node: GraphNode;
  inputs: (Value | undefined)[];
  outputs: Value[];
  /** Gradient of the loss w.r.t. each output (undefined where none flows). */
  dOut: (Value | undefined)[];
  /** Which inputs need a gradient (lets rules skip work). */
  needs: boolean[];
}

/** A reverse-mode rule: returns d(loss)/d(input) per input, undefined where none. */
export type GradRule = (ctx: GradContext) => (Value | undefined)[];
