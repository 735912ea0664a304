import { DType, TensorArray, isFloatDType, tensorArrayFromNumbers } from './dtype';
import { DTypeError, GraphBuildError, ShapeError } from './errors';
import { Dim, Shape, broadcastShapes, formatShape, isStaticShape, normalizeAxis, staticSize } from './shape';

/** Tensor contents with dtype and static shape (initializers, constants, safetensors entries). */
export interface TensorData {
  dtype: DType;
  shape: number[];
  data: TensorArray;
}

/** A node attribute, tagged because ONNX distinguishes ints from floats. */
export type AttrValue =
  | { kind: 'int'; value: number }
  | { kind: 'float'; value: number }
  | { kind: 'string'; value: string }
  | { kind: 'ints'; value: number[] }
  | { kind: 'floats'; value: number[] }
  | { kind: 'tensor'; value: TensorData };

/** Attribute helpers: `{ axis: attr.int(1) }`. */
export const attr = {
  int: (value: number): AttrValue => ({ kind: 'int', value }),
  float: (value: number): AttrValue => ({ kind: 'float', value }),
  string: (value: string): AttrValue => ({ kind: 'string', value }),
  ints: (value: number[]): AttrValue => ({ kind: 'ints', value }),
  floats: (value: number[]): AttrValue => ({ kind: 'floats', value }),
  tensor: (value: TensorData): AttrValue => ({ kind: 'tensor', value }),
};

/** A gradient rule that replaces backprop through the nodes that produced a value (fused rules). */
export interface CustomGradient {
  inputs: Value[];
  /** dy has the value's shape; returns one gradient (or undefined) per entry of `inputs`. */
  rule: (dy: Value) => (Value | undefined)[];
}

/** A named, typed tensor in a graph: a graph input, an initializer, or a node output. */
export class Value {
  customGradient?: CustomGradient;
  /** Known contents of a 1-D int64 shape tensor, symbols included (set on Shape outputs). */
  shapeContents?: Dim[];
  constructor(
    readonly graph: Graph,
    readonly name: string,
    readonly dtype: DType,
    readonly shape: Shape,
    readonly producer?: GraphNode,
    /** Known contents (constants), used by shape inference of Reshape, Slice, ... */
    readonly constData?: TensorArray,
  ) {}

  get rank(): number {
    return this.shape.length;
  }
}

/** One ONNX node. */
export interface GraphNode {
  name: string;
  opType: string;
  domain: string;
  inputs: (Value | undefined)[];
  outputs: Value[];
  attrs: Record<string, AttrValue>;
  /** Set by stopGradient: backprop never passes through this node. */
  stopGradient?: boolean;
}

/** Output spec returned by a node's shape inference. */
export interface OutputSpec {
  dtype: DType;
  shape: Shape;
}

/** Helpers a shape-inference callback uses to fail with the node's name. */
export class InferContext {
  constructor(
    readonly node: string,
    readonly opType: string,
  ) {}

  fail(reason: string): never {
    throw new ShapeError(this.node, this.opType, reason);
  }

  /** Throws DTypeError unless `v` has one of `allowed` dtypes. */
  dtype(v: Value, allowed: DType[] | 'float' | 'any'): void {
    const ok = allowed === 'any' || (allowed === 'float' ? isFloatDType(v.dtype) : allowed.includes(v.dtype));
    if (!ok) throw new DTypeError(this.node, this.opType, allowed === 'float' ? 'a float type' : String(allowed), `${v.dtype} (input '${v.name}')`);
  }

  /** Throws DTypeError unless all values share one dtype. */
  same(...vs: Value[]): void {
    for (const v of vs.slice(1)) {
      if (v.dtype !== vs[0]!.dtype) throw new DTypeError(this.node, this.opType, vs[0]!.dtype, `${v.dtype} (input '${v.name}')`);
    }
  }

  broadcast(a: Shape, b: Shape): Dim[] {
    const r = broadcastShapes(a, b);
    if (typeof r === 'string') this.fail(r);
    return r;
  }

  axis(axis: number, rank: number): number {
    return normalizeAxis(axis, rank) ?? this.fail(`axis ${axis} out of range for rank ${rank}`);
  }

  /** A fresh symbolic dim for sizes only known at run time. */
  unknown(i: number): string {
    return `${this.node}_d${i}`;
  }
}

interface Initializer {
  value: Value;
  data: TensorData;
}

/** Options of a Graph. */
export interface GraphOptions {
  /** Default opset of the ai.onnx domain (18: Reduce* take axes as inputs, Split has num_outputs). */
  opset?: number;
}

/** A growable ONNX graph; node order is a valid topological order by construction. */
export class Graph {
  readonly nodes: GraphNode[] = [];
  readonly inputs: Value[] = [];
  readonly outputs: Value[] = [];
  readonly initializers = new Map<string, Initializer>();
  readonly opset: number;
  private readonly names = new Set<string>();
  private readonly constCache = new Map<string, Value>();
  private counter = 0;

  constructor(
    readonly name = 'graph',
    options: GraphOptions = {},
  ) {
    this.opset = options.opset ?? 18;
  }

  /** A name not used yet in this graph, derived from `base`. */
  uniqueName(base: string): string {
    let name = base;
    while (this.names.has(name)) name = `${base}_${++this.counter}`;
    this.names.add(name);
    return name;
  }

  private claim(name: string): void {
    if (this.names.has(name)) throw new GraphBuildError(`graph '${this.name}': name '${name}' is already used`);
    this.names.add(name);
  }

  /** Declares a graph input; string dims are symbolic (e.g. 'batch_size'). */
  input(name: string, dtype: DType, shape: Shape): Value {
    this.claim(name);
    const v = new Value(this, name, dtype, shape);
    this.inputs.push(v);
    return v;
  }

  /** Adds a named initializer (a weight stored in the model). */
  initializer(name: string, data: TensorData): Value {
    this.claim(name);
    return this.addInitializer(name, data);
  }

  private addInitializer(name: string, data: TensorData): Value {
    const n = staticSize(data.shape)!;
    if (data.data.length !== n) throw new GraphBuildError(`initializer '${name}': ${data.data.length} elements for shape ${formatShape(data.shape)}`);
    const v = new Value(this, name, data.dtype, data.shape, undefined, data.data);
    this.initializers.set(name, { value: v, data });
    return v;
  }

  /** An anonymous constant (stored as an initializer); small ones are shared. */
  constant(dtype: DType, shape: number[], values: readonly number[] | TensorArray): Value {
    const data = Array.isArray(values) ? tensorArrayFromNumbers(dtype, values) : (values as TensorArray);
    const key = data.length <= 16 ? `${dtype}|${shape.join(',')}|${Array.from(data as ArrayLike<number | bigint>).join(',')}` : undefined;
    const hit = key ? this.constCache.get(key) : undefined;
    if (hit) return hit;
    const v = this.addInitializer(this.uniqueName('const'), { dtype, shape, data });
    if (key) this.constCache.set(key, v);
    return v;
  }

  /** A rank-0 constant. */
  scalar(value: number, dtype: DType): Value {
    return this.constant(dtype, [], [value]);
  }

  /** A 1-D int64 constant (shapes, axes, starts...). */
  int64s(values: readonly number[]): Value {
    return this.constant('int64', [values.length], values);
  }

  /**
   * Marks `v` as a graph output named `name`. A node output that is not an output yet is renamed in
   * place (a graph output behind an Identity costs a full copy per run: a decoder's KV cache each step);
   * inputs, initializers and values that are already outputs are renamed through Identity.
   */
  output(v: Value, name?: string): Value {
    this.own(v);
    let out = v;
    if (name !== undefined && name !== v.name) {
      if (v.producer && !this.outputs.includes(v)) {
        this.claim(name);
        (v as { name: string }).name = name;
      } else {
        out = this.emit('Identity', [v], {}, () => [{ dtype: v.dtype, shape: v.shape }], { outputNames: [name] })[0]!;
      }
    } else if (this.inputs.includes(v) || this.outputs.includes(v)) {
      throw new GraphBuildError(`graph '${this.name}': '${v.name}' is already an input or output; give the output a new name`);
    }
    this.outputs.push(out);
    return out;
  }

  /** Throws unless `v` belongs to this graph. */
  own(v: Value): void {
    if (v.graph !== this) throw new GraphBuildError(`value '${v.name}' belongs to graph '${v.graph.name}', not '${this.name}'`);
  }

  /** Appends a node after running its shape inference; returns its outputs. */
  emit(
    opType: string,
    inputs: (Value | undefined)[],
    attrs: Record<string, AttrValue>,
    infer: (ctx: InferContext) => OutputSpec[],
    options: { name?: string; domain?: string; outputNames?: string[] } = {},
  ): Value[] {
    for (const v of inputs) if (v) this.own(v);
    const name = options.name !== undefined ? (this.claim(options.name), options.name) : this.uniqueName(opType);
    const specs = infer(new InferContext(name, opType));
    const node: GraphNode = { name, opType, domain: options.domain ?? '', inputs, outputs: [], attrs };
    specs.forEach((s, i) => {
      const outName = options.outputNames?.[i];
      if (outName !== undefined) this.claim(outName);
      const vName = outName ?? this.uniqueName(specs.length === 1 ? `${name}_out` : `${name}_out${i}`);
      node.outputs.push(new Value(this, vName, s.dtype, s.shape, node));
    });
    this.nodes.push(node);
    return node.outputs;
  }
}

/** Static dims of a shape or a ShapeError naming the node. */
export function requireStatic(ctx: InferContext, shape: Shape, what: string): number[] {
  if (!isStaticShape(shape)) ctx.fail(`${what} must have a static shape, got ${formatShape(shape)}`);
  return [...shape];
}

/** Known contents of a 1-D shape tensor (constants, Shape outputs, Concat of those), or undefined. */
export function knownDims(v: Value | undefined): Dim[] | undefined {
  return constInts(v) ?? v?.shapeContents;
}

/** Known int64 contents of a constant value as numbers, or undefined. */
export function constInts(v: Value | undefined): number[] | undefined {
  if (!v?.constData) return undefined;
  return Array.from(v.constData as ArrayLike<number | bigint>, Number);
}
