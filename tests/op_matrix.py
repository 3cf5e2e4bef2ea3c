"""The op matrix: every torch function, Tensor method and nn.functional function gradcli
offers, called on tensors of every dtype with a few argument lists, under gradcli and under
torch; prints each (op, kind of difference) class once, with an example.

    python tests/op_matrix.py                   # functions, methods and F, all ops
    python tests/op_matrix.py --family m --ops pow,remainder
    python tests/op_matrix.py --kinds value,gradcli-error

Kinds: ``value`` (both ran, printed differently), ``gradcli-error`` (torch ran, gradcli
refused), ``torch-error`` (gradcli ran what torch refuses), ``message`` (both refused, in
other words), ``bug`` (gradcli raised an error of its own code). Differential programs
(difftest_gen.py) test what programs do; this tests each op's edges: dtypes, 0-d and empty
tensors, odd arguments. It takes a few minutes per family.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import re
import sys
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

INPUTS = {
    "f32": "torch.tensor([[1.5, -2.0, 0.0], [0.25, 3.0, -0.5]])",
    "f32 requires_grad": "torch.tensor([[1.5, -2.0, 0.0], [0.25, 3.0, -0.5]], requires_grad=True)",
    "f64": "torch.tensor([1.5, -2.0, 0.0], dtype=torch.float64)",
    "int64": "torch.tensor([[3, -2, 0], [1, 5, -7]])",
    "bool": "torch.tensor([True, False, True])",
    "0-d": "torch.tensor(2.5)",
    "0-d int": "torch.tensor(3)",
    "empty": "torch.zeros(0, 3)",
}
ARGUMENTS = ["", ", 0", ", 1", ", -1", ", 2", ", 0.5", ", a", ", dim=0", ", dim=1, keepdim=True", ", a, a"]
# random, or not a computation: their output is not comparable
SKIP = {"manual_seed", "seed", "initial_seed", "set_rng_state", "get_rng_state", "randn", "rand", "randint",
        "randn_like", "rand_like", "randint_like", "randperm", "normal", "bernoulli", "multinomial", "empty",
        "empty_like", "empty_strided", "new_empty", "dropout", "alpha_dropout", "feature_alpha_dropout",
        "dropout1d", "dropout2d", "dropout3d", "rrelu", "uniform_", "normal_", "random_", "bernoulli_",
        "exponential_", "geometric_", "cauchy_", "log_normal_", "backward", "register_hook", "data_ptr",
        "set_printoptions", "set_default_dtype"}
KINDS = ("value", "gradcli-error", "torch-error", "message", "bug")


def _gradcli(setup: str, expr: str) -> str:
    from gradcli.errors import SourceError
    from gradcli.interp import run
    from gradcli.syntax import parse
    out = io.StringIO()
    source = (setup + f"r = {expr}\nprint(r)\n"
              "if isinstance(r, torch.Tensor):\n    print(r.dtype, r.requires_grad)\n")
    try:
        with contextlib.redirect_stderr(io.StringIO()):
            run(parse(source, "t.py"), stdout=out)
    except SourceError as e:
        return "ERR " + e.message.splitlines()[0]
    except Exception as e:  # noqa: BLE001 - an escape is what this looks for
        return f"BUG {type(e).__name__}: {e}"
    return out.getvalue().strip()


def _torch(torch, setup_value: str, expr: str) -> str:
    env = {"torch": torch, "F": torch.nn.functional}
    env["a"] = eval(setup_value, env)  # noqa: S307 - this file's own fixed inputs, under PyTorch
    out = io.StringIO()
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
            r = eval(expr, env)  # noqa: S307 - a call this file built from op names, under PyTorch
            print(r)
            if isinstance(r, torch.Tensor):
                print(r.dtype, r.requires_grad)
    except Exception as e:  # noqa: BLE001 - any error: compared
        return "ERR " + f"{type(e).__name__}: {e}".splitlines()[0]
    return out.getvalue().strip()


def kind_of(ours: str, theirs: str) -> str | None:
    if ours == theirs:
        return None
    if ours.startswith("BUG"):
        return "bug"
    if ours.startswith("ERR"):
        return "message" if theirs.startswith("ERR") else "gradcli-error"
    return "torch-error" if theirs.startswith("ERR") else "value"


def calls(family: str, names):
    for name in names:
        if name in SKIP:
            continue
        for input_name, input_source in INPUTS.items():
            for arguments in ARGUMENTS:
                if family == "fn":
                    expr = f"torch.{name}(a{arguments})"
                elif family == "m":
                    expr = f"a.{name}({arguments[2:]})"
                else:
                    expr = f"F.{name}(a{arguments})"
                yield name, input_name, input_source, expr


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--family", default="fn,m,F", help="fn (torch.f), m (Tensor methods), F (nn.functional)")
    ap.add_argument("--ops", help="comma-separated op names (default: all)")
    ap.add_argument("--kinds", default=",".join(KINDS), help="kinds of difference to report")
    args = ap.parse_args(argv)
    warnings.filterwarnings("ignore")
    import torch

    from fuzz import ops
    families = {"fn": ops.FUNCTIONS, "m": ops.METHODS, "F": ops.NN_FUNCTIONS}
    wanted = set(args.kinds.split(","))
    only = set(args.ops.split(",")) if args.ops else None
    classes: dict[tuple, list] = {}
    for family in args.family.split(","):
        names = [n for n in families[family] if only is None or n in only]
        for name, input_name, input_source, expr in calls(family, names):
            setup = f"import torch\nimport torch.nn.functional as F\na = {input_source}\n"
            ours = re.sub(r"0x[0-9a-f]+", "0x…", _gradcli(setup, expr))
            theirs = re.sub(r"0x[0-9a-f]+", "0x…", _torch(torch, input_source, expr))
            kind = kind_of(ours, theirs)
            if kind in wanted:
                classes.setdefault((family, name, kind), []).append((input_name, expr, ours, theirs))
    for (family, name, kind), found in sorted(classes.items()):
        input_name, expr, ours, theirs = found[0]
        print(f"## {family} {name} [{kind}] ×{len(found)}: {expr}  (a: {input_name})\n"
              f"   gradcli: {ours[:300]!r}\n   torch:   {theirs[:300]!r}")
    print(f"{len(classes)} (op, kind) classes differ", file=sys.stderr)
    return 1 if classes else 0


if __name__ == "__main__":
    sys.exit(main())
