"""F.unfold / F.fold (Im2ColBackward0 / Col2ImBackward0), F.pixel_shuffle / pixel_unshuffle and
their modules against torch: values, gradients (second order), reprs, errors."""

from __future__ import annotations

import pytest

import difftest_gen as dg

pytest.importorskip("torch")

HEAD = "import torch\nimport torch.nn as nn\nimport torch.nn.functional as F\n"


def same_as_torch(body: str) -> None:
    problem = dg.mismatch(HEAD + body.strip("\n") + "\n")
    assert problem is None, problem


@pytest.mark.parametrize("dt", ["torch.float32", "torch.float64"])
@pytest.mark.parametrize("kw", ["2", "(2, 3)", "3, padding=1", "2, stride=2", "2, dilation=2, padding=1",
                                "(3, 2), 1, (1, 0), (2, 1)"])
@pytest.mark.parametrize("batched", [True, False])
def test_unfold_and_fold(dt, kw, batched):
    shape = "(2, 2, 5, 6)" if batched else "(2, 5, 6)"
    same_as_torch(f"""
x = ((torch.arange(float(torch.Size({shape}).numel())) * 37 % 17) / 7 - 1).reshape({shape}).to({dt}).requires_grad_()
u = F.unfold(x, {kw})
print(u, u.grad_fn)
f = F.fold(u, (5, 6), {kw})
print(f, f.grad_fn)
(f * f).sum().backward()
print(x.grad)
if {dt} == torch.float64:
    g, = torch.autograd.grad((F.unfold(x, {kw}) ** 3).sum(), x, create_graph=True)
    print(torch.autograd.grad((g * g).sum(), x))
""")


@pytest.mark.parametrize("r", [1, 2, 3])
def test_pixel_shuffle(r):
    same_as_torch(f"""
x = torch.arange(float(2 * 9 * 2 * 2 * {r * r})).reshape(2, 9 * {r * r}, 2, 2).requires_grad_()
y = F.pixel_shuffle(x, {r})
print(y.shape, y[0, 0], y.grad_fn)
z = F.pixel_unshuffle(y, {r})
print(torch.equal(z, x), z.grad_fn)
(y * torch.arange(float(y.numel())).reshape(y.shape)).sum().backward()
print(x.grad[0, :2])
g, = torch.autograd.grad((F.pixel_shuffle(x.double(), {r}) ** 2).sum(), x, create_graph=True)
print(g.grad_fn)
""")


@pytest.mark.parametrize("expr", ["nn.Unfold(2)", "nn.Unfold((2, 3), padding=1, stride=2)", "nn.Fold((4, 4), 2)",
                                  "nn.PixelShuffle(2)", "nn.PixelUnshuffle(3)", "nn.Unfold(2)(torch.ones(1, 2, 3, 3)).shape",
                                  "nn.Fold((3, 3), 2)(torch.ones(1, 8, 4)).shape", "F.unfold(torch.ones(2, 3), 2)",
                                  "F.unfold(torch.ones(1, 1, 2, 2), 3)", "F.fold(torch.ones(1, 7, 9), (4, 4), 2)",
                                  "F.fold(torch.ones(1, 8, 8), (4, 4), 2)", "F.pixel_shuffle(torch.ones(1, 3, 2, 2), 2)",
                                  "F.pixel_shuffle(torch.ones(4, 2), 2)", "F.pixel_unshuffle(torch.ones(1, 1, 3, 4), 2)"])
def test_modules_and_errors(expr):
    same_as_torch(f"try:\n    print({expr})\nexcept Exception as e:\n    print(type(e).__name__, e)\n")
