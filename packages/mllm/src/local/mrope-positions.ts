/** Qwen2-VL's multimodal RoPE token ids and merge size, read from the folder's config.json. */
export interface MropeConfig {
  imageTokenId: number;
  visionStartTokenId: number;
  spatialMergeSize: number;
}

/** One prompt's M-RoPE positions: `positions` [3, L] (temporal, height, width rows) and its rope delta. */
export interface PromptPositions {
  positions: BigInt64Array;
  /** max position + 1 − L: generated token k (0-based) of this row takes position L + k + delta on all three axes. */
  delta: number;
}

/**
 * HF `Qwen2VLForConditionalGeneration.get_rope_index` for one unpadded prompt: text advances all three axes
 * together; the t·(h/m)·(w/m) tokens of the image after each `<|vision_start|>` take (start + t, start + row,
 * start + column), and the text after it resumes at the largest position + 1. The delta is what HF caches
 * as `rope_deltas` and adds to the cache position on decode steps; a left-padded row's padding shifts both
 * the same way, so positions here never depend on batch mates. `grids`: the prompt's images, in order.
 */
export function mropePositions(config: MropeConfig, ids: readonly number[], grids: readonly (readonly [number, number, number])[]): PromptPositions {
  const L = ids.length;
  const rows: [number[], number[], number[]] = [[], [], []];
  const m = config.spatialMergeSize;
  let next = 0;
  const text = (count: number) => {
    for (let k = 0; k < count; k++) for (const axis of rows) axis.push(next + k);
    next += count;
  };
  let st = 0;
  let image = 0;
  for (let i = 0; i < L; i++) {
    if (ids[i] !== config.visionStartTokenId || ids[i + 1] !== config.imageTokenId) continue;
    const grid = grids[image++];
    if (!grid) throw new RangeError(`the prompt has more images than its ${grids.length} grid_thw rows`);
    const [t, h, w] = grid;
    const [gh, gw] = [Math.floor(h / m), Math.floor(w / m)];
    const ed = i + 1;
    text(ed - st);
    for (let k = 0; k < t * gh * gw; k++) {
      rows[0].push(next + Math.floor(k / (gh * gw)));
      rows[1].push(next + (Math.floor(k / gw) % gh));
      rows[2].push(next + (k % gw));
    }
    next += Math.max(t, gh, gw);
    st = ed + t * gh * gw;
    i = st - 1;
  }
  if (st > L) throw new RangeError(`the prompt has fewer image tokens than its grid_thw rows give (${st} > ${L} tokens)`);
  text(L - st);
  const positions = new BigInt64Array(3 * L);
  rows.forEach((axis, r) => axis.forEach((p, s) => (positions[r * L + s] = BigInt(p))));
  return { positions, delta: next - L };
}

/** Plain 1-D positions 0..L−1 (every family without M-RoPE). */
export function linearPositions(length: number): PromptPositions {
  return { positions: BigInt64Array.from({ length }, (_, i) => BigInt(i)), delta: 0 };
}
