import { mkdtempSync, rmSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeSafetensors, encodeSafetensors, readSafetensorsFolder, writeSafetensorsFolder } from './safetensors';
import { TensorData } from './graph';
import { tensorArrayBytes } from './dtype';
import { SafetensorsError } from './errors';
import { narrow16 } from './float16';

function sample(): Map<string, TensorData> {
  return new Map<string, TensorData>([
    ['model.embed.weight', { dtype: 'float32', shape: [3, 2], data: Float32Array.from([1.5, -2, 3.25, 0, -0, 1e-30]) }],
    ['model.norm.weight', { dtype: 'float16', shape: [4], data: narrow16([1, -0.5, 65504, 6e-8], 'float16') }],
    ['lm_head.weight', { dtype: 'bfloat16', shape: [2, 2], data: narrow16([1, 3.140625, -1e38, 2 ** -100], 'bfloat16') }],
    ['ids', { dtype: 'int64', shape: [3], data: BigInt64Array.from([0n, -1n, 9007199254740993n]) }],
    ['scalar', { dtype: 'float64', shape: [], data: Float64Array.from([Math.PI]) }],
  ]);
}

describe('safetensors', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'onnx-graph-st-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('round-trips F32/F16/BF16/I64/F64 bit-exactly with metadata', () => {
    const bytes = encodeSafetensors(sample(), { format: 'pt' });
    const headerLen = Number(new DataView(bytes.buffer).getBigUint64(0, true));
    expect((8 + headerLen) % 8).toBe(0);
    const back = decodeSafetensors(bytes);
    expect(back.metadata).toEqual({ format: 'pt' });
    for (const [name, t] of sample()) {
      const got = back.tensors.get(name)!;
      expect([got.dtype, got.shape]).toEqual([t.dtype, t.shape]);
      expect(Buffer.from(tensorArrayBytes(got.data)).equals(Buffer.from(tensorArrayBytes(t.data)))).toBe(true);
    }
    expect(Buffer.from(encodeSafetensors(back.tensors, back.metadata)).equals(Buffer.from(bytes))).toBe(true);
  });

  it('writes and reads sharded folders with model.safetensors.index.json', async () => {
    const files = await writeSafetensorsFolder(dir, sample(), { maxShardBytes: 16 });
    expect(files.at(-1)).toBe('model.safetensors.index.json');
    expect(readdirSync(dir).filter((f) => f.endsWith('.safetensors')).length).toBeGreaterThan(2);
    const index = JSON.parse(readFileSync(join(dir, 'model.safetensors.index.json'), 'utf8'));
    expect(index.metadata.total_size).toBe(24 + 8 + 8 + 24 + 8);
    expect(index.weight_map['ids']).toMatch(/^model-0000\d-of-0000\d\.safetensors$/);
    const back = await readSafetensorsFolder(dir);
    expect([...back.tensors.keys()].sort()).toEqual([...sample().keys()].sort());
    expect(Array.from(back.tensors.get('ids')!.data as BigInt64Array)).toEqual([0n, -1n, 9007199254740993n]);
  });

  it('reads a single-file folder', async () => {
    await writeSafetensorsFolder(dir, sample());
    expect(readdirSync(dir)).toEqual(['model.safetensors']);
    expect((await readSafetensorsFolder(dir)).tensors.size).toBe(5);
  });

  it('rejects offsets that do not fit the shape, naming the file', () => {
    const bytes = encodeSafetensors(new Map([['w', { dtype: 'float32', shape: [2], data: new Float32Array(2) }]]));
    const text = Buffer.from(bytes).toString('latin1').replace('"shape":[2]', '"shape":[3]');
    const p = join(dir, 'bad.safetensors');
    writeFileSync(p, Buffer.from(text, 'latin1'));
    expect(() => decodeSafetensors(new Uint8Array(readFileSync(p)), p)).toThrow(SafetensorsError);
    expect(() => decodeSafetensors(new Uint8Array(readFileSync(p)), p)).toThrow(/bad\.safetensors.*tensor 'w'/);
  });
});
