"""A wrong argument to an op, and a reduction over nothing, fail with PyTorch's message.

Each case is pinned, and checked against torch itself when it is installed.
"""

from __future__ import annotations

import io

import pytest

from gradcli.errors import ProgramRuntimeError
from gradcli.interp import run
from gradcli.syntax import parse

PRELUDE = ("import torch\nimport torch.nn.functional as F\n"
           "x = torch.ones(2)\nm = torch.ones(2, 2)\nz = torch.zeros(2, 0)\ne = torch.tensor([])\n")

CASES = [
    ("torch.sin(3)", "TypeError: sin(): argument 'input' (position 1) must be Tensor, not int"),
    ("torch.sum(3.0)", "TypeError: sum(): argument 'input' (position 1) must be Tensor, not float"),
    ("torch.exp(None)", "TypeError: exp(): argument 'input' (position 1) must be Tensor, not NoneType"),
    ("torch.exp([1, 2])", "TypeError: exp(): argument 'input' (position 1) must be Tensor, not list"),
    ("torch.mm((1, 2), m)", "TypeError: mm(): argument 'input' (position 1) must be Tensor, not tuple"),
    ("torch.mm(m, 3)", "TypeError: mm(): argument 'mat2' (position 2) must be Tensor, not int"),
    ("torch.add(x, 'a')", "TypeError: add(): argument 'other' (position 2) must be Tensor, not str"),
    ("torch.add(x, other='a')", "TypeError: add(): argument 'other' must be Tensor, not str"),
    ("x.add('a')", "TypeError: add(): argument 'other' (position 1) must be Tensor, not str"),
    ("m.mm(3)", "TypeError: mm(): argument 'mat2' (position 1) must be Tensor, not int"),
    ("x.dot(3)", "TypeError: dot(): argument 'tensor' (position 1) must be Tensor, not int"),
    ("torch.maximum(x, 3)", "TypeError: maximum(): argument 'other' (position 2) must be Tensor, not int"),
    ("F.relu(3)", "TypeError: relu(): argument 'input' (position 1) must be Tensor, not int"),
    ("torch.transpose(3, 0, 1)", "TypeError: transpose(): argument 'input' (position 1) must be Tensor, not int"),
    ("torch.cat([1, 2])", "TypeError: expected Tensor as element 0 in argument 0, but got int"),
    ("torch.stack((x, 3))", "TypeError: expected Tensor as element 1 in argument 0, but got int"),
    ("torch.cat(tensors=[x, 3])", "TypeError: expected Tensor as element 1 in argument 0, but got int"),
    ("torch.max(e)", "RuntimeError: max(): Expected reduction dim to be specified for input.numel() == 0. "
                     "Specify the reduction dim with the 'dim' argument."),
    ("torch.amax(e)", "RuntimeError: amax(): Expected reduction dim to be specified for input.numel() == 0. "
                      "Specify the reduction dim with the 'dim' argument."),
    ("z.amin()", "RuntimeError: amin(): Expected reduction dim to be specified for input.numel() == 0. "
                 "Specify the reduction dim with the 'dim' argument."),
    ("torch.amax(z, 1)", "IndexError: amax(): Expected reduction dim 1 to have non-zero size."),
    ("torch.argmax(e)", "IndexError: argmax(): Expected reduction dim to be specified for input.numel() == 0."),
    ("torch.argmin(z)", "IndexError: argmin(): Expected reduction dim to be specified for input.numel() == 0."),
    ("torch.argmax(z, -1)", "IndexError: argmax(): Expected reduction dim 1 to have non-zero size."),
    ("torch.argmin(z, 1, keepdim=True)", "IndexError: argmin(): Expected reduction dim 1 to have non-zero size."),
    ("torch.aminmax(z)", "RuntimeError: aminmax(): cannot compute aminmax over an empty dimension as the "
                         "operation has no identity."),
    ("torch.aminmax(z, dim=1)", "IndexError: aminmax: Expected reduction dim 1 to have non-zero size."),
]


@pytest.mark.parametrize("expr, message", CASES, ids=[c[0] for c in CASES])
def test_gradcli_says_what_torch_says(expr, message):
    source = PRELUDE + f"y = {expr}\n"
    with pytest.raises(ProgramRuntimeError) as info:
        run(parse(source, "p.py"), stdout=io.StringIO())
    assert info.value.message == message
    assert info.value.span.line == source.count("\n")


@pytest.mark.parametrize("expr, message", CASES, ids=[c[0] for c in CASES])
def test_the_pinned_message_is_torchs(expr, message):
    torch = pytest.importorskip("torch")
    namespace = {"torch": torch, "F": torch.nn.functional}
    exec(PRELUDE.split("\n", 2)[2], namespace)
    with pytest.raises(Exception) as info:
        eval(expr, namespace)
    assert f"{type(info.value).__name__}: {str(info.value).splitlines()[0]}" == message


@pytest.mark.parametrize("expr", ["torch.amax(z, 0)", "torch.aminmax(z, dim=0)", "torch.argmax(m)",
                                  "torch.prod(e)", "torch.max(z, 0)"])
def test_reductions_that_torch_allows_still_run(expr):
    run(parse(PRELUDE + f"y = {expr}\n", "p.py"), stdout=io.StringIO())
