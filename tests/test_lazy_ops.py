"""The op families load on first use (issue 6): op_index.py, generated from the families'
own tables, says where each torch.*, F.* and Tensor method name lives. These tests hold
the index to the tables, and lazy binding to what binding every family at import gave.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from gradcli.autograd import methods, namespace, op_index, op_index_build
from gradcli.autograd.tensor import Tensor


def test_the_index_is_the_one_the_families_tables_give():
    # fails when an op is added to (or removed from) a family and the index is not regenerated
    written = Path(op_index.__file__).read_text("utf-8")
    assert written == op_index_build.render(), "run: python -m gradcli.autograd.op_index_build"


def test_every_name_resolves_to_the_object_eager_binding_gave():
    tables = op_index_build.eager_tables()
    torch = namespace.build_torch_module()
    own = set(namespace._own_dict(torch)) - {"_index", "__name__"}  # the names set explicitly
    assert set(namespace.public_attributes(torch)) == set(tables["TORCH"]) | own
    for name, (_, value) in tables["TORCH"].items():
        assert name in own or getattr(torch, name) is value, name
    functional = namespace.public_attributes(torch.nn.functional)
    assert functional == {name: value for name, (_, value) in tables["FUNCTIONAL"].items()}
    methods.bind_all()
    for table in ("METHODS", "PROPERTIES"):
        for name, (_, value) in tables[table].items():
            assert Tensor.__dict__[name] is value, name
    for name, (_, op) in tables["INPLACE"].items():
        method = Tensor.__dict__[name]  # the in-place form runs the op through ops/_dispatch.inplace
        assert method.__closure__[0].cell_contents is op and method.__name__ == getattr(op, "__name__", "op") + "_"


_FORK_EACH_MODULE = """
import os, sys
import gradcli.autograd
from gradcli.autograd import methods, op_index, op_index_build
tables = {"TORCH": "TORCH_EXPORTS", "FUNCTIONAL": "TORCH_EXPORTS", "METHODS": "TENSOR_METHODS",
          "PROPERTIES": "TENSOR_METHODS", "INPLACE": "TENSOR_INPLACE"}
by_module = {}
for table, key in tables.items():
    for name, spec in getattr(op_index, table).items():
        by_module.setdefault(spec.partition(":")[0], []).append((table, key, name, spec))
failed = []
for module, entries in sorted(by_module.items()):
    pid = os.fork()
    if pid == 0:  # a process where this module is the first op module imported
        found = {(t, n): methods.find(s, k, n) for t, k, n, s in entries}
        eager = op_index_build.eager_tables()
        ok = all(eager[t][n][1] is value for (t, n), value in found.items())
        os._exit(0 if ok else 3)
    if os.waitpid(pid, 0)[1] != 0:
        failed.append(module)
print(len(by_module), failed)
"""


@pytest.mark.skipif(not hasattr(os, "fork"), reason="POSIX fork")
def test_each_op_module_loads_first_on_its_own():
    # a program may touch any op first: no module may rely on an aggregator importing it earlier
    p = subprocess.run([sys.executable, "-c", _FORK_EACH_MODULE], capture_output=True, text=True, timeout=300)
    assert p.returncode == 0, p.stderr
    count, failed = p.stdout.split(" ", 1)
    assert int(count) > 30 and failed.strip() == "[]", p.stdout + p.stderr


def _run_fresh(source: str, *, eager: bool = False, expr_mode: bool = False) -> tuple[str, str]:
    """What a program prints (and its error) in a new process, lazily or with every op bound first."""
    code = textwrap.dedent(f"""
        import sys
        from gradcli.errors import SourceError
        from gradcli.interp import run
        from gradcli.syntax import parse
        if {eager}:
            from gradcli.autograd import methods, namespace
            methods.bind_all()
            vars(namespace.build_torch_module().nn.functional)
        try:
            result = run(parse(sys.stdin.read(), "p.py"), stdout=sys.stdout, expr_mode={expr_mode})
            print("last value:", result.last_value)
        except SourceError as e:
            print("error:", e.message)
        print(sorted(m for m in sys.modules if m.startswith("gradcli.autograd.ops.")), file=sys.stderr)
    """)
    p = subprocess.run([sys.executable, "-c", code], input=source, capture_output=True, text=True, timeout=120)
    assert p.returncode == 0, p.stderr
    return p.stdout, p.stderr


FIRST_USES = {
    "operators and their refusals": """
        import torch
        x = torch.tensor([[1., 2.], [3., 4.]], requires_grad=True)
        try:
            x.mH = 1  # before any read of mH: refused as the property refuses it
        except AttributeError as e:
            print(e)
        y = (x @ x).T * 2 - x[0] / 3 + (x > 2) ** 2
        y.sum().backward()
        print(y, x.grad, -x, x == 1, ~(x > 1), x.mT)
        try:
            x + [1]
        except TypeError as e:
            print(e)
        x.T = 1
    """,
    "unknown names": """
        import torch
        x = torch.ones(2)
        try:
            x.foo
        except AttributeError as e:
            print(e)
        try:
            torch.foo
        except AttributeError as e:
            print(e)
        import torch.nn.functional as F
        try:
            F.foo
        except AttributeError as e:
            print(e)
        try:
            torch.autograd.foo
        except AttributeError as e:
            print(e)
        from torch import foo
    """,
    "methods from every family, class-level lookups, in-place forms": """
        import torch
        import torch.nn.functional as F
        x = torch.arange(6.).reshape(2, 3).requires_grad_()
        y = x.exp().sum(1).sort().values.clone()
        z = torch.Tensor.add(y, 1).mul_(2)
        print(z, F.softmax(x, 1), F.mse_loss(x, x.detach() + 1), x.topk(2), torch.linalg.norm(x))
        print(x.new_zeros(2), torch.where(x > 2, x, 0.), x.masked_fill(x > 2, 0.), x.cumsum(0))
        w = torch.ones(2, dtype=torch.float64, requires_grad=True)
        print(torch.autograd.gradcheck(lambda t: (t * t).sum(), (w,)), torch.autograd.grad(w.sum(), w))
        x.add(1, 2)
    """,
    "from torch import *": """
        from torch import *
        x = tensor([1., 2.], requires_grad=True)
        print(logsumexp(x, 0), Tensor, float64, manual_seed is not None, nn.functional.relu(x))
    """,
    "a wrong argument names torch's signature": """
        import torch
        torch.tensor([1.]).clamp(min="a")
    """,
}


@pytest.mark.parametrize("name", sorted(FIRST_USES))
def test_first_use_behaves_as_eager_binding(name):
    source = textwrap.dedent(FIRST_USES[name]).lstrip("\n")
    assert _run_fresh(source)[0] == _run_fresh(source, eager=True)[0]


def test_expression_mode_sees_every_name_and_imports_only_what_it_uses():
    out, loaded = _run_fresh("logsumexp(tensor([1., 2.]), 0) + relu(tensor(-1.))\n", expr_mode=True)
    assert out == "last value: tensor(2.3133)\n"
    assert "gradcli.autograd.ops.softmax'" in loaded  # where logsumexp lives
    for family in ("linalg", "sorting", "indexing", "nn_functional"):
        assert f"gradcli.autograd.ops.{family}'" not in loaded, family
    out, _ = _run_fresh("_dispatch\n", expr_mode=True)
    assert out.startswith("error: NameError: name '_dispatch' is not defined"), out


def test_a_program_imports_only_the_op_modules_it_uses():
    source = "import torch\nx = torch.tensor([1.], requires_grad=True)\ny = torch.mul(torch.add(x, 1), x)\n" \
             "y.backward()\nprint(x.grad, y.grad_fn)\n"
    out, loaded = _run_fresh(source)
    assert "tensor([3.])" in out
    for family in ("elementwise", "reduction", "shape", "linalg", "indexing", "sorting", "compare",
                   "nn_functional", "activation"):
        assert f"gradcli.autograd.ops.{family}'" not in loaded, family
    assert "gradcli.autograd.ops.arithmetic'" in loaded
