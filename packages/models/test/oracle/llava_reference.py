"""Independent PyTorch forward of the LLaVA family (Llama/Qwen2 decoder + CLIP/SigLIP ViT + MLP projector).

Written from the HF modeling code's semantics with plain torch ops, no `transformers` import, so it can
serve as an oracle for the TypeScript graphs. Usage:

    python3 llava_reference.py MODEL_DIR INPUTS.json OUT.bin

INPUTS.json: {"input_ids": [[...]], "position_ids": [[...]] | null, "attention_mask": [[...]] | null,
              "pixel_values": "pixels.bin" | null, "pixel_shape": [B,3,H,W], "dtype": "float32"|"float64"}
OUT.bin: logits [B, S, V] as raw little-endian floats of the requested dtype.
"""
import json
import math
import os
import struct
import sys

import numpy as np
import torch

DTYPES = {"F32": np.float32, "F16": np.float16, "F64": np.float64, "I64": np.int64, "I32": np.int32}


def read_safetensors(path):
    with open(path, "rb") as f:
        (n,) = struct.unpack("<Q", f.read(8))
        header = json.loads(f.read(n))
        data = f.read()
    out = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        a, b = info["data_offsets"]
        raw = data[a:b]
        if info["dtype"] == "BF16":
            u16 = np.frombuffer(raw, dtype=np.uint16).astype(np.uint32) << 16
            arr = u16.view(np.float32)
        else:
            arr = np.frombuffer(raw, dtype=DTYPES[info["dtype"]])
        out[name] = torch.from_numpy(arr.copy().reshape(info["shape"]))
    return out


def load_weights(model_dir):
    index = os.path.join(model_dir, "model.safetensors.index.json")
    files = sorted(set(json.load(open(index))["weight_map"].values())) if os.path.exists(index) else ["model.safetensors"]
    weights = {}
    for f in files:
        weights.update(read_safetensors(os.path.join(model_dir, f)))
    renamed = {}
    for k, v in weights.items():
        for old, new in (("model.language_model.", "language_model.model."), ("model.vision_tower.", "vision_tower."),
                         ("model.multi_modal_projector.", "multi_modal_projector."), ("lm_head.", "language_model.lm_head.")):
            if k.startswith(old):
                k = new + k[len(old):]
                break
        renamed[k] = v
    return renamed


def act(name, x):
    if name == "quick_gelu":
        return x * torch.sigmoid(1.702 * x)
    if name in ("gelu_pytorch_tanh", "gelu_new"):
        return 0.5 * x * (1.0 + torch.tanh(math.sqrt(2.0 / math.pi) * (x + 0.044715 * x.pow(3))))
    if name == "gelu":
        return 0.5 * x * (1.0 + torch.erf(x / math.sqrt(2.0)))
    if name == "silu":
        return x * torch.sigmoid(x)
    raise ValueError(name)


def linear(w, prefix, x, bias=True):
    y = x @ w[prefix + ".weight"].T
    if bias and (prefix + ".bias") in w:
        y = y + w[prefix + ".bias"]
    return y


def layer_norm(w, prefix, x, eps):
    mu = x.mean(-1, keepdim=True)
    var = ((x - mu) ** 2).mean(-1, keepdim=True)
    return (x - mu) / torch.sqrt(var + eps) * w[prefix + ".weight"] + w[prefix + ".bias"]


def vision_tower(w, vc, pixels):
    p = "vision_tower.vision_model."
    clip = vc["model_type"] == "clip_vision_model"
    patch = vc.get("patch_size", 32 if clip else 16)
    eps = vc.get("layer_norm_eps", 1e-5 if clip else 1e-6)
    hidden_act = vc.get("hidden_act", "quick_gelu" if clip else "gelu_pytorch_tanh")
    heads = vc.get("num_attention_heads", 12)
    x = torch.nn.functional.conv2d(pixels, w[p + "embeddings.patch_embedding.weight"],
                                   w.get(p + "embeddings.patch_embedding.bias"), stride=patch)  # [B, D, g, g]
    B, D = x.shape[0], x.shape[1]
    x = x.flatten(2).transpose(1, 2)  # [B, N, D]
    if clip:
        cls = w[p + "embeddings.class_embedding"].expand(B, 1, D)
        x = torch.cat([cls, x], dim=1)
    x = x + w[p + "embeddings.position_embedding.weight"][None]
    if clip:
        x = layer_norm(w, p + "pre_layrnorm", x, eps)
    states = [x]
    hd = D // heads
    for i in range(vc.get("num_hidden_layers", 12)):
        l = p + "encoder.layers.%d." % i
        h = layer_norm(w, l + "layer_norm1", x, eps)
        q = linear(w, l + "self_attn.q_proj", h).view(B, -1, heads, hd).transpose(1, 2)
        k = linear(w, l + "self_attn.k_proj", h).view(B, -1, heads, hd).transpose(1, 2)
        v = linear(w, l + "self_attn.v_proj", h).view(B, -1, heads, hd).transpose(1, 2)
        a = torch.softmax(q @ k.transpose(-1, -2) / math.sqrt(hd), dim=-1) @ v
        x = x + linear(w, l + "self_attn.out_proj", a.transpose(1, 2).reshape(B, -1, D))
        h = layer_norm(w, l + "layer_norm2", x, eps)
        x = x + linear(w, l + "mlp.fc2", act(hidden_act, linear(w, l + "mlp.fc1", h)))
        states.append(x)
    return states, clip


def image_features(w, cfg, pixels):
    vc = cfg["vision_config"]
    states, clip = vision_tower(w, vc, pixels)
    layers = cfg.get("vision_feature_layer", -2)
    layers = layers if isinstance(layers, list) else [layers]
    feats = torch.cat([states[l] for l in layers], dim=-1)
    if cfg.get("vision_feature_select_strategy", "default") == "default" and clip:
        feats = feats[:, 1:]
    act_name = cfg.get("projector_hidden_act", "gelu")
    h = act(act_name, linear(w, "multi_modal_projector.linear_1", feats))
    return linear(w, "multi_modal_projector.linear_2", h)  # [B, N, H]


def inverse_frequencies(tc, d):
    """RoPE inverse frequencies with transformers' rope_scaling applied (default, linear, llama3)."""
    params = tc.get("rope_parameters") or tc.get("rope_scaling") or {}
    theta = params.get("rope_theta", tc.get("rope_theta", 10000.0))
    inv = 1.0 / (theta ** (torch.arange(0, d, 2, dtype=torch.float64) / d))
    kind = params.get("rope_type", params.get("type", "default"))
    if kind == "linear":
        return inv / params["factor"]
    if kind == "llama3":
        factor, low, high = params["factor"], params["low_freq_factor"], params["high_freq_factor"]
        old = params["original_max_position_embeddings"]
        wavelen = 2 * math.pi / inv
        scaled = torch.where(wavelen > old / low, inv / factor, inv)
        smooth = (old / wavelen - low) / (high - low)
        smoothed = (1 - smooth) * scaled / factor + smooth * scaled
        medium = ~(wavelen < old / high) & ~(wavelen > old / low)
        return torch.where(medium, smoothed, scaled)
    assert kind == "default", kind
    return inv


def rope(x, pos, inv):
    d = x.shape[-1]
    ang = pos[..., None].double() * inv  # [B, S, d/2]
    emb = torch.cat([ang, ang], dim=-1)
    cos, sin = emb.cos().to(x.dtype)[:, None], emb.sin().to(x.dtype)[:, None]
    half = torch.cat([-x[..., d // 2:], x[..., : d // 2]], dim=-1)
    return x * cos + half * sin


def decoder(w, tc, embeds, position_ids, attention_mask):
    p = "language_model.model."
    B, S, H = embeds.shape
    heads = tc["num_attention_heads"]
    kvh = tc.get("num_key_value_heads") or heads
    hd = tc.get("head_dim") or H // heads
    eps = tc.get("rms_norm_eps", 1e-6)
    inv = inverse_frequencies(tc, hd)

    def rms(prefix, x):
        return x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + eps) * w[prefix + ".weight"]

    causal = torch.tril(torch.ones(S, S, dtype=torch.bool))
    allowed = causal[None, None] & attention_mask[:, None, None, :].bool()  # [B, 1, S, S]
    x = embeds
    for i in range(tc["num_hidden_layers"]):
        l = p + "layers.%d." % i
        h = rms(l + "input_layernorm", x)
        q = linear(w, l + "self_attn.q_proj", h).view(B, S, heads, hd).transpose(1, 2)
        k = linear(w, l + "self_attn.k_proj", h).view(B, S, kvh, hd).transpose(1, 2)
        v = linear(w, l + "self_attn.v_proj", h).view(B, S, kvh, hd).transpose(1, 2)
        q, k = rope(q, position_ids, inv), rope(k, position_ids, inv)
        k = k.repeat_interleave(heads // kvh, dim=1)
        v = v.repeat_interleave(heads // kvh, dim=1)
        scores = (q @ k.transpose(-1, -2)) / math.sqrt(hd)
        scores = scores.masked_fill(~allowed, torch.finfo(scores.dtype).min)
        a = torch.softmax(scores, dim=-1) @ v
        x = x + linear(w, l + "self_attn.o_proj", a.transpose(1, 2).reshape(B, S, heads * hd), bias=False)
        h = rms(l + "post_attention_layernorm", x)
        g = act("silu", linear(w, l + "mlp.gate_proj", h, bias=False)) * linear(w, l + "mlp.up_proj", h, bias=False)
        x = x + linear(w, l + "mlp.down_proj", g, bias=False)
    x = rms(p + "norm", x)
    head = w.get("language_model.lm_head.weight", w[p + "embed_tokens.weight"])
    return x @ head.T


def main():
    model_dir, inputs_path, out_path = sys.argv[1:4]
    cfg = json.load(open(os.path.join(model_dir, "config.json")))
    inp = json.load(open(inputs_path))
    dtype = torch.float64 if inp.get("dtype") == "float64" else torch.float32
    w = {k: (v.to(dtype) if v.is_floating_point() else v) for k, v in load_weights(model_dir).items()}
    ids = torch.tensor(inp["input_ids"], dtype=torch.long)
    B, S = ids.shape
    mask = torch.tensor(inp["attention_mask"]) if inp.get("attention_mask") else torch.ones(B, S, dtype=torch.long)
    pos = torch.tensor(inp["position_ids"]) if inp.get("position_ids") else (mask.cumsum(-1) - 1).clamp(min=0)
    tc = cfg["text_config"]
    embeds = w["language_model.model.embed_tokens.weight"][ids.clamp(max=tc["vocab_size"] - 1)]
    if inp.get("pixel_values"):
        shape = inp["pixel_shape"]
        raw = np.fromfile(os.path.join(os.path.dirname(inputs_path), inp["pixel_values"]), dtype=np.float32).reshape(shape)
        feats = image_features(w, cfg, torch.from_numpy(raw).to(dtype)).reshape(-1, embeds.shape[-1])
        where = ids == cfg.get("image_token_index", 32000)
        assert int(where.sum()) == feats.shape[0], "image tokens %d != features %d" % (int(where.sum()), feats.shape[0])
        embeds = embeds.clone()
        embeds[where] = feats
    with torch.no_grad():
        logits = decoder(w, tc, embeds, pos, mask)
    logits.numpy().astype(np.float64 if dtype == torch.float64 else np.float32).tofile(out_path)


if __name__ == "__main__":
    main()
