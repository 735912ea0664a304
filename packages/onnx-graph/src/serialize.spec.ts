import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { Graph } from './graph';
import { add, mul } from './ops/elementwise';
import { matmul } from './ops/matmul';
import { decodeModel, saveModel, serializeModel } from './serialize';
import { tensor } from '../test/gradcheck';
import { SerializationError } from './errors';

function tiny(): Graph {
  const g = new Graph('tiny');
  const x = g.input('x', 'float32', ['batch_size', 4]);
  const w = g.initializer('w', { dtype: 'float32', shape: [4, 3], data: Float32Array.from({ length: 12 }, (_, i) => i / 4) });
  const b = g.initializer('b', { dtype: 'float32', shape: [3], data: Float32Array.from([1, 2, 3]) });
  g.output(add(mul(matmul(x, w), 2), b), 'y');
  return g;
}

describe('ONNX serialization', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'onnx-graph-ser-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('encodes ModelProto fields that decode back (symbolic dims, opset, attributes)', () => {
    const m = decodeModel(serializeModel(tiny(), { metadata: { arch: 'tiny' } }).model) as {
      irVersion: number; opsetImport: { version: number }[]; metadataProps: unknown[];
      graph: { input: { name: string; type: { tensorType: { elemType: number; shape: { dim: unknown[] } } } }[]; initializer: { name: string; dims: number[] }[]; node: { opType: string }[] };
    };
    expect(m.irVersion).toBe(8);
    expect(m.opsetImport[0]!.version).toBe(18);
    expect(m.metadataProps).toEqual([{ key: 'arch', value: 'tiny' }]);
    expect(m.graph.input[0]!.type.tensorType).toEqual({ elemType: 1, shape: { dim: [{ dimParam: 'batch_size' }, { dimValue: 4 }] } });
    expect(m.graph.initializer.map((t) => [t.name, t.dims])).toContainEqual(['w', [4, 3]]);
    expect(m.graph.node.map((n) => n.opType)).toEqual(['MatMul', 'Mul', 'Add']);
  });

  it('moves initializers over the threshold to external data that ORT loads from a path', async () => {
    const path = join(dir, 'tiny.onnx');
    const s = await saveModel(path, tiny(), { externalDataThreshold: 16 });
    expect(s.externalData.map((c) => [c.name, c.offset])).toEqual([['w', 0]]);
    expect(statSync(join(dir, 'tiny.onnx.data')).size).toBe(48);
    const m = decodeModel(s.model) as { graph: { initializer: { name: string; dataLocation?: number; externalData?: { key: string; value: string }[] }[] } };
    const w = m.graph.initializer.find((t) => t.name === 'w')!;
    expect(w.dataLocation).toBe(1);
    expect(w.externalData).toEqual([{ key: 'location', value: 'tiny.onnx.data' }, { key: 'offset', value: '0' }, { key: 'length', value: '48' }]);
    const sess = await ort.InferenceSession.create(path);
    const out = await sess.run({ x: tensor('float32', Float32Array.from([1, 0, 0, 1, 0, 1, 0, 0]), [2, 4]) });
    // row 0 = 2·(w[0] + w[3]) + b = 2·([0, .25, .5] + [2.25, 2.5, 2.75]) + [1, 2, 3]
    expect(Array.from(out['y']!.data as Float32Array)).toEqual([5.5, 7.5, 9.5, 2.5, 4, 5.5]);
  });

  it('imports each non-default domain its nodes use, at version 1', () => {
    const g = tiny();
    const domains = (graph: Graph) => (decodeModel(serializeModel(graph).model) as { opsetImport: { domain: string; version: number }[] }).opsetImport;
    expect(domains(g)).toEqual([{ domain: '', version: 18 }]);
    g.nodes[0]!.domain = 'com.microsoft';
    expect(domains(g)).toEqual([{ domain: '', version: 18 }, { domain: 'com.microsoft', version: 1 }]);
  });

  it('refuses a graph without outputs', () => {
    expect(() => serializeModel(new Graph('empty'))).toThrow(SerializationError);
  });
});
