import { transpose, type Value } from '@smart/onnx-graph';
import { sectionedRopeTables } from '../layers/rope';
import type { Qwen2VlConfig } from './qwen2-vl-config';

/**
 * Multimodal RoPE tables (Wang et al. 2024, §2.1; HF `apply_multimodal_rotary_pos_emb`): band j of the head's
 * hd/2 frequency bands rotates with the temporal, height or width position by `mrope_section`
 * ([16, 24, 24] → bands 0–15 temporal, 16–39 height, 40–63 width). positionIds [3, B, S] → cos/sin [B, S, hd].
 */
export function mropeTables(config: Qwen2VlConfig, positionIds: Value, dtype: 'float32' | 'float64'): { cos: Value; sin: Value } {
  const hd = config.text.head_dim;
  const inv = Array.from({ length: hd / 2 }, (_, j) => 1 / Math.pow(config.text.rope_theta, (2 * j) / hd));
  const axisOf = config.mrope_section.flatMap((n, axis) => Array.from({ length: n }, () => axis));
  return sectionedRopeTables(transpose(positionIds, [1, 2, 0]), inv, axisOf, dtype); // positions [B, S, 3]
}
