"""Module full backward hooks and pre-hooks (register_full_backward_hook /
register_full_backward_pre_hook) against torch: grad_input/grad_output seen and replaced, the
BackwardHookFunctionBackward nodes, modules whose inputs need no gradient, nested modules,
removal, no_grad and create_graph."""

from __future__ import annotations

import pytest

import difftest_gen as dg

pytest.importorskip("torch")

HEAD = """import torch
import torch.nn as nn
lin = nn.Linear(2, 1)
with torch.no_grad():
    lin.weight.copy_(torch.tensor([[2.0, -1.0]]))
    lin.bias.fill_(0.5)
x = torch.tensor([[1.0, 3.0], [0.5, -1.0]], requires_grad=True)
"""


def same_as_torch(body: str) -> None:
    problem = dg.mismatch(HEAD + body.strip("\n") + "\n")
    assert problem is None, problem


HOOKS = {
    "prints": "def bwd(m, gi, go):\n    print('bwd', type(m).__name__, gi, go)\n",
    "scales": "def bwd(m, gi, go):\n    print('bwd', gi, go)\n    return (gi[0] * 10,)\n",
    "list": "def bwd(m, gi, go):\n    return [gi[0] + 1]\n",
}
PRE = {
    "none": "pre = None\n",
    "prints": "def pre(m, go):\n    print('pre', go)\n",
    "doubles": "def pre(m, go):\n    print('pre', go)\n    return (go[0] * 2,)\n",
}


@pytest.mark.parametrize("hook", list(HOOKS))
@pytest.mark.parametrize("pre", list(PRE))
def test_hooks_on_a_linear(hook, pre):
    same_as_torch(HOOKS[hook] + PRE[pre] + """
h = lin.register_full_backward_hook(bwd)
if pre is not None:
    lin.register_full_backward_pre_hook(pre)
y = lin(x)
print(y.grad_fn.name(), y)
(y * torch.tensor([[1.0], [3.0]])).sum().backward()
print(x.grad, lin.weight.grad, lin.bias.grad)
h.remove()
x.grad = None
lin(x).sum().backward()
print(x.grad)
""")


def test_inputs_without_grad_and_nesting():
    same_as_torch("""
lin.register_full_backward_hook(lambda m, gi, go: print('no-input', gi, go))
y = lin(torch.tensor([[1.0, 3.0]]))
y.sum().backward()
print(lin.weight.grad)
seq = nn.Sequential(nn.Linear(2, 2), nn.ReLU())
with torch.no_grad():
    seq[0].weight.copy_(torch.tensor([[1.0, -1.0], [0.5, 2.0]]))
    seq[0].bias.zero_()
seq.register_full_backward_hook(lambda m, gi, go: print('seq', gi, go))
seq[0].register_full_backward_hook(lambda m, gi, go: print('lin0', type(m).__name__, gi, go))
y = seq(x)
(y * torch.tensor([[1.0, 2.0]])).sum().backward()
print(x.grad)
with torch.no_grad():
    print(seq(x).grad_fn)
g, = torch.autograd.grad(seq(x).pow(2).sum(), x, create_graph=True)
print(g)
""")


def test_forward_hook_sees_the_hooked_input():
    same_as_torch("""
lin.register_forward_hook(lambda m, inp, out: print('forward', inp[0], out))
lin.register_full_backward_hook(lambda m, gi, go: print('backward', gi, go))
lin(x).sum().backward()
""")


def test_wrong_number_of_grad_inputs():
    same_as_torch("""
lin.register_full_backward_hook(lambda m, gi, go: (gi[0], gi[0]))
try:
    lin(x).sum().backward()
except RuntimeError as e:
    print(e)
""")
