import { open, writeFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { AttrValue, Graph, TensorData, Value } from './graph';
import { ONNX_DTYPE_CODE, tensorArrayBytes } from './dtype';
import { SerializationError } from './errors';
import { ATTR_TYPE, ModelProtoType } from './onnx-proto';

/** Options of serializeModel / saveModel. */
export interface SerializeOptions {
  /** Initializers with at least this many bytes go to the external data file (default: never). */
  externalDataThreshold?: number;
  /** External data file name, relative to the model file (default '<model>.data' or 'model.onnx.data'). */
  externalDataLocation?: string;
  /** Byte alignment of each external tensor (default 64, so ORT can map tensors directly). */
  externalDataAlignment?: number;
  producerName?: string;
  /** Key/value strings stored in ModelProto.metadata_props. */
  metadata?: Record<string, string>;
}

/** A tensor's bytes at `offset` in the external data file. */
export interface ExternalChunk {
  name: string;
  offset: number;
  bytes: Uint8Array;
}

/** Encoded model bytes plus the chunks of its external data file (kept apart: they may exceed 2 GB). */
export interface SerializedModel {
  model: Uint8Array;
  externalData: ExternalChunk[];
  externalDataLocation?: string;
  externalDataSize: number;
}

const encodeText = (s: string) => new TextEncoder().encode(s);

function valueInfo(v: Value) {
  const dim = v.shape.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d }));
  return { name: v.name, type: { tensorType: { elemType: ONNX_DTYPE_CODE[v.dtype], shape: { dim } } } };
}

/** TensorProto fields other than the data itself. */
function tensorHeader(name: string, t: TensorData) {
  return { name, dims: t.shape, dataType: ONNX_DTYPE_CODE[t.dtype] };
}

function tensorProto(name: string, t: TensorData) {
  return { ...tensorHeader(name, t), rawData: tensorArrayBytes(t.data) };
}

function attribute(name: string, a: AttrValue) {
  switch (a.kind) {
    case 'int':
      return { name, type: ATTR_TYPE.INT, i: a.value };
    case 'float':
      return { name, type: ATTR_TYPE.FLOAT, f: a.value };
    case 'string':
      return { name, type: ATTR_TYPE.STRING, s: encodeText(a.value) };
    case 'ints':
      return { name, type: ATTR_TYPE.INTS, ints: a.value };
    case 'floats':
      return { name, type: ATTR_TYPE.FLOATS, floats: a.value };
    case 'tensor':
      return { name, type: ATTR_TYPE.TENSOR, t: tensorProto('', a.value) };
  }
}

/** Encodes a graph as ONNX ModelProto bytes (IR 8), moving large initializers to external data. */
export function serializeModel(graph: Graph, options: SerializeOptions = {}): SerializedModel {
  if (graph.outputs.length === 0) throw new SerializationError(`graph '${graph.name}' has no outputs`);
  const threshold = options.externalDataThreshold ?? Infinity;
  const location = options.externalDataLocation ?? 'model.onnx.data';
  const align = options.externalDataAlignment ?? 64;
  const externalData: ExternalChunk[] = [];
  let offset = 0;
  const initializer = [...graph.initializers.values()].map(({ value, data }) => {
    const header = tensorHeader(value.name, data);
    const raw = tensorArrayBytes(data.data);
    const bytes = raw.byteLength;
    if (bytes < threshold) return { ...header, rawData: raw };
    offset = Math.ceil(offset / align) * align;
    externalData.push({ name: value.name, offset, bytes: raw });
    const entry = { ...header, dataLocation: 1, externalData: [
      { key: 'location', value: location },
      { key: 'offset', value: String(offset) },
      { key: 'length', value: String(bytes) },
    ] };
    offset += bytes;
    return entry;
  });
  const model = {
    irVersion: 8,
    producerName: options.producerName ?? '@smart/onnx-graph',
    producerVersion: '0.1.0',
    // Contrib domains (com.microsoft's MatMulNBits) are at version 1; checkers require every used domain imported.
    opsetImport: [{ domain: '', version: graph.opset }, ...[...new Set(graph.nodes.map((n) => n.domain).filter((d) => d !== ''))].map((domain) => ({ domain, version: 1 }))],
    metadataProps: Object.entries(options.metadata ?? {}).map(([key, value]) => ({ key, value })),
    graph: {
      name: graph.name,
      node: graph.nodes.map((n) => ({
        name: n.name,
        opType: n.opType,
        domain: n.domain,
        input: n.inputs.map((v) => v?.name ?? ''),
        output: n.outputs.map((v) => v.name),
        attribute: Object.entries(n.attrs).map(([k, a]) => attribute(k, a)),
      })),
      initializer,
      input: graph.inputs.map(valueInfo),
      output: graph.outputs.map(valueInfo),
    },
  };
  const err = ModelProtoType.verify(model);
  if (err) throw new SerializationError(`graph '${graph.name}': ${err}`);
  let bytes: Uint8Array;
  try {
    bytes = ModelProtoType.encode(ModelProtoType.fromObject(model)).finish();
  } catch (e) {
    throw new SerializationError(`graph '${graph.name}' could not be encoded (over 2 GB? lower externalDataThreshold): ${(e as Error).message}`);
  }
  return { model: bytes, externalData, externalDataLocation: externalData.length ? location : undefined, externalDataSize: offset };
}

/** Writes `<path>` and, when initializers go external, `<path>.data` beside it (streamed, so > 2 GB works). */
export async function saveModel(path: string, graph: Graph, options: SerializeOptions = {}): Promise<SerializedModel> {
  const s = serializeModel(graph, { ...options, externalDataLocation: options.externalDataLocation ?? `${basename(path)}.data` });
  await writeFile(path, s.model);
  if (s.externalData.length) {
    const file = await open(`${path.slice(0, path.length - basename(path).length)}${s.externalDataLocation}`, 'w');
    try {
      for (const c of s.externalData) await file.write(c.bytes, 0, c.bytes.length, c.offset);
    } finally {
      await file.close();
    }
  }
  return s;
}

/** Decodes ONNX bytes into a plain object (camelCase fields, int64 as numbers) for inspection. */
export function decodeModel(bytes: Uint8Array): Record<string, unknown> {
  try {
    return ModelProtoType.toObject(ModelProtoType.decode(bytes), { longs: Number, bytes: Array, defaults: false }) as Record<string, unknown>;
  } catch (e) {
    throw new SerializationError(`invalid ONNX model: ${(e as Error).message}`);
  }
}
