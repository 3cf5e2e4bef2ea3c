"""Convolutions (F.conv1d/2d/3d, nn.Conv*d) and circular padding, compared with torch by running
the same program under both: values (float32 bit for bit in torch's FMA order), grad_fns,
gradients to second order, argument errors, module reprs and padding modes."""

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


def values(name: str, shape: str, dt: str, mod: int = 17, den: int = 7) -> str:
    """A tensor of irregular values made without an op whose rounding could differ; with den=4
    every float32 sum a small convolution makes is exact."""
    return (f"{name} = ((torch.arange(float(torch.Size({shape}).numel())) * 37 % {mod}) / {den} - 1)"
            f".reshape({shape}).to({dt}).requires_grad_()\n")


# NOTE: float32 forward sums follow torch's FMA order bit for bit (values over 7); the backward
# sums do not (torch's gemm orders), so float32 gradients are checked on values whose sums are exact.
GRADS = """
if DT == torch.float32:
    x, w = x.detach().mul_(7).round_().div_(4), w.detach().mul_(7).round_().div_(4)
    x.requires_grad_(), w.requires_grad_()
    if b is not None:
        b = b.detach().mul_(7).round_().div_(4).requires_grad_()
    y = CALL
(y * y).sum().backward()
"""


DTYPES = ["torch.float32", "torch.float64"]
CONV2D = ["", "stride=2", "padding=1", "padding=(2, 1), stride=(1, 2)", "dilation=2", "padding='same'",
          "padding='valid'", "padding='same', dilation=(1, 2)", "groups=2", "groups=4, padding=1"]


@pytest.mark.parametrize("dt", DTYPES)
@pytest.mark.parametrize("bias", [True, False])
@pytest.mark.parametrize("kw", CONV2D)
@pytest.mark.parametrize("batch", [1, 2])
def test_conv2d_values_and_gradients(dt, bias, kw, batch):
    groups = 4 if "groups=4" in kw else 2 if "groups=2" in kw else 1
    # NOTE: oneDNN's order for 2-3 channels per group is not modelled: exact sums there
    den = 4 if dt == "torch.float32" and groups == 2 else 7
    body = values("x", f"({batch}, 4, 6, 7)", dt, den=den) + values("w", f"(6, {4 // groups}, 3, 2)", dt, 13, den)
    body += values("b", "(6,)", dt, 5, den) if bias else "b = None\n"
    call = f"F.conv2d(x, w, b, {kw})"
    body += f"y = {call}\nprint(y, y.grad_fn)\n" + GRADS.replace("CALL", call)
    body += "print(x.grad, w.grad, None if b is None else b.grad)\n"
    same_as_torch(f"DT = {dt}\n" + body)


@pytest.mark.parametrize("dt", DTYPES)
@pytest.mark.parametrize("kw", ["", "stride=2, padding=1", "dilation=2", "padding='same'", "groups=2"])
@pytest.mark.parametrize("batched", [True, False])
def test_conv1d_values_and_gradients(dt, kw, batched):
    shape = "(3, 4, 9)" if batched else "(4, 9)"
    groups = 2 if "groups" in kw else 1
    den = 4 if dt == "torch.float32" and groups == 2 else 7
    body = values("x", shape, dt, den=den) + values("w", f"(4, {4 // groups}, 3)", dt, 11, den)
    body += values("b", "(4,)", dt, 5, den)
    call = f"F.conv1d(x, w, b, {kw})"
    body += f"y = {call}\nprint(y, y.grad_fn)\n" + GRADS.replace("CALL", call) + "print(x.grad, w.grad, b.grad)\n"
    same_as_torch(f"DT = {dt}\n" + body)


def test_conv3d_float64():
    same_as_torch(values("x", "(1, 2, 4, 4, 4)", "torch.float64") + values("w", "(3, 2, 2, 2, 2)", "torch.float64", 7)
                  + """
y = F.conv3d(x, w, padding=1, stride=(1, 2, 1))
print(y, y.grad_fn)
(y * y).sum().backward()
print(x.grad, w.grad)
""")


@pytest.mark.parametrize("kw", ["", "stride=2, padding=1", "groups=2, dilation=2"])
def test_conv_second_order(kw):
    same_as_torch(values("x", "(2, 4, 7)", "torch.float64") + values("w", "(4, 2, 3)", "torch.float64", 11)
                  + values("b", "(4,)", "torch.float64", 5) + f"""
w2 = w if 'groups' in {kw!r} else w.repeat(1, 2, 1)
y = F.conv1d(x, w2, b, {kw})
gx, gw, gb = torch.autograd.grad((y * y).sum(), (x, w, b), create_graph=True)
print(gx, gw, gb)
print(torch.autograd.grad((gx * gx).sum() + (gw ** 3).sum() + (gb * gb).sum(), (x, w, b)))
gx, = torch.autograd.grad((y * y).sum(), x, create_graph=True)
print(gx.grad_fn.name())
print(torch.autograd.grad((gx * gx).sum(), (x, w)))
""")


ERRORS = [
    "F.conv2d(torch.ones(1, 2, 5), w)", "F.conv2d(torch.ones(2, 5), w)", "F.conv2d(x, torch.ones(3, 1, 3, 3))",
    "F.conv2d(x, torch.ones(3, 2, 6, 6))", "F.conv2d(x, w, stride=0)", "F.conv2d(x, w, padding=-1)",
    "F.conv2d(x, w, dilation=0)", "F.conv2d(x, torch.ones(3, 1, 3, 3), groups=2)",
    "F.conv2d(x, torch.ones(4, 1, 3, 3), groups=0)", "F.conv2d(x.double(), w)", "F.conv2d(x, w.double())",
    "F.conv2d(x, w, torch.ones(3).double())", "F.conv2d(x, w, torch.ones(4))",
    "F.conv2d(x, w, padding='same', stride=2)", "F.conv2d(x, w, padding='foo')", "F.conv2d(x, w, stride=(1, 2, 3))",
    "F.conv1d(x, w)", "F.conv2d(x, torch.ones(3, 2, 3))", "F.conv2d(torch.ones(1, 2, 0, 5), w)",
    "F.conv2d(torch.ones(0, 2, 5, 5), w).shape", "F.conv2d(x.long(), w.long())", "F.conv2d(x, 3)",
]


@pytest.mark.parametrize("expr", ERRORS)
def test_conv_argument_errors(expr):
    same_as_torch("x = torch.ones(1, 2, 5, 5)\nw = torch.ones(3, 2, 3, 3)\n" + tried(expr))


MODULES = [
    "nn.Conv2d(2, 4, 3)", "nn.Conv2d(2, 4, 3, padding='same')", "nn.Conv2d(2, 4, (3, 2), 2, 1, 2, 2, False, 'reflect')",
    "nn.Conv2d(2, 2, 3, padding_mode='replicate', padding='same')", "nn.Conv2d(2, 4, 3, padding=1, padding_mode='circular')",
    "nn.Conv2d(2, 3, 1, bias=False)", "nn.Conv2d(2, 4, kernel_size=2, stride=1, padding='valid')",
    "nn.Conv1d(2, 4, 3, padding_mode='circular', padding=2)", "nn.Conv1d(2, 4, 3, stride=2)",
    "nn.Conv3d(2, 2, 2)",
]


@pytest.mark.parametrize("make", MODULES)
def test_conv_modules(make):
    same_as_torch(f"m = {make}\n" + """
print(m)
print([(n, p.shape) for n, p in m.named_parameters()])
with torch.no_grad():
    m.weight.copy_((torch.arange(float(m.weight.numel())) * 37 % 11 / 8 - 1).reshape(m.weight.shape))
    if m.bias is not None:
        m.bias.fill_(0.5)
dims = {nn.Conv1d: (7,), nn.Conv2d: (5, 6), nn.Conv3d: (3, 4, 3)}[type(m)]
inp = (torch.arange(float(2 * 2 * torch.Size(dims).numel())) * 29 % 13 / 7).reshape((2, 2) + dims)
print(m(inp))
inp = (inp * 7).round() / 4  # exact float32 sums for the gradients (see GRADS)
out = m(inp)
print(out, out.grad_fn)
(out * out).sum().backward()
print(m.weight.grad, m.bias.grad if m.bias is not None else None)
""")


@pytest.mark.parametrize("args", ["3, 4, 3, groups=2", "4, 3, 3, groups=2", "4, 4, 3, groups=0",
                                  "4, 4, 3, padding_mode='x'", "3, 4, 3, padding='foo'", "3, 4, 3, padding='same', stride=2"])
def test_conv_module_errors(args):
    body = tried(f"nn.Conv2d({args})")
    if "padding_mode" in args or "'foo'" in args:  # torch prints a set: its order follows the hash seed
        body = body.replace("print(type(e).__name__, e)", "print(type(e).__name__, str(e).split('{')[0])")
    same_as_torch(body)


def test_conv_module_init_ranges():
    same_as_torch("""
torch.manual_seed(0)
m = nn.Conv2d(3, 8, 5)
bound = 1 / (3 * 25) ** 0.5
print(m.weight.shape, bool(m.weight.abs().max() <= bound), bool(m.bias.abs().max() <= bound))
print(m.weight.requires_grad, m.bias.is_leaf, m.weight.dtype)
m = nn.Conv1d(4, 2, 3, groups=2, dtype=torch.float64)
print(m.weight.shape, m.weight.dtype, bool(m.weight.abs().max() <= 1 / 6 ** 0.5))
""")


PADS = ["(1, 1)", "(2, 0)", "(0, 3)", "(-1, 2)", "(1, 2, 2, 1)", "(3, 0, 0, 2)", "(1, 1, 1, 1, 1, 1)", "(4, 0)"]


@pytest.mark.parametrize("pad", PADS)
@pytest.mark.parametrize("shape", ["(2, 3, 4)", "(1, 2, 3, 4)", "(1, 1, 2, 3, 4)", "(3, 4)"])
def test_circular_pad(pad, shape):
    same_as_torch(values("x", shape, "torch.float64") + tried(f"F.pad(x, {pad}, mode='circular')") + f"""
try:
    y = F.pad(x, {pad}, mode='circular')
    (y * y).sum().backward()
    print(x.grad)
except Exception as e:
    print(type(e).__name__)
""")


BIT_CASES = [((1, 3, 8, 8), (4, 3, 3, 3), 1), ((2, 3, 8, 8), (4, 3, 3, 3), 1), ((4, 2, 6, 6), (16, 2, 3, 3), 0),
             ((2, 16, 5, 5), (8, 16, 3, 3), 1), ((3, 2, 5, 5), (5, 2, 3, 3), 0), ((2, 1, 12, 12), (6, 1, 5, 5), 0),
             ((8, 1, 10, 10), (4, 1, 3, 3), 1), ((2, 4, 9), (6, 4, 3), 1)]


@pytest.mark.parametrize("xs, ws, pad", BIT_CASES, ids=str)
def test_float32_bits_on_random_data(xs, ws, pad):
    """Outputs and all three gradients bit for bit (conv_backward_f32.py's orders) on random data."""
    import numpy as np
    import torch
    from gradcli.autograd.namespace import build_torch_module
    g = build_torch_module()
    rng = np.random.default_rng(sum(xs) + sum(ws))
    x, w, b = (rng.standard_normal(s).astype(np.float32) for s in (xs, ws, ws[:1]))
    name = "conv2d" if len(xs) == 4 else "conv1d"
    tx, tw, tb = (torch.tensor(a, requires_grad=True) for a in (x, w, b))
    gx, gw, gb = (g.tensor(a, requires_grad=True) for a in (x, w, b))
    ty = getattr(torch.nn.functional, name)(tx, tw, tb, padding=pad)
    gy = getattr(g.nn.functional, name)(gx, gw, gb, padding=pad)
    c = rng.standard_normal(ty.shape).astype(np.float32)
    (ty * torch.tensor(c)).sum().backward()
    (gy * g.tensor(c)).sum().backward()
    np.testing.assert_array_equal(gy.detach().numpy(), ty.detach().numpy())
    for mine, theirs in ((gx, tx), (gw, tw), (gb, tb)):
        np.testing.assert_array_equal(mine.grad.numpy(), theirs.grad.numpy())


TRANSPOSED = ["", "stride=2", "stride=2, padding=1, output_padding=1", "dilation=2", "groups=2",
              "stride=(2, 1), padding=(0, 1)"]


@pytest.mark.parametrize("dt, den", [("torch.float64", 7), ("torch.float32", 4)])
@pytest.mark.parametrize("kw", TRANSPOSED)
@pytest.mark.parametrize("bias", [True, False])
def test_conv_transpose2d(dt, den, kw, bias):
    groups = 2 if "groups" in kw else 1
    body = values("x", "(2, 2, 3, 3)", dt, den=den) + values("w", f"(2, {4 // groups}, 3, 3)", dt, 13, den)
    body += values("b", "(4,)", dt, 5, den) if bias else "b = None\n"
    same_as_torch(body + f"y = F.conv_transpose2d(x, w, b, {kw})\n" + """
print(y, y.grad_fn)
(y * y).sum().backward()
print(x.grad, w.grad, None if b is None else b.grad)
""")


def test_conv_transpose_second_order_modules_and_errors():
    same_as_torch(values("x", "(1, 2, 3)", "torch.float64") + values("w", "(2, 3, 2)", "torch.float64", 11) + """
gx, gw = torch.autograd.grad((F.conv_transpose1d(x, w, stride=2) ** 2).sum(), (x, w), create_graph=True)
print(gx, gw, gx.grad_fn)
print(torch.autograd.grad((gx ** 2).sum() + (gw ** 2).sum(), (x, w)))
print(nn.ConvTranspose2d(16, 8, 3, stride=2, padding=1, output_padding=1), nn.ConvTranspose1d(2, 4, 3))
print(nn.ConvTranspose2d(4, 4, 2, groups=2, bias=False, dilation=2), nn.ConvTranspose3d(2, 2, 2))
m = nn.ConvTranspose2d(2, 4, 3, stride=2)
print([(n, p.shape) for n, p in m.named_parameters()])
z = torch.ones(1, 2, 3, 3)
print(m(z).shape, m(z, output_size=(8, 8)).shape, m(z[0]).shape)
""" + "".join(tried(e) for e in ["F.conv_transpose2d(z, torch.ones(2, 4, 3, 3), stride=2, output_padding=2)",
                                 "F.conv_transpose2d(z, torch.ones(3, 4, 3, 3))", "m(z, output_size=(12, 12))",
                                 "nn.ConvTranspose2d(2, 4, 3, padding_mode='reflect')", "F.conv_transpose2d(z, 3)"]))
