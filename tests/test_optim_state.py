"""Optimizer.state_dict() / load_state_dict() for every optimizer: a training run split across
two optimizers (the second loaded from the first's state_dict) prints what torch prints."""

from __future__ import annotations

import pytest

import difftest_gen as dg

pytest.importorskip("torch")

HEAD = """import torch
import torch.nn as nn
import torch.optim as optim
w = nn.Parameter(torch.tensor([[1.0, -2.0], [0.5, 3.0]], dtype=DT))
b = nn.Parameter(torch.tensor([0.1, -0.1], dtype=DT))
x = torch.tensor([[1.0, 2.0], [3.0, -1.0], [0.2, 0.4]], dtype=DT)
def run(opt, n):
    for i in range(n):
        opt.zero_grad()
        ((x @ w + b) ** 2).sum().backward()
        opt.step()
"""

OPTIMIZERS = ["SGD, dict(lr=0.1)", "SGD, dict(lr=0.1, momentum=0.9, nesterov=True)",
              "Adam, dict(lr=0.01, amsgrad=True)", "Adam, dict(lr=0.01, weight_decay=0.1)", "AdamW, dict(lr=0.01)",
              "RMSprop, dict(lr=0.01, momentum=0.5, centered=True)", "Adagrad, dict(lr=0.1, lr_decay=0.01)"]


def same_as_torch(body: str) -> None:
    problem = dg.mismatch(body.strip("\n") + "\n")
    assert problem is None, problem


@pytest.mark.parametrize("dt", ["torch.float32", "torch.float64"])
@pytest.mark.parametrize("optimizer", OPTIMIZERS)
def test_resume_from_state_dict(dt, optimizer):
    same_as_torch(f"DT = {dt}\n" + HEAD + f"O, kw = optim.{optimizer}\n" + """
opt = O([{'params': [w]}, {'params': [b], 'lr': 0.05}], **kw)
run(opt, 3)
sd = opt.state_dict()
print(sd['param_groups'])
print(sorted(sd['state'][0].keys()), sd['state'][1])
opt2 = O([{'params': [w]}, {'params': [b]}], lr=0.5)
print(opt2.load_state_dict(sd))
print(opt2.param_groups[1]['lr'], opt2.state_dict()['param_groups'] == sd['param_groups'])
print(opt2.state[w])
run(opt2, 2)
print(w, b)
print(opt2)
""")


def test_load_state_dict_errors_and_scheduler_keys():
    same_as_torch("DT = torch.float32\n" + HEAD + """
o = optim.SGD([w], lr=0.1)
for other in (optim.SGD([w, b], lr=0.1), optim.SGD([{'params': [w]}, {'params': [b]}], lr=0.1)):
    try:
        o.load_state_dict(other.state_dict())
    except ValueError as e:
        print(e)
sched = optim.lr_scheduler.StepLR(o, 2)
o.step()
sched.step()
o3 = optim.SGD([w], lr=1.0)
o3.load_state_dict(o.state_dict())
print(o3.param_groups)
o4 = optim.Adam([nn.Parameter(w.detach().double())], lr=0.1)
a = optim.Adam([w], lr=0.1)
run(a, 1)
o4.load_state_dict(a.state_dict())
print({k: v.dtype for k, v in o4.state[o4.param_groups[0]['params'][0]].items()})
""")
