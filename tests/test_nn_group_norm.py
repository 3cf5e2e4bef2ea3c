"""F.group_norm / nn.GroupNorm (NativeGroupNormBackward0) and F.instance_norm /
nn.InstanceNorm1d/2d/3d (batch_norm over the (1, N·C) view) against torch: values and gradients
in float64 (float32 statistics are taken in float64 and rounded once: torch's cascade sums can be
an ulp away), second derivatives, running statistics, reprs, state_dict keys and errors."""

from __future__ import annotations

import pytest

import difftest_gen as dg

pytest.importorskip("torch")

HEAD = "import torch\nimport torch.nn as nn\nimport torch.nn.functional as F\n"


def same_as_torch(body: str) -> None:
    problem = dg.mismatch(HEAD + body.strip("\n") + "\n")
    assert problem is None, problem


def values(shape: str) -> str:
    return (f"x = ((torch.arange(float(torch.Size({shape}).numel())) * 37 % 23) / 7 - 1).reshape({shape})"
            ".double().requires_grad_()\n"
            f"c = (torch.arange(float(torch.Size({shape}).numel())) % 5 - 2).reshape({shape}).double()\n"
            "w = torch.tensor([1.0, 2.0, -0.5, 0.75], dtype=torch.float64, requires_grad=True)\n"
            "b = torch.tensor([0.1, 0.2, 0.3, -0.4], dtype=torch.float64, requires_grad=True)\n")


SHAPES = ["(2, 4, 6)", "(3, 4, 2)", "(2, 4, 2, 3)", "(1, 4, 3, 2, 2)"]


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("args", ["2", "2, w, b", "1, w", "4, w", "2, w, b, 1e-2", "4"])
def test_group_norm(shape, args):
    same_as_torch(values(shape) + f"y = F.group_norm(x, {args})\n" + """
print(y, y.grad_fn)
(y * c).sum().backward()
print(x.grad, w.grad, b.grad)
""")


@pytest.mark.parametrize("args", ["2, w", "1", "2, w, b"])
def test_group_norm_second_order(args):
    same_as_torch(values("(2, 4, 3)") + f"y = F.group_norm(x, {args})\n" + """
gx, = torch.autograd.grad((y * c).sum(), x, create_graph=True)
print(gx)
print(torch.autograd.grad((gx * gx).sum(), x))
""")


@pytest.mark.parametrize("shape", ["(2, 4, 6)", "(2, 4, 2, 3)"])
@pytest.mark.parametrize("args", ["", "weight=w, bias=b", "use_input_stats=True, momentum=0.3"])
def test_instance_norm(shape, args):
    same_as_torch(values(shape) + f"y = F.instance_norm(x, {args})\n" + """
print(y, y.grad_fn)
(y * c).sum().backward()
print(x.grad, w.grad, b.grad)
""")


@pytest.mark.parametrize("make", ["nn.InstanceNorm1d(4)", "nn.InstanceNorm1d(4, affine=True)",
                                  "nn.InstanceNorm1d(4, affine=True, track_running_stats=True)",
                                  "nn.InstanceNorm1d(4, track_running_stats=True, momentum=None)",
                                  "nn.InstanceNorm2d(4, eps=1e-3)", "nn.InstanceNorm3d(4, affine=True)",
                                  "nn.GroupNorm(2, 4)", "nn.GroupNorm(1, 4, affine=False)",
                                  "nn.GroupNorm(4, 4, eps=1e-3)"])
def test_modules(make):
    dims = "(2, 4, 2, 3, 2)" if "3d" in make else "(2, 4, 2, 3)" if "2d" in make else "(2, 4, 6)"
    same_as_torch(values(dims) + f"m = {make}.double()\n" + """
print(m, [n for n, _ in m.named_buffers()], list(m.state_dict()))
y = m(x)
print(y, y.grad_fn)
(y * c).sum().backward()
print(x.grad, [p.grad for p in m.parameters()])
if not isinstance(m, nn.GroupNorm) and m.running_mean is not None:
    print(m.running_mean, m.running_var, m.num_batches_tracked)
    m.eval()
    print(m(x))
""")


def test_unbatched_and_float32():
    same_as_torch("""
x = ((torch.arange(24.0) * 37 % 23) / 8 - 1).reshape(4, 6).requires_grad_()
y = nn.InstanceNorm1d(4)(x)
print(y.shape, y.grad_fn, y.dtype)
z = F.group_norm(x.reshape(2, 2, 6), 2)
print(z.shape, z.grad_fn, z.dtype)
""")


ERRORS = ["F.group_norm(torch.ones(2, 4, 3), 3)", "F.group_norm(torch.ones(2, 4, 3), 2, torch.ones(3))",
          "F.group_norm(torch.ones(2, 4, 3), 2, None, torch.ones(4))",
          "F.group_norm(torch.ones(2, 4, 3), 2, None, torch.ones(4, requires_grad=True)).sum().backward()", "F.group_norm(torch.ones(4), 2)",
          "nn.GroupNorm(3, 4)", "F.instance_norm(torch.ones(2, 3))", "F.instance_norm(torch.ones(1, 3, 1))",
          "nn.InstanceNorm1d(3)(torch.ones(2, 3, 4, 5))", "nn.InstanceNorm1d(3, affine=True)(torch.ones(2, 4, 5))",
          "nn.InstanceNorm2d(3)(torch.ones(2, 4, 5)).shape", "F.group_norm(torch.ones(2, 4, 3).long(), 2)"]


@pytest.mark.parametrize("expr", ERRORS)
def test_errors(expr):
    same_as_torch(f"try:\n    print({expr})\nexcept Exception as e:\n    print(type(e).__name__, e)\n")


@pytest.mark.parametrize("dt", ["torch.float32", "torch.float64"])
@pytest.mark.parametrize("args", ["(3,)", "(3,), w3", "[2, 3]", "(3,), w3, 1e-3", "(3,), None, 0.5"])
def test_rms_norm(dt, args):
    same_as_torch(f"""
x = ((torch.arange(12.0) * 37 % 23) / 8 - 1).reshape(2, 2, 3).to({dt}).requires_grad_()
w3 = torch.tensor([1.0, 2.0, 0.5], dtype={dt}, requires_grad=True)
c = (torch.arange(12.0) % 5 - 2).reshape(2, 2, 3).to({dt})
y = F.rms_norm(x, {args})
print(y, y.grad_fn, [type(f).__name__ for f, _ in y.grad_fn.next_functions])
(y * c).sum().backward()
print(x.grad, w3.grad)
""")


@pytest.mark.parametrize("expr", ["nn.RMSNorm(3)", "nn.RMSNorm([2, 3], eps=1e-5, elementwise_affine=False)",
                                  "F.rms_norm(torch.ones(2, 4), (3,))", "F.rms_norm(torch.ones(2, 3), (3,), torch.ones(2))",
                                  "[n for n, _ in nn.RMSNorm(3).named_parameters()]", "nn.RMSNorm(3)(torch.ones(2, 3))"])
def test_rms_norm_module_and_errors(expr):
    same_as_torch(f"try:\n    print({expr})\nexcept Exception as e:\n    print(type(e).__name__, e)\n")
