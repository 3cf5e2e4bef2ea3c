"""F.interpolate / nn.Upsample against torch: nearest, nearest-exact, linear, bilinear,
trilinear (align_corners both ways) and area; sizes and scale factors; values, grad_fns,
gradients (second order of nearest and bilinear), module reprs and argument errors.

float64 values are positive (no cancellation near 0, where torch's unmodelled rounding order
shows in the 4th printed digit); float32 cases are dyadic (2x, align_corners off, or sizes whose
weights are dyadic), where every rounding is exact."""

from __future__ import annotations

import pytest

import difftest_gen as dg

pytest.importorskip("torch")

HEAD = "import torch\nimport torch.nn as nn\nimport torch.nn.functional as F\n"


def same_as_torch(body: str) -> None:
    problem = dg.mismatch(HEAD + body.strip("\n") + "\n")
    assert problem is None, problem


def values(shape: str, dt: str, den: int) -> str:
    return (f"x = ((torch.arange(float(torch.Size({shape}).numel())) * 37 % 17 + 1) / {den})"
            f".reshape({shape}).to({dt}).requires_grad_()\n")


BODY = """
y = F.interpolate(x, KW)
print(y, y.grad_fn)
(y * y).sum().backward()
print(x.grad)
"""

CASES_2D = ["scale_factor=2", "size=(5, 7)", "scale_factor=0.5", "scale_factor=(2, 3)",
            "scale_factor=3, mode='nearest-exact'", "size=(5, 7), mode='nearest-exact'", "size=(2, 3), mode='area'",
            "scale_factor=2, mode='bilinear'", "size=(5, 7), mode='bilinear'", "scale_factor=1.5, mode='bilinear'",
            "size=(5, 7), mode='bilinear', align_corners=True", "size=(2, 2), mode='bilinear'",
            "scale_factor=(2, 0.5), mode='bilinear', align_corners=True"]


@pytest.mark.parametrize("kw", CASES_2D)
def test_interpolate_2d_float64(kw):
    same_as_torch(values("(2, 2, 3, 4)", "torch.float64", 7) + BODY.replace("KW", kw))


@pytest.mark.parametrize("kw", ["scale_factor=2", "size=(6, 8)", "scale_factor=0.5", "scale_factor=2, mode='bilinear'",
                                "size=(6, 8), mode='bilinear'", "scale_factor=4, mode='nearest-exact'"])
def test_interpolate_2d_float32_dyadic(kw):
    same_as_torch(values("(2, 2, 3, 4)", "torch.float32", 4) + BODY.replace("KW", kw))


@pytest.mark.parametrize("kw", ["scale_factor=2", "size=7", "scale_factor=2.5, mode='linear'",
                                "size=7, mode='linear', align_corners=True", "size=3, mode='area'",
                                "scale_factor=2, mode='nearest-exact'"])
def test_interpolate_1d(kw):
    same_as_torch(values("(2, 3, 4)", "torch.float64", 7) + BODY.replace("KW", kw))


@pytest.mark.parametrize("kw", ["scale_factor=2", "size=(3, 5, 2)", "scale_factor=2, mode='trilinear'",
                                "size=(3, 5, 2), mode='trilinear', align_corners=True"])
def test_interpolate_3d(kw):
    same_as_torch(values("(1, 2, 2, 3, 2)", "torch.float64", 7) + BODY.replace("KW", kw))


@pytest.mark.parametrize("kw", ["scale_factor=2", "size=(5, 7), mode='bilinear'"])
def test_second_order(kw):
    same_as_torch(values("(1, 2, 3, 4)", "torch.float64", 7) + f"y = F.interpolate(x, {kw})\n" + """
g, = torch.autograd.grad((y ** 3).sum(), x, create_graph=True)
print(g, g.grad_fn)
print(torch.autograd.grad((g * g).sum(), x))
""")


@pytest.mark.parametrize("make", ["nn.Upsample(scale_factor=2)", "nn.Upsample(size=(3, 4), mode='bilinear', "
                                  "align_corners=False)", "nn.Upsample(scale_factor=2.0, mode='bilinear', "
                                  "align_corners=True)", "nn.UpsamplingNearest2d(scale_factor=2)",
                                  "nn.UpsamplingBilinear2d(scale_factor=2)", "nn.Upsample(scale_factor=(2, 1))"])
def test_modules(make):
    same_as_torch(values("(1, 2, 3, 4)", "torch.float64", 7) + f"m = {make}\nprint(m)\ny = m(x)\n" + """
print(y, y.grad_fn)
y.sum().backward()
print(x.grad)
""")


@pytest.mark.parametrize("expr", ["F.interpolate(x, size=3, scale_factor=2)", "F.interpolate(x)",
                                  "F.interpolate(x, scale_factor=2, mode='linear')",
                                  "F.interpolate(x, scale_factor=2, mode='foo')",
                                  "F.interpolate(x, scale_factor=2, align_corners=True)",
                                  "F.interpolate(x, size=(2, 3, 4))",
                                  "F.interpolate(x, scale_factor=2, mode='bilinear', align_corners=None).shape"])
def test_errors(expr):
    same_as_torch("x = torch.ones(1, 1, 3, 4)\n" + f"try:\n    print({expr})\nexcept Exception as e:\n"
                  "    print(type(e).__name__, e)\n")
