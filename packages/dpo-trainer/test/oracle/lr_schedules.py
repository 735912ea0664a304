# LambdaLR with the lambdas of transformers.optimization (v4.x), copied from its source, driven the way
# transformers' Trainer drives it: optimizer.step() then scheduler.step(). Prints the lr of every update.
import json, math, sys
import torch

def constant(_): return 1.0
def constant_with_warmup(w):
    return lambda s: float(s) / float(max(1.0, w)) if s < w else 1.0
def linear(w, t):
    def f(s):
        if s < w: return float(s) / float(max(1, w))
        return max(0.0, float(t - s) / float(max(1, t - w)))
    return f
def cosine(w, t, num_cycles=0.5):
    def f(s):
        if s < w: return float(s) / float(max(1, w))
        progress = float(s - w) / float(max(1, t - w))
        return max(0.0, 0.5 * (1.0 + math.cos(math.pi * float(num_cycles) * 2.0 * progress)))
    return f

cases = json.loads(sys.argv[1])
out = []
for c in cases:
    t = c['total']
    w = c['warmup_steps'] if c['warmup_steps'] > 0 else math.ceil(t * c['warmup_ratio'])
    fn = {'constant': lambda: constant, 'constant_with_warmup': lambda: constant_with_warmup(w),
          'linear': lambda: linear(w, t), 'cosine': lambda: cosine(w, t)}[c['type']]()
    p = torch.nn.Parameter(torch.zeros(1))
    opt = torch.optim.SGD([p], lr=c['lr'])
    sched = torch.optim.lr_scheduler.LambdaLR(opt, fn)
    lrs = []
    for _ in range(t):
        lrs.append(opt.param_groups[0]['lr'])
        opt.step()
        sched.step()
    out.append({'warmup': w, 'lrs': lrs})
print(json.dumps(out))
