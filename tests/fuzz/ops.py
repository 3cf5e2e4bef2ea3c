"""Random op/shape programs: every torch function and Tensor method gradcli offers,
called on tensors of random shapes and dtypes, then differentiated.

Most calls fail (wrong shapes, dtypes, argument counts): each failure must be
PyTorch's or Python's message for it, never an error of gradcli's own code.
"""

from __future__ import annotations

import random


def _names():
    from gradcli.autograd import namespace
    from gradcli.autograd.tensor import Tensor
    torch = namespace.build_torch_module()
    functions = sorted(k for k, v in vars(torch).items() if not k.startswith("_") and callable(v)
                       and k not in ("set_printoptions", "set_default_dtype", "manual_seed"))
    functional = getattr(getattr(torch, "nn", None), "functional", None)
    # torch.nn loads on first use: list what it holds, not the lazy module's own methods
    nn_functions = sorted(k for k, v in namespace.public_attributes(functional).items()
                          if callable(v)) if functional else []
    methods = sorted(k for k in dir(Tensor) if not k.startswith("_") and k != "register_hook")
    return functions, nn_functions, methods


FUNCTIONS, NN_FUNCTIONS, METHODS = _names()
DTYPES = ["", ", dtype=torch.float64", ", dtype=torch.int64", ", dtype=torch.bool", ", dtype=torch.int32"]


def _shape(rng: random.Random) -> str:
    dims = [rng.choice([0, 1, 1, 2, 2, 3, 4]) for _ in range(rng.choice([0, 1, 1, 2, 2, 3, 4]))]
    return "(" + "".join(f"{d}, " for d in dims) + ")"


def _tensor(rng: random.Random) -> str:
    shape = _shape(rng)
    kind = rng.randrange(6)
    # sizes as one tuple, so that shape () is a valid call under PyTorch too
    if kind == 0:
        return f"torch.randn({shape}).requires_grad_()"
    if kind == 1:
        return f"torch.randn({shape}, dtype=torch.float64).requires_grad_()"
    if kind == 2:
        return f"torch.ones({shape}{rng.choice(DTYPES)})"
    if kind == 3:
        return f"torch.arange({rng.randint(0, 12)}{rng.choice(DTYPES[:3])})"
    if kind == 4:
        return f"torch.tensor({rng.choice(['1.5', '[1., -2., 0.]', '[[1, 2], [3, 4]]', '[]', 'True', '[[0.5]]'])})"
    return f"torch.zeros({shape}).requires_grad_()"


def _argument(rng: random.Random) -> str:
    return rng.choice(["a", "b", "c", "0", "1", "-1", "2", "0.5", "None", "True", "(0, 1)", "[1, 2]",
                       "'mean'", "torch.float64", "a.shape", "dim=0", "dim=-1", "keepdim=True",
                       "1, 0", "out=a", "x=1", "a > 0", "torch.tensor(0)", "float('nan')", "10**9"])


def op_program(rng: random.Random) -> bytes:
    lines = ["import torch", "import torch.nn.functional as F",
             f"a = {_tensor(rng)}", f"b = {_tensor(rng)}", f"c = {_tensor(rng)}"]
    for _ in range(rng.randint(1, 3)):
        args = ", ".join(_argument(rng) for _ in range(rng.choice([0, 1, 1, 2, 2, 3])))
        which = rng.randrange(3)
        if which == 0:
            call = f"torch.{rng.choice(FUNCTIONS)}({args})"
        elif which == 1 and NN_FUNCTIONS:
            call = f"F.{rng.choice(NN_FUNCTIONS)}({args})"
        else:
            call = f"{rng.choice('abc')}.{rng.choice(METHODS)}({args})"
        target = rng.choice("abc")
        lines.append(f"{target} = {call}")
    lines.append(rng.choice([
        "a.sum().backward()", "print(a, b.grad, c)", "(a * b).sum().backward(retain_graph=True)",
        "torch.autograd.grad(a.sum(), [b], allow_unused=True)", "a.backward(torch.ones_like(a))",
        "print(a.grad_fn, a.shape, a.dtype)", "c = a @ b", "a[0] = b"]))
    return ("\n".join(lines) + "\n").encode()
