"""Pooling (F.max_pool*/avg_pool*/adaptive_avg_pool*, nn.MaxPool*/AvgPool*/AdaptiveAvgPool*)
compared with torch by running the same program under both: values, indices, grad_fns,
gradients and second derivatives over kernel x stride x padding x ceil_mode, errors, reprs."""

from __future__ import annotations

import pytest

import difftest_gen as dg

pytest.importorskip("torch")

HEAD = "import torch\nimport torch.nn as nn\nimport torch.nn.functional as F\n"


def same_as_torch(body: str) -> None:
    problem = dg.mismatch(HEAD + body.strip("\n") + "\n")
    assert problem is None, problem


def tried(expr: str) -> str:
    return (f"try:\n    print({expr})\nexcept Exception as e:\n"
            "    print(type(e).__name__, e)\n")


def values(shape: str, dt: str) -> str:
    """x: irregular values with ties, made without an op whose rounding could differ."""
    return (f"x = ((torch.arange(float(torch.Size({shape}).numel())) * 37 % 23) / 7 - 1)"
            f".reshape({shape}).to({dt}).requires_grad_()\n")


DTYPES = ["torch.float32", "torch.float64"]
GEOMETRY = ["2", "3", "(2, 3)", "3, stride=1", "3, stride=2, padding=1", "2, stride=1, padding=1",
            "3, stride=2, ceil_mode=True", "(3, 2), stride=(2, 1), padding=(1, 0), ceil_mode=True"]
BODY = """
y = CALL
print(y, y.grad_fn)
(y * y * c).sum().backward()
print(x.grad)
"""


@pytest.mark.parametrize("dt", DTYPES)
@pytest.mark.parametrize("geometry", GEOMETRY + ["3, dilation=2", "2, stride=1, dilation=(1, 2), padding=1"])
@pytest.mark.parametrize("shape", ["(2, 2, 5, 7)", "(3, 6, 5)"])
def test_max_pool2d(dt, geometry, shape):
    same_as_torch(values(shape, dt) + "c = 1.5\n" + BODY.replace("CALL", f"F.max_pool2d(x, {geometry})")
                  + f"print(F.max_pool2d(x, {geometry}, return_indices=True)[1])\n")


@pytest.mark.parametrize("dt", DTYPES)
@pytest.mark.parametrize("geometry", GEOMETRY)
@pytest.mark.parametrize("flags", ["", ", count_include_pad=False", ", divisor_override=3"])
@pytest.mark.parametrize("shape", ["(2, 2, 5, 7)", "(3, 6, 5)"])
def test_avg_pool2d(dt, geometry, flags, shape):
    same_as_torch(values(shape, dt) + "c = 1.5\n" + BODY.replace("CALL", f"F.avg_pool2d(x, {geometry}{flags})"))


@pytest.mark.parametrize("dt", DTYPES)
@pytest.mark.parametrize("call", ["F.max_pool1d(x, 2)", "F.max_pool1d(x, 3, stride=2, padding=1, ceil_mode=True)",
                                  "F.max_pool1d(x, 2, return_indices=True)[0]", "F.avg_pool1d(x, 2)",
                                  "F.avg_pool1d(x, 3, 2, 1, True, False)", "F.adaptive_avg_pool1d(x, 3)",
                                  "F.adaptive_avg_pool1d(x, 1)"])
@pytest.mark.parametrize("shape", ["(2, 3, 7)", "(3, 8)"])
def test_pool1d(dt, call, shape):
    same_as_torch(values(shape, dt) + "c = 1.5\n" + BODY.replace("CALL", call))


@pytest.mark.parametrize("dt", DTYPES)
@pytest.mark.parametrize("size", ["1", "(1, 1)", "2", "(2, 3)", "(3, None)", "(4, 7)", "(5, 9)"])
@pytest.mark.parametrize("shape", ["(2, 2, 5, 7)", "(3, 6, 5)"])
def test_adaptive_avg_pool2d(dt, size, shape):
    same_as_torch(values(shape, dt) + "c = 1.5\n" + BODY.replace("CALL", f"F.adaptive_avg_pool2d(x, {size})"))


@pytest.mark.parametrize("call", ["F.max_pool2d(x, 2)", "F.max_pool2d(x, 3, 1, 1)", "F.avg_pool2d(x, 2)",
                                  "F.avg_pool2d(x, 3, 2, 1)", "F.adaptive_avg_pool2d(x, (2, 3))",
                                  "F.max_pool3d(x.unsqueeze(0), 2)", "F.avg_pool3d(x.unsqueeze(0), 2, 1)"])
def test_pool_second_order(call):
    same_as_torch(values("(2, 4, 6)", "torch.float64") + f"""
y = {call}
g, = torch.autograd.grad((y * y).sum(), x, create_graph=True)
print(g, g.grad_fn)
print(torch.autograd.grad((g * g * x).sum(), x))
""")


def test_max_pool_nan_and_inf():
    same_as_torch("""
x = torch.tensor([[[1.0, float('nan'), 3.0, float('nan')], [float('-inf'), float('-inf'), 2.0, 2.0],
                   [5.0, 5.0, 1.0, 0.0]]], requires_grad=True)
y, i = F.max_pool2d(x, 2, 1, return_indices=True)
print(y, i)
y.sum().backward()
print(x.grad)
z = torch.full((1, 3, 3), float('-inf'), requires_grad=True)
print(F.max_pool2d(z, 3, 2, 1, return_indices=True))
print(F.max_pool2d(torch.arange(12).reshape(1, 3, 4), 2))
""")


ERRORS = ["F.max_pool2d(x, 3, padding=2)", "F.max_pool2d(x, 6)", "F.max_pool2d(torch.ones(5, 5), 2)",
          "F.max_pool2d(x, 0)", "F.max_pool2d(x, 2, stride=0)", "F.avg_pool2d(x, 3, padding=2)",
          "F.avg_pool2d(x, 6)", "F.avg_pool2d(torch.ones(5, 5), 2)", "F.avg_pool2d(x, 2, divisor_override=0)",
          "F.max_pool2d(x, (2, 2, 2))", "F.avg_pool2d(x, 2, stride=(1, 2, 3))", "F.adaptive_avg_pool2d(torch.ones(5), 2)",
          "F.max_pool1d(torch.ones(5), 2)", "F.avg_pool1d(torch.ones(5), 2)", "F.max_pool2d(3, 2)",
          "F.avg_pool2d(x.long(), 2)", "F.max_pool2d(x, 2, stride=[])"]


@pytest.mark.parametrize("expr", ERRORS)
def test_pool_errors(expr):
    same_as_torch("x = torch.arange(50.0).reshape(1, 2, 5, 5)\n" + tried(expr))


MODULES = ["nn.MaxPool1d(2)", "nn.MaxPool2d((2, 3), stride=1, padding=1, ceil_mode=True)", "nn.MaxPool2d(2)",
           "nn.MaxPool2d(2, return_indices=True)", "nn.MaxPool3d(2)", "nn.AvgPool1d(2)", "nn.AvgPool1d(3, 1, 1)",
           "nn.AvgPool2d(2)", "nn.AvgPool2d((2, 2), stride=1, padding=1, ceil_mode=True, count_include_pad=False)",
           "nn.AvgPool2d(3, divisor_override=2)", "nn.AvgPool3d(2)", "nn.AdaptiveAvgPool1d(3)",
           "nn.AdaptiveAvgPool2d((2, None))", "nn.AdaptiveAvgPool2d(1)", "nn.AdaptiveAvgPool2d((1, 1))"]


@pytest.mark.parametrize("make", MODULES)
def test_pool_modules(make):
    dims = "(2, 3, 7)" if "1d" in make else "(2, 2, 3, 4, 5)" if "3d" in make else "(2, 3, 5, 6)"
    same_as_torch(values(dims, "torch.float32") + f"m = {make}\nprint(m)\ny = m(x)\n" + """
out = y[0] if isinstance(y, tuple) else y
print(y)
out.sum().backward()
print(x.grad)
""")


def test_small_cnn_training_loop():
    same_as_torch("""
torch.manual_seed(0)
model = nn.Sequential(nn.Conv2d(1, 4, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(4, 8, 3), nn.ReLU(),
                      nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(8, 3))
print(model)
with torch.no_grad():
    for p in model.parameters():
        p.copy_((torch.arange(float(p.numel())) * 37 % 19 / 16 - 0.5).reshape(p.shape))
x = (torch.arange(2 * 1 * 8 * 8.0) * 29 % 17 / 8).reshape(2, 1, 8, 8)
target = torch.tensor([0, 2])
opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
for step in range(3):
    opt.zero_grad()
    loss = F.cross_entropy(model(x), target)
    loss.backward()
    opt.step()
    print(step, loss)
print(model[0].weight.grad)
""")


ADAPTIVE_MAX = [("F.adaptive_max_pool2d", "x, 2"), ("F.adaptive_max_pool2d", "x, (3, None)"),
                ("F.adaptive_max_pool2d", "x, (4, 7)"), ("F.adaptive_max_pool2d", "x, 1"),
                ("F.adaptive_max_pool1d", "x.flatten(-2), 4"), ("F.adaptive_max_pool1d", "x.flatten(-2), 3")]


@pytest.mark.parametrize("dt", DTYPES)
@pytest.mark.parametrize("fn, args", ADAPTIVE_MAX)
@pytest.mark.parametrize("shape", ["(2, 2, 5, 7)", "(3, 6, 5)"])
def test_adaptive_max_pool(dt, fn, args, shape):
    same_as_torch(values(shape, dt) + "c = 1.5\n" + BODY.replace("CALL", f"{fn}({args})")
                  + f"print({fn}({args}, return_indices=True))\n")


def test_adaptive_max_pool_nan_modules_and_errors():
    same_as_torch("""
xn = torch.tensor([[[1.0, float('nan'), 2.0, float('nan')], [3.0, 3.0, -1.0, 0.0]]], requires_grad=True)
y, i = F.adaptive_max_pool1d(xn, 2, return_indices=True)
print(y, i)
y.sum().backward()
print(xn.grad)
print(nn.AdaptiveMaxPool2d((2, None)), nn.AdaptiveMaxPool1d(2, return_indices=True))
print(nn.AdaptiveMaxPool1d(2, return_indices=True)(xn))
print(F.adaptive_max_pool2d(torch.ones(2, 1, 3, 3), 2).grad_fn)
x = torch.ones(1, 1, 3, 3, requires_grad=True)
g, = torch.autograd.grad((F.adaptive_max_pool2d(x.double(), 2) ** 2).sum(), x, create_graph=True)
print(g, g.grad_fn)
""" + tried("F.adaptive_max_pool2d(torch.ones(5), 2)") + tried("F.adaptive_max_pool1d(torch.ones(5), 2)"))
