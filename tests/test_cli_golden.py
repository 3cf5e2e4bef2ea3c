"""Golden outputs: for every program in examples/, ``backward`` (table and json) and
``run``, compared byte for byte with tests/golden/; ``pytest --update-golden`` rewrites
them.  ``*.out`` is standard output; ``*.err`` is standard error and the exit code.

An example may say how ``backward`` should be called in a comment line of its own:
``# gradcli backward: --grad-tensors "[0.1, 1.0, 0.0001]"``.
A few cases run the installed ``gradcli`` through real pipes, to pin exit codes and
the split between standard output and standard error.
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "tests" / "golden"
EXAMPLES = sorted(p.name for p in (ROOT / "examples").glob("*.py"))

try:
    from gradcli.interp import run as _run  # noqa: F401
    HAVE_LANGUAGE = True
except ImportError:
    HAVE_LANGUAGE = False
needs_language = pytest.mark.skipif(not HAVE_LANGUAGE, reason="gradcli.interp is not written yet")


def _declared_args(example: str, command: str) -> list[str]:
    marker = f"# gradcli {command}:"
    for line in (ROOT / "examples" / example).read_text().splitlines():
        if line.startswith(marker):
            return shlex.split(line[len(marker):])
    return []


def _cases():
    for ex in EXAMPLES:
        stem = ex[:-3]
        path = f"examples/{ex}"
        extra = _declared_args(ex, "backward")
        yield f"{stem}.backward", ["backward", path, *extra]
        yield f"{stem}.backward-json", ["backward", path, *extra, "--format", "json"]
        yield f"{stem}.run", ["run", path]
    yield "expr.grad", ["grad", "-e", "x**2 * y", "--set", "x=3", "--set", "y=2"]
    yield "expr.grad-plain", ["grad", "-e", "x**2 * y", "--set", "x=3", "--set", "y=2", "-f", "plain"]
    yield "lesson6_graph.forward", ["forward", "examples/lesson6_graph.py"]
    yield "lesson6_graph.backward-csv", ["backward", "examples/lesson6_graph.py", "-f", "csv"]
    yield "lesson6_graph.backward-plain", ["backward", "examples/lesson6_graph.py", "-f", "plain"]
    yield "norm.backward-all-nodes", ["backward", "examples/norm.py", "--all-nodes"]
    yield "grad_tensors.backward-no-weights", ["backward", "examples/grad_tensors.py"]
    yield "second_derivative.grad-order", ["grad", "-e", "x**3", "--set", "x=2", "--order", "2"]
    # ops with several outputs: one node each (unbind, var_mean), drawn and explained once
    for command, extra in (("graph", []), ("graph", ["-f", "json"]), ("explain", []), ("check", [])):
        tag = command + ("-json" if extra else "")
        yield f"split_pieces.{tag}", [command, "examples/split_pieces.py", *extra]


CASES = dict(_cases())


def _stable(text: str) -> str:
    """Object addresses (``<AddBackward0 object at 0x7f...>``) differ run to run."""
    return re.sub(r" at 0x[0-9a-f]+>", " at 0x...>", text)


def _compare(name: str, suffix: str, actual: str, update: bool) -> None:
    actual = _stable(actual)
    path = GOLDEN / f"{name}.{suffix}"
    if update:
        GOLDEN.mkdir(parents=True, exist_ok=True)
        path.write_text(actual, encoding="utf-8", newline="\n")
        return
    assert path.exists(), f"no golden {path.name}: run pytest --update-golden and review the diff"
    assert actual == path.read_text(encoding="utf-8"), f"{path.name} differs (pytest --update-golden shows the diff)"


@needs_language
@pytest.mark.parametrize("name", list(CASES))
def test_golden(name, capsys, monkeypatch, update_golden):
    from gradcli.cli.app import app
    from gradcli.cli.boundary import invoke

    monkeypatch.chdir(ROOT)
    monkeypatch.delenv("NO_COLOR", raising=False)
    code = invoke(app, CASES[name])
    out, err = capsys.readouterr()
    _compare(name, "out", out, update_golden)
    _compare(name, "err", f"{err}[exit {code}]\n", update_golden)


def _gradcli() -> list[str]:
    script = Path(sys.executable).parent / "gradcli"
    return [str(script)] if script.exists() else [sys.executable, "-m", "gradcli"]


def _subprocess(args, **kw):
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR", "COLUMNS")}
    return subprocess.run(args, cwd=ROOT, capture_output=True, text=True, env=env, **kw)


@needs_language
@pytest.mark.parametrize("name", ["lesson6_graph.backward", "grad_tensors.backward-no-weights",
                                  "lesson6.run"])
def test_installed_gradcli_through_a_pipe(name):
    """The same bytes and exit code from the installed console script, stdout a real pipe."""
    res = _subprocess(_gradcli() + CASES[name])
    assert _stable(res.stdout) == (GOLDEN / f"{name}.out").read_text(encoding="utf-8")
    assert f"{res.stderr}[exit {res.returncode}]\n" == (GOLDEN / f"{name}.err").read_text(encoding="utf-8")


def test_usage_error_through_a_pipe():
    res = _subprocess(_gradcli() + ["backward", "examples/no-such-file.py"])
    assert res.returncode == 2 and res.stdout == ""
    assert res.stderr == "gradcli: error: cannot read examples/no-such-file.py: No such file or directory\n"


@needs_language
def test_output_piped_into_head_ends_quietly(tmp_path):
    import numpy as np

    np.save(tmp_path / "big.npy", np.arange(30000.0))
    cmd = shlex.join(_gradcli() + ["forward", "-e", "x * 2", "--set", f"x=@{tmp_path / 'big.npy'}",
                                   "-f", "csv"])
    res = _subprocess(["sh", "-c", f"{cmd} | head -n 2"])
    assert res.stdout.splitlines()[:2] == ["name,kind,index,value,grad", "x,leaf,0,0.0,"]
    assert res.stderr == ""
