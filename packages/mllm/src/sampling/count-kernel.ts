/**
 * The dense row's two passes of the token sampler in WebAssembly SIMD: the row's largest logit, then the
 * tokens per step below it and the near-top candidates (count-kernel.wat). It computes each token's step
 * with the same float64 arithmetic as the JavaScript pass, so the counts are identical; on a 151,646-token
 * row it is about 3× faster, the scattered histogram increments being most of the cost.
 *
 * The module below is count-kernel.wat assembled by wabt 1.0.36:
 *   npx -y -p wabt@1.0.36 wat2wasm packages/mllm/src/sampling/count-kernel.wat -o k.wasm && base64 -w0 k.wasm
 */
const MODULE_BASE64 =
  'AGFzbQEAAAABEgJgAn9/AXxgB39/fHx8fH8BfwMDAgABBQMBAAEHGgMGbWVtb3J5AgAFbWF4T2YAAAVjb3VudAABCtsEApEBAgF/' +
  'Anv9DAAAgP8AAID/AACA/wAAgP8hAyADIQQgACABQQR0aiECAkADQCAAQRBqIAJPDQEgAyAA/QAEAP3pASEDIAQgAP0ABBD96QEh' +
  'BCAAQSBqIQAMAAsLIAAgAkkEQCADIAD9AAQA/ekBIQMLIAMgBP3pASEDIAP9HwAgA/0fAZcgA/0fAiAD/R8Dl5e7C8UDBAJ/BHsB' +
  'fwZ7IAL9FCEOIAP9FCEPIAT9FCEQIAX9FCERIAREAAAAAAAA8D+g/RQhEkQAAAAAAADgP/0UIRMCQANAIAcgAU8NASAAIAdBBHRq' +
  '/QAEACEJIA4gCf1f/fEBIA/98gEhCiAOIAkgCf0NCAkKCwwNDg8ICQoLDA0OD/1f/fEBIA/98gEhCyAKIBH9SSALIBH9Sf1Q/VME' +
  'QCAK/SEAIAVjBEAgBiANQQJ0aiAHQQJ0NgIAIA1BAWohDQsgCv0hASAFYwRAIAYgDUECdGogB0ECdEEBajYCACANQQFqIQ0LIAv9' +
  'IQAgBWMEQCAGIA1BAnRqIAdBAnRBAmo2AgAgDUEBaiENCyAL/SEBIAVjBEAgBiANQQJ0aiAHQQJ0QQNqNgIAIA1BAWohDQsLIAog' +
  'EiAKIBD9Sf1SIBP98AH9/AEhDCAM/RsAQQJ0IQggCCAIKAIAQQFqNgIAIAz9GwFBAnQhCCAIIAgoAgBBAWo2AgAgCyASIAsgEP1J' +
  '/VIgE/3wAf38ASEMIAz9GwBBAnQhCCAIIAgoAgBBAWo2AgAgDP0bAUECdCEIIAggCCgCAEEBajYCACAHQQFqIQcMAAsLIA0L';

/** The parts of the WebAssembly API used here (the project's TypeScript libs do not declare it). */
interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object) => { exports: unknown };
}

interface KernelExports {
  memory: WasmMemory;
  maxOf(row: number, groups: number): number;
  count(row: number, groups: number, max: number, scale: number, limit: number, near: number, candidates: number): number;
}

const PAGE = 65_536;
/** The module, compiled once per process; each kernel instantiates it with its own memory. */
let compiled: object | undefined;
const align16 = (bytes: number) => Math.ceil(bytes / 16) * 16;

/**
 * One kernel instance and its memory: `steps + 2` int32 counts at 0 (the last one collects the tokens past
 * the cutoff and is cleared after each pass), then the row padded to a multiple of 4 with −Infinity, then
 * the candidate indices. Views are made again when the memory grows.
 */
export class CountKernel {
  private readonly kernel: KernelExports;
  private countsView: Int32Array<ArrayBufferLike>;
  private rowView: Float32Array<ArrayBufferLike> = new Float32Array(0);
  private candidatesView: Int32Array<ArrayBufferLike> = new Int32Array(0);
  private readonly rowAt: number;
  private groups = 0;

  private constructor(
    module: object,
    /** Histogram steps the counts hold (0..steps). */
    private readonly steps: number,
  ) {
    this.kernel = new (wasmApi()!.Instance)(module).exports as KernelExports;
    this.rowAt = align16((steps + 2) * 4);
    this.reserve(this.rowAt);
    this.countsView = this.views(0);
  }

  /** A kernel for histograms of steps 0..steps, or undefined where WebAssembly SIMD is not available. */
  static create(steps: number): CountKernel | undefined {
    const api = wasmApi();
    if (!api) return undefined;
    try {
      compiled ??= new api.Module(Buffer.from(MODULE_BASE64, 'base64'));
      return new CountKernel(compiled, steps);
    } catch {
      return undefined;
    }
  }

  /** Counts per step (0..steps); they are kept across rows (the caller clears the steps it used). */
  get counts(): Int32Array<ArrayBufferLike> {
    return this.countsView;
  }

  /** Copies a row in; returns its largest value, NaN when the row holds a NaN. */
  load(row: Float32Array): number {
    this.groups = Math.ceil(row.length / 4);
    const needed = this.rowAt + this.groups * 16 + row.length * 4;
    this.reserve(needed);
    if (this.rowView.buffer !== this.kernel.memory.buffer || this.rowView.length !== this.groups * 4) this.countsView = this.views(row.length);
    this.rowView.set(row);
    this.rowView.fill(-Infinity, row.length);
    return this.kernel.maxOf(this.rowAt, this.groups);
  }

  /**
   * The loaded row's pass: counts[(y + 0.5) | 0] += 1 for every y = (max − logit) · scale < limit; returns
   * the indices with y < near, ascending.
   */
  count(max: number, scale: number, limit: number, near: number): Int32Array<ArrayBufferLike> {
    const found = this.kernel.count(this.rowAt, this.groups, max, scale, limit, near, this.rowAt + this.groups * 16);
    this.countsView[this.steps + 1] = 0;
    return this.candidatesView.subarray(0, found);
  }

  /** Grows the memory to at least `bytes`. */
  private reserve(bytes: number): void {
    const memory = this.kernel.memory;
    if (memory.buffer.byteLength < bytes) memory.grow(Math.ceil((bytes - memory.buffer.byteLength) / PAGE));
  }

  private views(rowLength: number): Int32Array<ArrayBufferLike> {
    const buffer = this.kernel.memory.buffer;
    const groups = Math.ceil(rowLength / 4);
    this.rowView = new Float32Array(buffer, this.rowAt, groups * 4);
    this.candidatesView = new Int32Array(buffer, this.rowAt + groups * 16, rowLength);
    return new Int32Array(buffer, 0, this.steps + 2);
  }
}

function wasmApi(): WasmApi | undefined {
  return (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
}
