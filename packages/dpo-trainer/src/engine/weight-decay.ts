/**
 * Whether AdamW's decoupled weight decay applies to a parameter, as transformers' Trainer decides
 * (`get_decay_parameter_names`): not to biases, nor to LayerNorm/RMSNorm scales (`*layernorm*`, `*rmsnorm*`,
 * a `norm` path segment, `*_norm`). LoRA adapters and every other matrix decay.
 */
export function appliesWeightDecay(name: string): boolean {
  const n = name.toLowerCase();
  if (n.endsWith('.bias') || n.includes('layernorm') || n.includes('layer_norm') || n.includes('rmsnorm')) return false;
  return !/(^|\.)norm($|\.)|_norm($|\.)|layrnorm/.test(n);
}
