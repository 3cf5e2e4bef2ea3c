"""What a program cannot reach (issue 7), and the limits that stop runaway programs."""

from __future__ import annotations

import io

import pytest

from gradcli.errors import LimitExceeded, ProgramRuntimeError, ProgramSyntaxError, SourceError
from gradcli.interp import Limits, run
from gradcli.syntax import parse


def go(source, **kwargs):
    return run(parse(source, "p.py"), stdout=io.StringIO(), **kwargs)


@pytest.mark.parametrize("source", [
    "import os\n", "import numpy as np\n", "from os import path\n", "import sys\n",
    "from torch import nn\nimport subprocess\n", "import torch.utils\n",
])
def test_only_pytorch_modules_import(source):
    with pytest.raises(ProgramSyntaxError) as info:
        go(source)
    assert "is not supported by gradcli (supported: torch, torch.nn" in info.value.message


@pytest.mark.parametrize("name", ["open", "eval", "exec", "compile", "__import__", "getattr", "globals",
                                  "vars", "input", "breakpoint", "setattr", "dir"])
def test_withheld_builtins_are_refused_before_running(name):
    out = io.StringIO()
    with pytest.raises(ProgramSyntaxError) as info:
        run(parse(f"print('first')\n{name}('x')\n", "p.py"), stdout=out)
    assert f"'{name}' is not available in gradcli" in info.value.message
    assert out.getvalue() == ""


@pytest.mark.parametrize("source", ["type(type(1))\n", "type(int)\n", "type('A', (), {})\n",
                                    "t = type\nt(t(1))\n"])
def test_type_never_hands_out_a_metaclass(source):
    with pytest.raises(ProgramRuntimeError) as info:
        go(source)
    assert info.value.message.startswith("TypeError: type()")


@pytest.mark.parametrize("source", [
    "x = (1).__class__\n", "print.__self__\n", "f = lambda: 1\nf.__globals__\n", "x = [].__len__\n",
    "import torch\ntorch._C\n", "g = (i for i in [1])\ng.gi_frame\n", "a = 1\na.mro\n",
])
def test_underscore_and_internal_attributes_are_refused(source):
    with pytest.raises(ProgramSyntaxError) as info:
        go(source)
    assert "is not available in gradcli" in info.value.message


def test_str_format_cannot_reach_underscore_attributes():
    with pytest.raises(ProgramRuntimeError) as info:
        go("'{0.__class__}'.format(1)\n")
    assert info.value.message.startswith("AttributeError:")
    out = io.StringIO()
    run(parse("print('{:.2f} {x}'.format(1.5, x=2))\n", "p.py"), stdout=out)
    assert out.getvalue() == "1.50 2\n"


def test_assigning_a_withheld_name_makes_it_the_programs_own():
    out = io.StringIO()
    run(parse("def open(x):\n    return x\nprint(open(3))\n", "p.py"), stdout=out)
    assert out.getvalue() == "3\n"


def test_step_limit():
    with pytest.raises(LimitExceeded) as info:
        go("while True:\n    pass\n", limits=Limits(max_steps=1000))
    assert info.value.message == "step limit of 1000 exceeded (raise it with --max-steps)"
    assert info.value.span.line == 1


def test_timeout_is_checked_at_steps():
    with pytest.raises(LimitExceeded) as info:
        go("n = 0\nwhile True:\n    n += 1\n", limits=Limits(timeout=0.05))
    assert "timeout" in info.value.message


def test_recursion_limit_is_a_limit_not_a_python_error():
    with pytest.raises(LimitExceeded) as info:
        go("def f(n):\n    return f(n + 1)\nf(0)\n", limits=Limits(max_depth=50))
    assert "recursion deeper than 50" in info.value.message


def test_default_recursion_limit_holds_without_crashing():
    with pytest.raises(LimitExceeded):
        go("def f(n):\n    return f(n + 1) + 1\nf(0)\n")


def test_nothing_else_escapes_from_run():
    for source in ["x = [1] * 10\nx[100]\n", "def f():\n    return f\nf()()()\n", "1 < 'a'\n",
                   "{[]: 1}\n", "x = {1, []}\n"]:
        try:
            go(source)
        except SourceError:
            pass


@pytest.mark.parametrize("source", [
    "import torch\n", "import torch.nn as nn\n", "import torch.nn.functional as F\n",
    "import torch.optim as optim\n", "import torch.nn.init as init\n",
    "from torch.autograd import Variable, grad\n", "from torch.autograd.functional import jacobian, hessian\n",
    "from torch.nn import init\n",
])
def test_pytorch_modules_import(source):
    go(source)


@pytest.mark.parametrize("source, message", [
    ("import torch\ny = torch.sin(3)\n", "sin(): argument 'input' (position 1) must be Tensor, not int"),
    ("import torch\nx = torch.ones(2)\ny = torch.mm((1, 2), x)\n",
     "mm(): argument 'input' (position 1) must be Tensor, not tuple"),
])
def test_a_non_tensor_in_an_op_is_a_type_error_not_an_engine_internal(source, message):
    with pytest.raises(ProgramRuntimeError) as info:
        go(source)
    assert info.value.message == f"TypeError: {message}"
    assert info.value.span.line == source.count("\n")
