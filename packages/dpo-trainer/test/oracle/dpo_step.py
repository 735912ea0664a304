# A torch reimplementation of TRL's DPO step (trl/trainer/dpo_trainer.py: concatenated forward, summed completion
# log-probs with the labels shifted by one, dpo_loss, rpo term) driven as transformers' Trainer drives it
# (loss / accumulation steps, clip_grad_norm_, AdamW with no decay on biases and norms). The forward is the
# independent LLaVA reference in packages/models/test/oracle. float64 throughout.
#   python3 dpo_step.py REFERENCE_DIR WORK_DIR   (WORK_DIR/spec.json in, result JSON on stdout, WORK_DIR/final.bin)
import json, math, os, re, sys
import numpy as np
import torch
import torch.nn.functional as F

sys.path.insert(0, sys.argv[1])
from llava_reference import load_weights, decoder  # noqa: E402

work = sys.argv[2]
spec = json.load(open(os.path.join(work, 'spec.json')))
cfg = json.load(open(os.path.join(work, 'config.json')))
tc = cfg['text_config']
w = {k: v.double() for k, v in load_weights(work).items()}
names = spec['trainable']
params = {n: torch.nn.Parameter(w[n].clone()) for n in names}
ref_w = {k: v.clone() for k, v in w.items()}

def forward(weights, mb):
    ids = torch.tensor(mb['input_ids'])
    mask = torch.tensor(mb['attention_mask'])
    comp = torch.tensor(mb['completion_mask'])
    pos = torch.arange(ids.shape[1])[None].expand_as(ids)
    embeds = weights['language_model.model.embed_tokens.weight'][ids]
    feats = torch.from_numpy(np.fromfile(os.path.join(work, mb['features']), dtype=np.float64)).reshape(-1, embeds.shape[-1])
    where = ids == cfg['image_token_index']
    embeds = embeds.clone()
    embeds[where] = feats
    logits = decoder(weights, tc, embeds, pos, mask)[:, :-1]
    labels = ids[:, 1:]
    loss_mask = comp[:, 1:].double()
    per_token = torch.gather(logits.log_softmax(-1), 2, labels[..., None]).squeeze(-1)
    return (per_token * loss_mask).sum(-1), loss_mask.sum(-1)

def dpo(o, pc, pr, rc, rr):
    beta, ls = o['beta'], o['label_smoothing']
    logits = (pc - pr) - (rc - rr)
    if o['loss_type'] == 'sigmoid':
        losses = -F.logsigmoid(beta * logits) * (1 - ls) - F.logsigmoid(-beta * logits) * ls
    elif o['loss_type'] == 'ipo':
        losses = (logits - 1 / (2 * beta)) ** 2
    elif o['loss_type'] == 'hinge':
        losses = torch.relu(1 - beta * logits)
    else:
        losses = (-F.logsigmoid(beta * logits) * (1 - ls) + F.logsigmoid(-beta * logits) * ls) / (1 - 2 * ls)
    return losses.mean(), beta * (pc - rc).detach(), beta * (pr - rr).detach()

def no_decay(n):
    n = n.lower()
    return n.endswith('.bias') or 'layernorm' in n or 'layer_norm' in n or 'rmsnorm' in n or re.search(r'(^|\.)norm($|\.)|_norm($|\.)', n)

o = spec['objective']
opt_o = spec['optimizer']
groups = [{'params': [params[n] for n in names if not no_decay(n)], 'weight_decay': opt_o['weightDecay']},
          {'params': [params[n] for n in names if no_decay(n)], 'weight_decay': 0.0}]
opt = torch.optim.AdamW(groups, lr=1.0, betas=(opt_o['beta1'], opt_o['beta2']), eps=opt_o['epsilon'])
out = {'steps': []}
for step in spec['steps']:
    for g in opt.param_groups:
        g['lr'] = step['lr']
    opt.zero_grad()
    losses = []
    for mb in step['micro_batches']:
        cur = dict(w)
        cur.update(params)
        lp, counts = forward(cur, mb)
        with torch.no_grad():
            ref_lp, _ = forward(ref_w, mb)
        n = lp.shape[0] // 2
        norm = (lambda x: x / counts) if o['loss_type'] == 'ipo' else (lambda x: x)
        loss, cr, rr_ = dpo(o, norm(lp)[:n], norm(lp)[n:], norm(ref_lp)[:n], norm(ref_lp)[n:])
        if o.get('rpo_alpha') is not None:
            loss = loss + o['rpo_alpha'] * (-(lp[:n].sum() / counts[:n].sum()))
        (loss * mb['weight']).backward()
        losses.append({'loss': loss.item(), 'margins': (cr - rr_).mean().item()})
    norm_ = torch.nn.utils.clip_grad_norm_([params[n] for n in names], spec['max_grad_norm'])
    opt.step()
    out['steps'].append({'micro_batches': losses, 'grad_norm': norm_.item()})
np.concatenate([params[n].detach().numpy().ravel() for n in names]).astype(np.float64).tofile(os.path.join(work, 'final.bin'))
print(json.dumps(out))
