"""Arguments torch's parser refuses get its message, word for word, when the engine op fails.

Each call below is run under gradcli and under PyTorch (when importable); the error must
be the same, type and text (an "invalid combination" error: its first line and overloads).
"""

from __future__ import annotations

import io

import pytest

from gradcli.errors import SourceError
from gradcli.interp import run
from gradcli.syntax import parse

SETUP = "import torch\nimport torch.nn.functional as F\nx = torch.randn(3, 4)\ni = torch.tensor(1)\n"

CALLS = [
    # a value of the wrong type, by position and by keyword
    "x.nan_to_num('a')", "x.nan_to_num(1.0, 'x')", "x.nan_to_num(posinf='x')", "x.nan_to_num_(x)",
    "x.logit(torch.zeros(0, 3))", "torch.logit(x, 'a')", "x.softmax(0.5)", "x.softmax(0, 0)",
    "torch.softmax(x, dim=0.5)", "x.triu(0.5)", "x.triu(None)", "x.argmax(0.5)", "x.amax(0.5)",
    "x.amax(0, 1)", "x.amax([0.5])", "x.amax((0, 0.5))", "x.amin(0, 'a')", "x.type_as(-1)",
    "torch.promote_types((1,), torch.float32)", "x.roll('a')", "x.roll((1, 2.5))", "x.transpose(0, 1.5)",
    "torch.cat(x)", "torch.cat([x, 1])", "torch.cat((x,), 'a')", "torch.multinomial(x, 1.5)",
    "x.flip(None)", "x.flip([0, None])", "torch.randperm(1.5)", "x.sum(0, 'a')", "x.sum(dim=(0, 0.5))",
    "torch.empty_strided(0, 'mean')", "torch.zeros(2, 3.5)", "torch.zeros(2, None)", "x.view(3, 4.0)",
    "x.permute(0, 'a')", "x.max('a', 1)", "x.max(0, 1)", "torch.add(x, x, alpha='a')", "x.add('x')",
    # how many arguments
    "x.abs(1)", "x.sin(1, 2)", "x.abs(foo=1)", "torch.abs(x, 1)", "torch.abs()", "torch.transpose(x, 0)",
    "torch.transpose()", "x.cumsum_(1, 2, 3, 4)", "x.numpy(1)", "x.nan_to_num(0.1, 0.2, 0.3, 4)",
    "torch.add(x, x, 1)", "x.reshape(True, 12)", "torch.flip(x, 1, 0)", "torch.get_default_dtype(1)",
    "x.round_(0.5)", "x.nonzero(2)", "x.sum(0, True, 'a')",
    # keywords
    "x.logit(0.1, eps=0.2)", "x.logit(eps=0.1, foo=2)", "x.mul_(x, dim=0)", "torch.zeros(2, size=3)",
    "torch.abs(x=1)", "torch.sigmoid(x=1)",
    # overloads
    "x.clamp_max('mean')", "x.clamp('a', max='b')", "x.std(0, 1, 0.5)", "x.sum(0.5)", "x.std(foo=1)",
    "torch.randn()", "torch.rand(1, 'a')", "torch.rand((1,), 'a')", "x.squeeze('a', 0)",
    "x.squeeze(0, 'a')", "x.max(dim=0.5)", "torch.sum(x, dim=0, foo=1, keepdim=True)", "x.where()",
    "torch.eq(x, [1])", "x.div(x, 'floor')", "torch.add(*[x] * 11)",
    # torch.nn.functional's Python functions hand their arguments on to the parser
    "F.leaky_relu(x, 'mean')", "F.elu(x, 'a')", "F.hardswish(1)", "F.hardswish(1, True)", "F.mish([1])",
    "F.silu(x, 1, 2)", "F.relu6(x.shape)", "F.hardsigmoid(x, foo=1)", "F.softmin(x, 0.5)",
    "F.log_softmax(x, [0])", "F.softmax(x, dim='a')", "F.elu(x, 1.0, alpha='a')",
    # tensors only, though numpy would take anything
    "torch.logical_and(x, 1)", "x.logical_or(True)", "x.logical_and_(1)", "torch.logical_xor([1], x)",
    # sizes past --max-elements are refused before they are allocated
    "torch.multinomial(torch.tensor(1.), 1)", "torch.multinomial(torch.ones(2), 1.5)",
    # once accepted by the engine ops (LENIENT): now checked by them, worded by the parser
    "x.nan_to_num_(x)", "x.nan_to_num(posinf='a')", "x.triu(0.5)", "x.tril(1.5)", "x.amax(0, 1)", "x.sum(0, 'a')",
    "x.max(0, 1)", "x.median(0, 1)", "x.prod(0, 1)", "x.argmax(0, 1)", "x.any(0, 1)", "x.logsumexp(0, 1)",
    "x.mean(0, None)", "x.var(0, keepdim=1)", "x.std(0, 1, 0.5)", "x.std(0, True, 1)", "torch.var_mean(x, 0, True, 1)",
    "x.norm(2, 0, 1)", "x.numpy(1)", "torch.flip(x, 1, 0)", "torch.zeros(2, size=3)", "torch.ones(2, size=3)",
    "torch.zeros(size=3)", "torch.zeros(2, foo=1)", "torch.randn(2, foo=1)", "torch.rand()",
    "x.view(3, 4.0)", "x.reshape(True, 12)", "x.roll((1, 2.5))", "x.sum(dim=(0, 0.5))", "x.permute((True, 0))",
    "torch.add(x, [1])", "x.add([1])", "torch.mul(x, [1])", "x.masked_fill(x > 0, [1])", "torch.where(x > 0, x, [1])",
    "torch.maximum(x, [1])", "torch.FloatTensor(1.5, 2)", "torch.FloatTensor(True, 2)", "torch.FloatTensor([1], 2)",
    "torch.FloatTensor(torch.Size([2]), 2)", "torch.FloatTensor(dim=-1)", "torch.FloatTensor(2, dim=-1)",
    "torch.arange()", "x.lerp(-1, 10**9)", "x.sort(0, 1)", "x.argsort(1, 0)", "x.sort(descending=1)",
    "torch.bitwise_and(torch.tensor([1]), 'a')", "torch.tensor([1]).bitwise_and('a')",
]


# Calls PyTorch refuses that gradcli's engine ops accept: the parser's check runs only
# once a call has failed, so they go through. Each one is a gap in an engine op.
LENIENT: list[str] = []


def _gradcli_error(call: str) -> str | None:
    try:
        run(parse(SETUP + f"r = {call}\n", "t.py"), stdout=io.StringIO())
    except SourceError as e:
        return e.message
    return None


def _torch_error(torch, call: str) -> str | None:
    env = {"torch": torch, "F": torch.nn.functional, "x": torch.randn(3, 4), "i": torch.tensor(1)}
    try:
        eval(call, env)  # noqa: S307 - the test's own fixed expressions, run under PyTorch
    except Exception as e:  # noqa: BLE001 - any error: compared below
        return f"{type(e).__name__}: {e}"
    return None


def _comparable(message: str | None) -> str | None:
    # "invalid combination": torch adds, under some overloads, why they did not match
    if message is None:
        return None
    return "\n".join(line for line in message.splitlines() if "didn't match because" not in line)


@pytest.mark.parametrize("call", [c if c not in LENIENT else pytest.param(
    c, marks=pytest.mark.xfail(strict=True, reason="the engine op accepts it")) for c in CALLS])
def test_refused_arguments_get_torchs_message(call):
    torch = pytest.importorskip("torch")
    expected = _comparable(_torch_error(torch, call))
    assert expected is not None, f"{call} works under PyTorch"
    assert _comparable(_gradcli_error(call)) == expected


def test_a_call_that_works_is_not_checked():
    # the check runs only after a failure: a working call costs nothing and says nothing
    from gradcli.interp.arguments import parser_error
    assert parser_error("method", "expand", (3,), {}) is None  # one int: the whole list, as varargs
    assert parser_error("method", "permute", (1, 0), {}) is None
    assert parser_error("method", "logit", (0.1,), {}) is None
    assert parser_error("torch", "zeros", (2, 3), {"dtype": None}) is None
    assert parser_error("torch", "add", (1, 2), {}) is None  # numbers stand for tensors here
    assert parser_error("method", "no_such_op", ("a",), {}) is None


def test_every_op_torch_parses_has_its_signature():
    # a new engine op whose torch counterpart goes through the argument parser needs its line
    # in interp/signatures.py (read it off torch's error messages)
    torch = pytest.importorskip("torch")
    from gradcli.autograd import namespace
    from gradcli.autograd.tensor import Tensor
    from gradcli.interp.arguments import lookup
    ours, x = namespace.build_torch_module(), torch.randn(1)

    def parsed(obj):
        return type(obj).__name__ == "builtin_function_or_method"
    not_parsed = {"tensor", "as_tensor", "from_numpy", "new_tensor"}  # data, not a signature
    functions = [n for n, v in vars(ours).items() if not n.startswith("_") and callable(v)
                 and parsed(getattr(torch, n, None)) and lookup("torch", n) is None]
    methods = [n for n in dir(Tensor) if not n.startswith("_") and callable(getattr(Tensor, n))
               and parsed(getattr(x, n, None)) and lookup("method", n) is None]
    assert sorted(set(functions + methods) - not_parsed) == []
