# SFT loss as transformers computes it: torch cross_entropy over the shifted logits with prompt and padding
# labels at ignore_index (-100), mean over completion tokens; plus the global gradient norm of the trainable
# tensors. Forward: the independent LLaVA reference in packages/models/test/oracle. float64.
#   python3 sft_loss.py REFERENCE_DIR WORK_DIR   (WORK_DIR: config.json, model.safetensors, batch.json)
import json, os, sys
import torch
import torch.nn.functional as F

sys.path.insert(0, sys.argv[1])
from llava_reference import load_weights, decoder  # noqa: E402

work = sys.argv[2]
cfg = json.load(open(os.path.join(work, 'config.json')))
b = json.load(open(os.path.join(work, 'batch.json')))
w = {k: v.double() for k, v in load_weights(work).items()}
params = {n: torch.nn.Parameter(w[n].clone()) for n in b['trainable']}
w.update(params)
ids = torch.tensor(b['input_ids'])
labels = torch.where(torch.tensor(b['completion_mask']) == 1, ids, torch.full_like(ids, -100))
pos = torch.arange(ids.shape[1])[None].expand_as(ids)
logits = decoder(w, cfg['text_config'], w['language_model.model.embed_tokens.weight'][ids], pos, torch.tensor(b['attention_mask']))
loss = F.cross_entropy(logits[:, :-1].reshape(-1, logits.shape[-1]), labels[:, 1:].reshape(-1), ignore_index=-100)
loss.backward()
norm = torch.sqrt(sum((p.grad ** 2).sum() for p in params.values()))
print(json.dumps({'loss': loss.item(), 'grad_norm': norm.item()}))
