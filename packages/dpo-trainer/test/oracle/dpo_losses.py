# TRL's dpo_loss (trl/trainer/dpo_trainer.py) for the sigmoid, robust, hinge and ipo loss types, plus the RPO
# term, in float64 with autograd. Prints loss and d loss / d (policy_chosen, policy_rejected, ref_chosen, ref_rejected).
import json, sys
import torch
import torch.nn.functional as F

def dpo_loss(c, pc, pr, rc, rr):
    beta, ls = c['beta'], c['label_smoothing']
    logits = (pc - pr) - (rc - rr)
    t = c['loss_type']
    if t == 'sigmoid':
        losses = -F.logsigmoid(beta * logits) * (1 - ls) - F.logsigmoid(-beta * logits) * ls
    elif t == 'robust':
        losses = (-F.logsigmoid(beta * logits) * (1 - ls) + F.logsigmoid(-beta * logits) * ls) / (1 - 2 * ls)
    elif t == 'hinge':
        losses = torch.relu(1 - beta * logits)
    elif t == 'ipo':
        losses = (logits - 1 / (2 * beta)) ** 2
    loss = losses.mean()
    if c.get('rpo_alpha') is not None:
        counts = torch.tensor(c['chosen_tokens'], dtype=torch.float64)
        nll = -(pc.sum() / counts.sum())  # token-mean cross-entropy over the chosen completions
        loss = loss + c['rpo_alpha'] * nll
    return loss

out = []
for c in json.loads(sys.argv[1]):
    xs = [torch.tensor(c[k], dtype=torch.float64, requires_grad=True) for k in ('pc', 'pr', 'rc', 'rr')]
    loss = dpo_loss(c, *xs)
    loss.backward()
    out.append({'loss': loss.item(), 'grads': [x.grad.tolist() for x in xs]})
print(json.dumps(out))
