"""The op matrix's fixed classes stay fixed: tests/op_matrix.py's calls (every dtype × a few
argument lists) for the ops whose differences from torch were fixed, plus the calls beside
the matrix that those fixes were about, compared with torch 2.13 kind by kind."""

from __future__ import annotations

import re
import sys
import warnings
from pathlib import Path

import pytest

torch = pytest.importorskip("torch")
sys.path.insert(0, str(Path(__file__).resolve().parent))
from op_matrix import INPUTS, _gradcli, _torch, calls, kind_of  # noqa: E402

SETUP = "import torch\nimport torch.nn.functional as F\na = {}\n"
ALL = ("value", "gradcli-error", "bug", "torch-error", "message")
RAN = ("value", "gradcli-error", "bug")  # torch ran the call: gradcli must run it alike

# (family, op) -> the kinds of difference none of its matrix calls may show
MATRIX = {
    ("fn", "pow"): ALL, ("m", "pow_"): ALL, ("fn", "remainder"): RAN, ("m", "remainder_"): RAN,
    ("fn", "xlogy"): ALL, ("fn", "chunk"): RAN, ("fn", "adjoint"): ALL, ("m", "heaviside"): ALL,
    ("fn", "add"): RAN, ("m", "sub"): RAN, ("fn", "rsub"): RAN, ("m", "subtract"): RAN,
    ("m", "logical_and_"): ALL, ("m", "logical_not_"): ALL, ("m", "to"): RAN, ("fn", "linspace"): RAN,
    ("fn", "logspace"): RAN, ("F", "glu"): RAN, ("F", "elu"): ALL, ("F", "celu"): ALL, ("F", "softplus"): ALL,
    ("F", "leaky_relu"): ALL, ("F", "hardtanh_"): ALL, ("F", "hardtanh"): ALL, ("fn", "logit"): RAN,
    ("fn", "argmax"): RAN, ("fn", "median"): RAN, ("m", "dot"): ALL, ("fn", "matmul"): ALL, ("fn", "lerp"): ALL,
    ("fn", "clamp"): ("value", "gradcli-error", "bug", "torch-error"), ("fn", "topk"): RAN,
}

# calls beside the matrix: (input of a, expression)
CASES = [
    ("int64", "torch.pow(a, torch.tensor([-1, -2, 1]))"), ("int64", "torch.tensor([1, -1, 2, -2, 0]) ** -a[0]"),
    ("int64", "(-1) ** a"), ("int64", "torch.tensor(-1, dtype=torch.int8) ** a"), ("int64", "a % 0"),
    ("int64", "a // torch.tensor([1, 0, 2])"), ("int64", "torch.div(a, 0, rounding_mode='trunc')"),
    ("f32", "torch.remainder(-0.0 * a, 1)"), ("f32", "a % -1"), ("f32 requires_grad", "5 % a"),
    ("f32 requires_grad", "torch.xlogy(2, a)"), ("f32 requires_grad", "torch.xlogy(a, -1)"),
    ("f32 requires_grad", "torch.xlogy(a, 2.5)"), ("f32", "torch.logit(a, 0.9)"),
    ("f32 requires_grad", "torch.add(a, 2, a)"), ("f32 requires_grad", "a.sub(torch.tensor(2.), 3)"),
    ("f32 requires_grad", "torch.rsub(a, 2, 3)"), ("f32 requires_grad", "torch.subtract(a, 2, 3)"),
    ("f32 requires_grad", "a.subtract(2, alpha=3)"), ("int64", "torch.add(a, 1, alpha=2.5)"),
    ("f32", "torch.add(a, 1, alpha=True)"), ("bool", "torch.add(a, True, alpha=True)"),
    ("empty", "torch.chunk(a, 3)"), ("f32 requires_grad", "torch.heaviside(a.detach(), a)"),
    ("f32 requires_grad", "a.logical_or_(a)"), ("f32", "a.to(float)"), ("f32", "a.to('cpu', int)"),
    ("f32", "a.to(False)"), ("f32", "a.to(-1)"), ("0-d int", "torch.linspace(0, 1, a)"),
    ("0-d int", "torch.logspace(a.reshape(1), 2, 3)"), ("f32", "F.elu(-a, -1)"), ("f32", "F.selu(-0.0 * a)"),
    ("empty", "bool(a)"), ("f32", "int(a)"), ("bool", "a.pow(True)"), ("bool", "a.pow(False)"),
    ("bool", "a % a"), ("bool", "a // True"), ("bool", "torch.div(a, a, rounding_mode='trunc')"),
    ("bool", "torch.mm(a.reshape(3, 1), a.reshape(1, 3))"), ("bool", "torch.mv(a.reshape(1, 3), a)"),
    ("bool", "torch.bmm(a.reshape(1, 1, 3), a.reshape(1, 3, 1))"), ("bool", "torch.inner(a, a)"),
    ("bool", "torch.trace(a)"), ("bool", "torch.clamp(a, a, a)"), ("bool", "torch.clamp(a, a)"),
    ("int64", "torch.lerp(a, a, a)"), ("bool", "torch.zeros(0, 0, dtype=torch.bool).mm(torch.zeros(0, 2, dtype=torch.bool))"),
    ("bool", "torch.zeros(0, dtype=torch.bool).median()"), ("bool", "torch.argmax(a)"), ("bool", "a.argmin(0)"),
    ("bool", "torch.topk(a, 1)"), ("bool", "torch.median(a)"), ("bool", "torch.dot(a, a)"), ("bool", "a @ a"),
    ("bool", "a ** a"), ("int64", "torch.lerp(a, a, 0.5)"), ("bool", "a.cumsum_(0)"), ("bool", "a.cumprod(0, dtype=torch.bool)"),
    ("0-d int", "a.cumsum(0, dtype=torch.bool)"), ("int64", "a.cumsum(0, dtype=torch.int32)"), ("int64", "a.sum(dtype=torch.bool)"),
    ("int64", "a.sum(0, dtype=torch.int8)"), ("0-d", "a.flatten(1)"), ("0-d", "a.unbind(1)"), ("f32", "torch.reshape(a, -1)"),
    ("f32", "torch.reshape(a, 2, 3)"), ("f32", "torch.permute(a, 0)"), ("f32", "torch.reshape(a, shape=(6,))"),
    ("f32 requires_grad", "torch.Tensor(a)"), ("f32", "F.linear(a, a, a)"), ("f32", "F.linear(a, a, torch.ones(2, 2, 2))"),
    ("f32", "F.bilinear(a, a, a)"), ("f32", "F.bilinear(a, a, torch.ones(2, 3, 3, 1))"), ("int64", "F.cosine_similarity(a, a)"),
    ("int64", "F.cosine_similarity(a, a.float())"), ("f32 requires_grad", "F.binary_cross_entropy(a, a, a)"),
    ("f32 requires_grad", "F.binary_cross_entropy_with_logits(a.detach(), a.detach(), pos_weight=a)"),
    ("int64", "a.clamp_(0.5)"), ("bool", "a.clamp_max_(1)"), ("bool", "a.clamp(False, True)"), ("bool", "a.clamp_min(True)"),
    ("bool", "a.topk(-1)"), ("0-d", "a.chunk(0)"), ("f32", "a.adjoint()"), ("0-d", "F.linear(a, a)"),
    ("0-d", "F.bilinear(a, a, a)"), ("0-d", "F.cross_entropy(a, a)"), ("f32 requires_grad", "F.nll_loss(a, a, a)"),
    ("f32", "F.cross_entropy(a, a, a)"), ("f32", "F.nll_loss(a, a)"), ("f32", "a.masked_fill(a, a)"),
    ("f32 requires_grad", "a.div_(2)"), ("0-d", "F.glu(a, 0.5)"), ("0-d int", "F.cross_entropy(a, a)"),
    ("0-d", "F.linear(a, a, a)"), ("int64", "F.linear(a, torch.ones(2, 3), torch.ones(2))"),
    ("f32", "F.linear(a, torch.ones(2, 3), torch.ones(2).long())"), ("int64", "a.softmax(0)"),
    ("int64", "F.log_softmax(a, 0)"), ("int64", "a.softmax(-1)"), ("int64", "a.softmax(5)"), ("bool", "a.unsqueeze(1).median(1)"),
]


def _compare(input_name: str, expr: str):
    source = INPUTS[input_name]
    ours = re.sub(r"0x[0-9a-f]+", "0x…", _gradcli(SETUP.format(source), expr))
    theirs = re.sub(r"0x[0-9a-f]+", "0x…", _torch(torch, source, expr))
    return ours, theirs


@pytest.mark.parametrize(("family", "op"), sorted(MATRIX))
def test_matrix_of_op_matches_torch(family, op):
    warnings.filterwarnings("ignore")
    found = []
    for _, input_name, _, expr in calls(family, [op]):
        ours, theirs = _compare(input_name, expr)
        kind = kind_of(ours, theirs)
        if kind in MATRIX[family, op]:
            found.append(f"{kind}: {expr} (a: {input_name})\n  gradcli: {ours!r}\n  torch:   {theirs!r}")
    assert not found, "\n".join(found)


@pytest.mark.parametrize(("input_name", "expr"), CASES)
def test_call_matches_torch(input_name, expr):
    warnings.filterwarnings("ignore")
    ours, theirs = _compare(input_name, expr)
    assert ours == theirs


_GLU_PROGRAM = """import torch
import torch.nn.functional as F
x = (torch.arange(8.).reshape(2, 4) * 0.37 - 1.1).requires_grad_()
y = F.glu(x, 0)
g, = torch.autograd.grad((y * torch.arange(4.).reshape(1, 4)).sum(), x, create_graph=True)
h, = torch.autograd.grad((g * g).sum(), x, create_graph=True)
gy = torch.ones_like(y, requires_grad=True)
g2, = torch.autograd.grad(y, x, gy, create_graph=True)
"""


def test_glu_is_its_own_op_to_the_second_order():
    result = "(y, g, h, g2, torch.autograd.grad(g2.sum() + (g2 * g2).sum(), [x, gy]))"
    env = {}
    exec(_GLU_PROGRAM, env)  # noqa: S102 - this test's own program, under PyTorch
    expected = eval(result, env)  # noqa: S307 - this test's own expression, under PyTorch
    assert _gradcli(_GLU_PROGRAM, result) == str(expected)
