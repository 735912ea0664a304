"""Independent PyTorch forward of Qwen2-VL (HF Qwen2VLForConditionalGeneration semantics, plain torch ops).

No `transformers` import: written from modeling_qwen2_vl.py / image_processing_qwen2_vl.py's semantics with
their own mechanisms (Conv3d for the patch embedding, reshape/permute for patch positions, per-frame attention
blocks, split/cat M-RoPE sections, the Python rope-index loop), so it checks the TypeScript graphs' equivalents.

    python3 qwen2_vl_reference.py MODEL_DIR INPUTS.json OUT_PREFIX

INPUTS.json: {"input_ids": [[...]], "attention_mask": [[...]], "images": [{"file": "img0.bin", "shape": [C,H,W]}],
              "dtype": "float64"}; images are normalized pixels, flattened here as Qwen2VLImageProcessor does.
Writes OUT_PREFIX.logits.bin [B,S,V], OUT_PREFIX.positions.bin int64 [3,B,S], OUT_PREFIX.patches.bin [N, C·T·p·p].
"""
import json
import math
import os
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(__file__))
from llava_reference import act, layer_norm, linear, read_safetensors  # noqa: E402


def load_weights(model_dir):
    index = os.path.join(model_dir, "model.safetensors.index.json")
    files = sorted(set(json.load(open(index))["weight_map"].values())) if os.path.exists(index) else ["model.safetensors"]
    w = {}
    for f in files:
        w.update(read_safetensors(os.path.join(model_dir, f)))
    return w


def flatten_image(img, vc):
    """Qwen2VLImageProcessor._preprocess after normalization: tile to T frames, cut p×p patches in 2×2 merge order."""
    p, T, m = vc["patch_size"], vc.get("temporal_patch_size", 2), vc.get("spatial_merge_size", 2)
    C, H, W = img.shape
    gh, gw = H // p, W // p
    x = img[None].repeat(T, 1, 1, 1)  # [T, C, H, W]
    x = x.reshape(1, T, C, gh // m, m, p, gw // m, m, p).permute(0, 3, 6, 4, 7, 2, 1, 5, 8)
    return x.reshape(gh * gw, C * T * p * p), [1, gh, gw]


def rotate_half(x):
    d = x.shape[-1] // 2
    return torch.cat([-x[..., d:], x[..., :d]], dim=-1)


def vision(w, vc, patches, grids):
    D, heads, m = vc["embed_dim"], vc["num_heads"], vc.get("spatial_merge_size", 2)
    C, T, p = vc.get("in_chans", 3), vc.get("temporal_patch_size", 2), vc["patch_size"]
    hd = D // heads
    x = torch.nn.functional.conv3d(patches.view(-1, C, T, p, p), w["visual.patch_embed.proj.weight"], stride=(T, p, p)).view(-1, D)
    # 2-D rotary ids as HF rot_pos_emb builds them.
    pos = []
    for t, h, ww in grids:
        hp = torch.arange(h)[:, None].expand(-1, ww).reshape(h // m, m, ww // m, m).permute(0, 2, 1, 3).flatten()
        wp = torch.arange(ww)[None, :].expand(h, -1).reshape(h // m, m, ww // m, m).permute(0, 2, 1, 3).flatten()
        pos.append(torch.stack([hp, wp], dim=-1).repeat(t, 1))
    pos = torch.cat(pos)
    dim = hd // 2
    inv = 1.0 / (10000 ** (torch.arange(0, dim, 2, dtype=torch.float64) / dim))
    table = torch.outer(torch.arange(max(max(g[1], g[2]) for g in grids), dtype=torch.float64), inv)
    freqs = table[pos].flatten(1)  # [N, hd/2]
    emb = torch.cat([freqs, freqs], dim=-1)
    cos, sin = emb.cos().to(x.dtype), emb.sin().to(x.dtype)
    bounds = [0]
    for t, h, ww in grids:
        for _ in range(t):
            bounds.append(bounds[-1] + h * ww)
    for i in range(vc["depth"]):
        b = "visual.blocks.%d." % i
        hN = layer_norm(w, b + "norm1", x, 1e-6)
        q, k, v = linear(w, b + "attn.qkv", hN).reshape(-1, 3, heads, hd).permute(1, 0, 2, 3).unbind(0)  # [N, h, hd]
        q = q * cos[:, None] + rotate_half(q) * sin[:, None]
        k = k * cos[:, None] + rotate_half(k) * sin[:, None]
        out = torch.empty_like(q)
        for a, e in zip(bounds[:-1], bounds[1:]):
            qs, ks, vs = q[a:e].transpose(0, 1), k[a:e].transpose(0, 1), v[a:e].transpose(0, 1)
            att = torch.softmax(qs @ ks.transpose(-1, -2) / math.sqrt(hd), dim=-1)
            out[a:e] = (att @ vs).transpose(0, 1)
        x = x + linear(w, b + "attn.proj", out.reshape(-1, D))
        hN = layer_norm(w, b + "norm2", x, 1e-6)
        x = x + linear(w, b + "mlp.fc2", act(vc.get("hidden_act", "quick_gelu"), linear(w, b + "mlp.fc1", hN)))
    x = layer_norm(w, "visual.merger.ln_q", x, 1e-6).view(-1, D * m * m)
    return linear(w, "visual.merger.mlp.2", act("gelu", linear(w, "visual.merger.mlp.0", x)))


def rope_index(cfg, ids, mask, grids):
    """HF get_rope_index (images): text advances all axes; an image block takes (t, h, w) offsets from its start."""
    m = cfg["vision_config"].get("spatial_merge_size", 2)
    B, S = ids.shape
    out = torch.ones(3, B, S, dtype=torch.long)
    image = 0
    for i in range(B):
        row = ids[i][mask[i] == 1].tolist()
        starts = [j for j, x in enumerate(row[:-1]) if x == cfg["vision_start_token_id"] and row[j + 1] == cfg["image_token_id"]]
        parts, st = [], 0
        for _ in starts:
            ed = row.index(cfg["image_token_id"], st)
            t, h, ww = grids[image]
            image += 1
            gt, gh, gw = t, h // m, ww // m
            st_idx = parts[-1].max() + 1 if parts else 0
            parts.append(torch.arange(ed - st).view(1, -1).expand(3, -1) + st_idx)
            ti = torch.arange(gt).view(-1, 1).expand(-1, gh * gw).flatten()
            hi = torch.arange(gh).view(1, -1, 1).expand(gt, -1, gw).flatten()
            wi = torch.arange(gw).view(1, 1, -1).expand(gt, gh, -1).flatten()
            parts.append(torch.stack([ti, hi, wi]) + (ed - st) + st_idx)
            st = ed + gt * gh * gw
        if st < len(row):
            st_idx = parts[-1].max() + 1 if parts else 0
            parts.append(torch.arange(len(row) - st).view(1, -1).expand(3, -1) + st_idx)
        out[:, i, mask[i] == 1] = torch.cat(parts, dim=1)
    return out


def decoder(w, cfg, embeds, pos, mask):
    B, S, H = embeds.shape
    heads, kvh = cfg["num_attention_heads"], cfg["num_key_value_heads"]
    hd = H // heads
    eps, theta = cfg.get("rms_norm_eps", 1e-6), cfg.get("rope_theta", 1e6)
    section = cfg["rope_scaling"]["mrope_section"]
    inv = 1.0 / (theta ** (torch.arange(0, hd, 2, dtype=torch.float64) / hd))
    freqs = pos.double()[..., None] * inv  # [3, B, S, hd/2]
    emb = torch.cat([freqs, freqs], dim=-1)  # [3, B, S, hd]
    # apply_multimodal_rotary_pos_emb: sections (doubled for the two halves) cycle through t, h, w.
    pick = lambda x: torch.cat([c[i % 3] for i, c in enumerate(x.split(section * 2, dim=-1))], dim=-1)[:, None]
    cos, sin = pick(emb.cos()).to(embeds.dtype), pick(emb.sin()).to(embeds.dtype)  # [B, 1, S, hd]

    def rms(prefix, x):
        return x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + eps) * w[prefix + ".weight"]

    allowed = torch.tril(torch.ones(S, S, dtype=torch.bool))[None, None] & mask[:, None, None, :].bool()
    x = embeds
    for i in range(cfg["num_hidden_layers"]):
        l = "model.layers.%d." % i
        h = rms(l + "input_layernorm", x)
        q = linear(w, l + "self_attn.q_proj", h).view(B, S, heads, hd).transpose(1, 2)
        k = linear(w, l + "self_attn.k_proj", h).view(B, S, kvh, hd).transpose(1, 2)
        v = linear(w, l + "self_attn.v_proj", h).view(B, S, kvh, hd).transpose(1, 2)
        q, k = q * cos + rotate_half(q) * sin, k * cos + rotate_half(k) * sin
        k, v = k.repeat_interleave(heads // kvh, dim=1), v.repeat_interleave(heads // kvh, dim=1)
        scores = (q @ k.transpose(-1, -2) / math.sqrt(hd)).masked_fill(~allowed, torch.finfo(embeds.dtype).min)
        a = torch.softmax(scores, dim=-1) @ v
        x = x + linear(w, l + "self_attn.o_proj", a.transpose(1, 2).reshape(B, S, heads * hd), bias=False)
        h = rms(l + "post_attention_layernorm", x)
        x = x + linear(w, l + "mlp.down_proj", act("silu", linear(w, l + "mlp.gate_proj", h, False)) * linear(w, l + "mlp.up_proj", h, False), False)
    x = rms("model.norm", x)
    return x @ w.get("lm_head.weight", w["model.embed_tokens.weight"]).T


def main():
    model_dir, inputs_path, out = sys.argv[1:4]
    cfg = json.load(open(os.path.join(model_dir, "config.json")))
    inp = json.load(open(inputs_path))
    dtype = torch.float64 if inp.get("dtype") == "float64" else torch.float32
    w = {k: v.to(dtype) for k, v in load_weights(model_dir).items()}
    ids = torch.tensor(inp["input_ids"], dtype=torch.long)
    mask = torch.tensor(inp["attention_mask"], dtype=torch.long)
    base = os.path.dirname(inputs_path)
    flat, grids = [], []
    for im in inp.get("images", []):
        raw = np.fromfile(os.path.join(base, im["file"]), dtype=np.float32).reshape(im["shape"])
        f, g = flatten_image(torch.from_numpy(raw).to(dtype), cfg["vision_config"])
        flat.append(f)
        grids.append(g)
    embeds = w["model.embed_tokens.weight"][ids].clone()
    with torch.no_grad():
        if flat:
            patches = torch.cat(flat)
            patches.numpy().astype(np.float32).tofile(out + ".patches.bin")
            feats = vision(w, cfg["vision_config"], patches, grids)
            where = ids == cfg["image_token_id"]
            assert int(where.sum()) == feats.shape[0], "image tokens %d != features %d" % (int(where.sum()), feats.shape[0])
            embeds[where] = feats
        pos = rope_index(cfg, ids, mask, grids)
        logits = decoder(w, cfg, embeds, pos, mask)
    pos.numpy().astype(np.int64).tofile(out + ".positions.bin")
    logits.numpy().astype(np.float64 if dtype == torch.float64 else np.float32).tofile(out + ".logits.bin")


if __name__ == "__main__":
    main()
