"""The warm-up, one-cycle, restart and composite learning-rate schedulers against torch: the
learning rates (and momenta) a run of steps prints, step(epoch) closed forms, state_dict keys
and constructor errors."""

from __future__ import annotations

import pytest

import difftest_gen as dg

pytest.importorskip("torch")

HEAD = """import torch
import torch.nn as nn
import torch.optim as optim
w = nn.Parameter(torch.tensor([1.0, -2.0]))
"""


def same_as_torch(body: str) -> None:
    problem = dg.mismatch(HEAD + body.strip("\n") + "\n")
    assert problem is None, problem


SCHEDULERS = [
    "optim.lr_scheduler.MultiplicativeLR(opt, lr_lambda=lambda e: 0.95)",
    "optim.lr_scheduler.MultiplicativeLR(opt, [lambda e: 0.9, lambda e: 1.0 - e / 100])",
    "optim.lr_scheduler.ConstantLR(opt)", "optim.lr_scheduler.ConstantLR(opt, factor=0.5, total_iters=3)",
    "optim.lr_scheduler.LinearLR(opt)", "optim.lr_scheduler.LinearLR(opt, start_factor=0.1, total_iters=4)",
    "optim.lr_scheduler.LinearLR(opt, 1.0, 0.2, 6)", "optim.lr_scheduler.PolynomialLR(opt)",
    "optim.lr_scheduler.PolynomialLR(opt, total_iters=4, power=2.0)",
    "optim.lr_scheduler.CosineAnnealingWarmRestarts(opt, T_0=3)",
    "optim.lr_scheduler.CosineAnnealingWarmRestarts(opt, T_0=2, T_mult=2, eta_min=0.001)",
    "optim.lr_scheduler.OneCycleLR(opt, max_lr=0.5, total_steps=10)",
    "optim.lr_scheduler.OneCycleLR(opt, max_lr=[0.5, 1.0], epochs=2, steps_per_epoch=5, anneal_strategy='linear')",
    "optim.lr_scheduler.OneCycleLR(opt, max_lr=0.5, total_steps=10, three_phase=True, pct_start=0.25)",
    "optim.lr_scheduler.OneCycleLR(opt, max_lr=0.5, total_steps=10, cycle_momentum=False)",
    "optim.lr_scheduler.SequentialLR(opt, [optim.lr_scheduler.LinearLR(opt, 0.1, total_iters=3), "
    "optim.lr_scheduler.ExponentialLR(opt, 0.9)], milestones=[3])",
    "optim.lr_scheduler.SequentialLR(opt, [optim.lr_scheduler.ConstantLR(opt, 0.5, 2), "
    "optim.lr_scheduler.StepLR(opt, 2), optim.lr_scheduler.CosineAnnealingLR(opt, 4)], milestones=[2, 5])",
    "optim.lr_scheduler.ChainedScheduler([optim.lr_scheduler.ConstantLR(opt, 0.1, 2), "
    "optim.lr_scheduler.ExponentialLR(opt, 0.9)])",
    "optim.lr_scheduler.CyclicLR(opt, base_lr=0.01, max_lr=0.1, step_size_up=3)",
    "optim.lr_scheduler.CyclicLR(opt, 0.01, [0.1, 0.2], step_size_up=2, step_size_down=3, mode='triangular2')",
    "optim.lr_scheduler.CyclicLR(opt, 0.01, 0.1, 2, mode='exp_range', gamma=0.9, cycle_momentum=False)",
    "optim.lr_scheduler.CyclicLR(opt, 0.01, 0.1, 2, scale_fn=lambda x: 0.5 ** x, scale_mode='iterations')",
]


@pytest.mark.parametrize("optimizer", ["SGD", "Adam"])
@pytest.mark.parametrize("make", SCHEDULERS)
def test_schedules(make, optimizer):
    same_as_torch(f"""
b = nn.Parameter(torch.tensor([0.5]))
opt = optim.{optimizer}([{{'params': [w]}}, {{'params': [b], 'lr': 0.2}}], lr=0.1{', momentum=0.9' if optimizer == 'SGD' else ''})
s = {make}
print(s.get_last_lr(), [g['lr'] for g in opt.param_groups])
for step in range(9):
    opt.zero_grad()
    (w * w).sum().backward()
    opt.step()
    s.step()
    print(step, s.get_last_lr(), [g.get('momentum', g.get('betas')) for g in opt.param_groups])
print(w)
print(sorted(k for k in s.state_dict() if k != '_schedulers'), s.state_dict().get('lr_lambdas'))
""")


@pytest.mark.parametrize("make", ["ConstantLR(opt, factor=0.5, total_iters=3)", "LinearLR(opt, 0.2, total_iters=4)",
                                  "PolynomialLR(opt, 4, 2.0)", "CosineAnnealingWarmRestarts(opt, 2, 2)",
                                  "CosineAnnealingWarmRestarts(opt, 3)"])
def test_step_with_epoch(make):
    same_as_torch(f"""
opt = optim.SGD([w], lr=0.1)
s = optim.lr_scheduler.{make}
for e in [3, 1, 7, 0, 5, 10]:
    s.step(e)
    print(e, s.get_last_lr(), s.last_epoch)
""")


ERRORS = ["ConstantLR(opt, factor=2.0)", "LinearLR(opt, start_factor=0)", "LinearLR(opt, end_factor=1.5)",
          "CosineAnnealingWarmRestarts(opt, 0)", "CosineAnnealingWarmRestarts(opt, 2, T_mult=0)",
          "OneCycleLR(opt, 0.1)", "OneCycleLR(opt, 0.1, total_steps=0)", "OneCycleLR(opt, 0.1, 10, pct_start=2)",
          "OneCycleLR(opt, 0.1, 10, anneal_strategy='x')", "OneCycleLR(opt, [0.1, 0.2], 10)",
          "OneCycleLR(optim.Adagrad([w]), 0.1, 10)", "SequentialLR(opt, [], [])",
          "SequentialLR(opt, [optim.lr_scheduler.StepLR(opt, 2)], [1])", "ChainedScheduler([])",
          "MultiplicativeLR(opt, 3)", "MultiplicativeLR(opt, [lambda e: 1.0, lambda e: 1.0])"]


@pytest.mark.parametrize("make", ERRORS)
def test_errors(make):
    same_as_torch(f"""
opt = optim.SGD([w], lr=0.1, momentum=0.9)
try:
    optim.lr_scheduler.{make}
except Exception as e:
    print(type(e).__name__, e)
""")


def test_one_cycle_past_total_steps():
    same_as_torch("""
opt = optim.SGD([w], lr=0.1, momentum=0.9)
s = optim.lr_scheduler.OneCycleLR(opt, 1.0, total_steps=3)
try:
    for i in range(5):
        opt.step()
        s.step()
        print(s.get_last_lr())
except ValueError as e:
    print(e)
""")
