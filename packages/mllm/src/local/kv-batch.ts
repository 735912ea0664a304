/** Shape of one layer's key or value cache: [B, kvHeads, length, headDim]. */
export interface KvGeometry {
  /** Arrays per row: key and value of every layer (2 · layers). */
  arrays: number;
  kvHeads: number;
  headDim: number;
}

/** Where one row of a new batch comes from: row `row` of `source`. */
export interface KvRowSource {
  source: KvBatch;
  row: number;
}

/**
 * The KV cache of a decode batch: each row's own cache, left-padded to the batch's common length.
 * Row b holds `lengths[b]` real positions at the right end of `length` columns; its attention mask is 0
 * on the padding. After a step the decoder's present tensors are adopted as they are (no copy); rows
 * are only copied when the batch changes (a row finishes, a request joins), and then the common padding
 * is trimmed so the batch is as short as its longest row.
 */
export class KvBatch {
  private constructor(
    readonly geometry: KvGeometry,
    /** Per array: [rows, kvHeads, length, headDim]. */
    readonly arrays: Float32Array[],
    /** Real positions per row. */
    readonly lengths: number[],
    /** Common (padded) length. */
    readonly length: number,
  ) {}

  /** The batch a left-padded prefill produced: present tensors [B, kvHeads, max(lengths), headDim], row b real over its last lengths[b] positions. */
  static prefilled(geometry: KvGeometry, present: Float32Array[], lengths: readonly number[]): KvBatch {
    if (present.length !== geometry.arrays) throw new RangeError(`expected ${geometry.arrays} cache arrays, got ${present.length}`);
    return new KvBatch(geometry, present, [...lengths], Math.max(0, ...lengths));
  }

  /** A batch of the given rows (any sources, any order), each copied into the new common length. */
  static gather(geometry: KvGeometry, rows: readonly KvRowSource[]): KvBatch {
    const lengths = rows.map(({ source, row }) => source.lengths[row]!);
    const length = Math.max(0, ...lengths);
    const { kvHeads, headDim } = geometry;
    const arrays = Array.from({ length: geometry.arrays }, () => new Float32Array(rows.length * kvHeads * length * headDim));
    rows.forEach(({ source, row }, b) => {
      const real = lengths[b]!;
      const srcPad = source.length - real;
      const dstPad = length - real;
      for (let a = 0; a < geometry.arrays; a++) {
        const src = source.arrays[a]!;
        const dst = arrays[a]!;
        for (let h = 0; h < kvHeads; h++) {
          const from = ((row * kvHeads + h) * source.length + srcPad) * headDim;
          dst.set(src.subarray(from, from + real * headDim), ((b * kvHeads + h) * length + dstPad) * headDim);
        }
      }
    });
    return new KvBatch(geometry, arrays, lengths, length);
  }

  get rows(): number {
    return this.lengths.length;
  }

  /** attention_mask [B, length + 1] for one more position per row: 0 on each row's padding. */
  stepMask(): BigInt64Array {
    const width = this.length + 1;
    const mask = new BigInt64Array(this.rows * width);
    this.lengths.forEach((real, b) => mask.fill(1n, b * width + (this.length - real), (b + 1) * width));
    return mask;
  }

  /**
   * position_ids [rows, B, 1] of the next position: each row's own count of real positions plus its rope
   * delta (M-RoPE: HF's cache position + rope_deltas), the same on every row of the positions.
   */
  stepPositions(deltas: readonly number[] = [], rows = 1): BigInt64Array {
    const step = this.lengths.map((n, b) => BigInt(n + (deltas[b] ?? 0)));
    const out = new BigInt64Array(rows * step.length);
    for (let r = 0; r < rows; r++) out.set(step, r * step.length);
    return out;
  }

  /** The batch after one decode step, holding the decoder's present tensors ([B, kvHeads, length + 1, headDim]). */
  advance(present: Float32Array[]): KvBatch {
    if (present.length !== this.geometry.arrays) throw new RangeError(`expected ${this.geometry.arrays} cache arrays, got ${present.length}`);
    return new KvBatch(
      this.geometry,
      present,
      this.lengths.map((n) => n + 1),
      this.length + 1,
    );
  }
}
