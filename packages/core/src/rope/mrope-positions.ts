/** The token ids and merge size Qwen2-VL's multimodal RoPE needs (config.json: image_token_id, vision_start_token_id, vision_config.spatial_merge_size). */
export interface MropeTokens {
  imageTokenId: number;
  visionStartTokenId: number;
  spatialMergeSize: number;
}

/** M-RoPE positions of one unpadded sequence. */
export interface MropeRows {
  /** Temporal, height and width positions, each of the sequence's length. */
  rows: [number[], number[], number[]];
  /** The largest position + 1: generated token k (0-based) of an L-token prompt takes L + k + (next − L) on every axis. */
  next: number;
  /** How many of `grids` the sequence's images used. */
  images: number;
}

/**
 * HF `Qwen2VLForConditionalGeneration.get_rope_index` for the images of one unpadded sequence (Wang et al.
 * 2024, §2.1 M-RoPE): text tokens advance all three axes together; the t·(h/m)·(w/m) image tokens after each
 * `<|vision_start|>` take (start + t, start + row, start + column), and the text after them resumes at the
 * largest position + 1. `grids` are grid_thw rows, used in order from the first; `what` names the sequence in
 * the RangeError thrown when the sequence holds more images than `grids`, or fewer image tokens than they give.
 */
export function mropeRows(tokens: MropeTokens, ids: readonly number[], grids: readonly (readonly number[])[], what = 'the sequence'): MropeRows {
  const rows: [number[], number[], number[]] = [[], [], []];
  const m = tokens.spatialMergeSize;
  let next = 0;
  const text = (count: number) => {
    for (let k = 0; k < count; k++) for (const axis of rows) axis.push(next + k);
    next += count;
  };
  let images = 0;
  for (let i = 0; i < ids.length - 1; i++) if (ids[i] === tokens.visionStartTokenId && ids[i + 1] === tokens.imageTokenId) images++;
  let st = 0;
  for (let j = 0; j < images; j++) {
    const ed = ids.indexOf(tokens.imageTokenId, st);
    const [t, h, w] = grids[j] ?? [];
    if (t === undefined || h === undefined || w === undefined) throw new RangeError(`${what} has more images than its ${grids.length} grid_thw rows`);
    const [gh, gw] = [Math.floor(h / m), Math.floor(w / m)];
    text(ed - st);
    for (let k = 0; k < t * gh * gw; k++) {
      rows[0].push(next + Math.floor(k / (gh * gw)));
      rows[1].push(next + (Math.floor(k / gw) % gh));
      rows[2].push(next + (k % gw));
    }
    next += Math.max(t, gh, gw);
    st = ed + t * gh * gw;
  }
  if (st > ids.length) throw new RangeError(`${what} has fewer image tokens than its grid_thw rows give (${st} > ${ids.length} tokens)`);
  text(ids.length - st);
  return { rows, next, images };
}
