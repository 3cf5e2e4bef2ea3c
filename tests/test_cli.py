"""The command line on its own: options, formats, exit codes and the stdout/stderr split.

Programs run on ``cli_fake`` (Python with ``torch`` bound to gradcli's engine), so these
tests pin the CLI whatever state the language is in; test_cli_golden runs the real one.
"""

from __future__ import annotations

import io
import json
import os
import sys

import numpy as np
import pytest

import cli_fake
from gradcli.cli.app import app
from gradcli.cli.boundary import invoke

LESSON6 = """import torch
w = torch.tensor([1.], requires_grad=True)
x = torch.tensor([2.], requires_grad=True)
a = torch.add(w, x)
b = torch.add(w, 1)
y = torch.mul(a, b)
"""


@pytest.fixture(autouse=True)
def fake_language(monkeypatch):
    cli_fake.install(monkeypatch)


@pytest.fixture
def cli(capsys):
    def call(*args):
        code = invoke(app, [str(a) for a in args])
        out, err = capsys.readouterr()
        return code, out, err
    return call


@pytest.fixture
def lesson6(tmp_path):
    p = tmp_path / "lesson6.py"
    p.write_text(LESSON6)
    return p


def test_help_and_version(cli):
    code, out, _ = cli("--help")
    assert code == 0 and "backward" in out and "grad" in out and "Exit codes" in out
    code, out, _ = cli("--version")
    assert code == 0 and out.startswith("gradcli ")


def test_backward_table_shows_leaves_and_intermediates(cli, lesson6):
    code, out, err = cli("backward", lesson6)
    assert code == 0 and err == ""
    lines = out.splitlines()
    row = {ln.split()[0]: ln.split() for ln in lines if ln.split() and ln.split()[0] in "wxaby"}
    assert row["w"][-1] == "[5.]" and row["x"][-1] == "[2.]"
    # d y / d a = b = 2, d y / d b = a = 3: computed, and marked as not stored
    assert row["a"][-2:] == ["[2.]", "None"] and row["b"][-2:] == ["[3.]", "None"]
    assert "only after retain_grad()" in out
    assert max(len(ln) for ln in lines) <= 100 and "\x1b[" not in out


def test_backward_json_document(cli, lesson6):
    code, out, _ = cli("backward", lesson6, "--format", "json")
    doc = json.loads(out)
    assert list(doc) == ["version", "gradcli", "command", "program", "options", "targets",
                         "leaves", "nodes", "unnamed", "results"]
    assert doc["version"] == 1 and doc["command"] == "backward"
    leaves = {t["name"]: t for t in doc["leaves"]}
    assert leaves["w"]["grad"] == [5.0] and leaves["w"]["line"] == 2
    assert list(leaves["w"]) == ["name", "kind", "shape", "dtype", "requires_grad", "is_leaf",
                                 "grad_fn", "retains_grad", "value", "grad", "d_target", "line", "column"]
    nodes = {t["name"]: t for t in doc["nodes"]}
    assert nodes["a"]["grad"] is None and nodes["a"]["d_target"] == [2.0]
    assert nodes["y"]["grad_fn"] == "MulBackward0"


def test_json_has_no_nan_literals(cli):
    code, out, _ = cli("backward", "-e", "sqrt(x) * y", "--set", "x=0", "--set", "y=0", "-f", "json")
    assert code == 0

    def refuse(name):
        raise AssertionError(f"invalid JSON constant {name}")
    doc = json.loads(out, parse_constant=refuse)
    grads = {t["name"]: t["grad"] for t in doc["leaves"]}
    assert grads["x"] == "NaN"  # 0 * inf


def test_json_full_precision(cli):
    code, out, _ = cli("grad", "-e", "x / 3", "--set", "x=1", "--dtype", "float64", "-f", "json")
    assert json.loads(out)["results"][0]["grad"] == 1 / 3


def test_csv_one_row_per_element(cli, lesson6):
    code, out, _ = cli("backward", lesson6, "-f", "csv")
    rows = out.splitlines()
    assert rows[0] == "name,kind,index,value,grad"
    assert "w,leaf,0,1.0,5.0" in rows and "a,node,0,3.0,2.0" in rows


def test_plain_is_name_tab_values(cli):
    code, out, _ = cli("backward", "-e", "(x * y).sum()", "--set", "x=[1, 2, 3]",
                       "--set", "y=[0.1, 0.2, 0.3]", "-f", "plain")
    assert out == "x\t0.1 0.2 0.3\ny\t1.0 2.0 3.0\n"


def test_grad_expression_defaults_wrt_to_set_names(cli):
    code, out, _ = cli("grad", "-e", "x**2 * y", "--set", "x=3", "--set", "y=2", "-f", "plain")
    assert code == 0 and out == "x\t12.0\ny\t9.0\n"
    code, out, _ = cli("grad", "-e", "x**2 * y", "--set", "x=3", "--set", "y=2", "--wrt", "y,x", "-f", "plain")
    assert out == "y\t9.0\nx\t12.0\n"


@pytest.mark.parametrize("order, expected", [(1, "12.0"), (2, "12.0"), (3, "6.0"), (4, "0.0")])
def test_grad_order(cli, order, expected):
    code, out, _ = cli("grad", "-e", "x**3", "--set", "x=2", "--order", order, "-f", "plain")
    assert code == 0 and out == f"x\t{expected}\n"


def test_grad_allow_unused(cli):
    code, out, err = cli("grad", "-e", "x * 2", "--set", "x=1", "--set", "y=2")
    assert code == 1 and "appears to not have been used" in err and "--allow-unused" in err
    code, out, _ = cli("grad", "-e", "x * 2", "--set", "x=1", "--set", "y=2", "--allow-unused", "-f", "plain")
    assert out == "x\t2.0\ny\tNone\n"


def test_grad_tensors_literal_expression_and_files(cli, tmp_path):
    prog = tmp_path / "p.py"
    prog.write_text("import torch\nx = torch.tensor([0.0, 2.0, 8.0], requires_grad=True)\n"
                    "y = torch.tensor([5.0, 1.0, 7.0], requires_grad=True)\nz = x * y\n")
    code, out, _ = cli("backward", prog, "--grad-tensors", "[0.1, 1.0, 0.0001]", "-f", "plain")
    assert out == "x\t0.5 1.0 0.0007\ny\t0.0 2.0 0.0008\n"
    np.save(tmp_path / "v.npy", np.array([1.0, 1.0, 1.0]))
    np.savez(tmp_path / "v.npz", v=np.array([1.0, 0.0, 0.0]), other=np.zeros(2))
    (tmp_path / "v.csv").write_text("0,0,1\n")
    for spec, want in [(f"@{tmp_path / 'v.npy'}", "x\t5.0 1.0 7.0\n"),
                       (f"@{tmp_path / 'v.npz'}:v", "x\t5.0 0.0 0.0\n"),
                       (f"@{tmp_path / 'v.csv'}", "x\t0.0 0.0 7.0\n")]:
        code, out, err = cli("backward", prog, "--grad-tensors", spec, "-f", "plain")
        assert code == 0, err
        assert out.splitlines()[0] + "\n" == want


@pytest.mark.parametrize("spec, message", [
    ("[1.0, 2.0]", "does not match z, of shape (3,)"),
    ("@missing.npy", "no such file"),
    ("@{tmp}/v.npz", "holds 2 arrays"),
    ("@{tmp}/obj.npy", "cannot read"),
    ("@{tmp}", "is a directory"),
])
def test_bad_grad_tensors_are_usage_errors(cli, tmp_path, spec, message):
    prog = tmp_path / "p.py"
    prog.write_text("import torch\nx = torch.ones(3, requires_grad=True)\nz = x * 2\n")
    np.savez(tmp_path / "v.npz", a=np.zeros(3), b=np.zeros(3))
    np.save(tmp_path / "obj.npy", np.array([{"pickled": 1}], dtype=object), allow_pickle=True)
    code, out, err = cli("backward", prog, "--grad-tensors", spec.format(tmp=tmp_path))
    assert code == 2 and out == ""
    assert len(err.splitlines()) == 1 and message in err


def test_non_scalar_target_without_weights(cli, tmp_path):
    prog = tmp_path / "p.py"
    prog.write_text("import torch\nx = torch.ones(3, requires_grad=True)\nz = x * 2\n")
    code, out, err = cli("backward", prog)
    assert code == 1 and out == ""
    lines = err.splitlines()
    assert lines[0] == f"{prog}:3:1: error: RuntimeError: grad can be implicitly created only for scalar outputs"
    assert lines[1] == "z = x * 2" and lines[2] == "^"
    assert lines[3].startswith("hint: ") and "--grad-tensors" in lines[3] and "z.sum()" in lines[3]


def test_program_errors_point_at_the_source(cli, tmp_path):
    prog = tmp_path / "bad.py"
    prog.write_text("import torch\nx = torch.ones(2)\ny = x +* 2\n")
    code, out, err = cli("backward", prog)
    assert code == 1 and out == "" and err.startswith(f"{prog}:3:")
    prog.write_text("import torch\nx = torch.ones(2)\ny = x @ torch.ones(3)\n")
    code, out, err = cli("forward", prog)
    assert code == 1 and err.startswith(f"{prog}:3:1: error: RuntimeError")


@pytest.mark.parametrize("args, message", [
    (["backward", "missing.py"], "cannot read missing.py"),
    (["backward", "{tmp}"], "is a directory"),
    (["backward", "{tmp}/p.py", "--of", "nope"], "no top-level name 'nope'"),
    (["backward", "{tmp}/p.py", "--of", "n"], "n is a int, not a tensor"),
    (["backward", "{tmp}/p.py", "--set", "x"], "expected NAME=VALUE"),
    (["backward", "{tmp}/p.py", "--set", "1x=3"], "not a valid name"),
    (["backward", "{tmp}/p.py", "--grad-tensors", "1", "--grad-tensors", "2"], "one per --of"),
    (["backward", "{tmp}/p.py", "--format", "xml"], "Invalid value"),
    (["backward"], "missing FILE"),
    (["backward", "{tmp}/p.py", "-e", "x"], "not both"),
    (["grad", "{tmp}/p.py", "--order", "2", "--wrt", "x,z"], "one input"),
    (["run", "{tmp}/p.py", "--max-steps", "abc"], "'abc' is not a valid integer"),
    (["run", "{tmp}/p.py", "--max-steps", "0"], "0 is smaller than the minimum 1"),
    (["run", "{tmp}/p.py", "--timeout", "soon"], "'soon' is not a valid number"),
    (["backward", "{tmp}/p.py", "--dtype", "float16"], "'float16' is not one of 'float32', 'float64'"),
])
def test_usage_errors_are_one_line_exit_2(cli, tmp_path, args, message):
    (tmp_path / "p.py").write_text("import torch\nn = 3\nx = torch.ones(3, requires_grad=True)\nz = (x * 2).sum()\n")
    code, out, err = cli(*[a.format(tmp=tmp_path) for a in args])
    assert code == 2 and out == ""
    assert len(err.splitlines()) == 1 and message in err, err


def test_program_from_stdin(cli, monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(LESSON6.encode())))
    code, out, _ = cli("backward", "-", "-f", "plain")
    assert code == 0 and out == "w\t5.0\nx\t2.0\n"


def test_of_is_repeatable(cli, tmp_path):
    prog = tmp_path / "p.py"
    prog.write_text("import torch\nx = torch.tensor(2., requires_grad=True)\nz1 = x * 3\nz2 = x ** 2\n")
    code, out, _ = cli("backward", prog, "--of", "z1", "--of", "z2", "-f", "plain")
    assert out == "x\t7.0\n"


def test_state_left_by_the_program(cli, tmp_path):
    prog = tmp_path / "p.py"
    prog.write_text("import torch\nw = torch.tensor([1.], requires_grad=True)\n"
                    "for i in range(4):\n    y = (w + 2) * (w + 1)\n    y.backward()\n")
    code, out, _ = cli("backward", prog, "-f", "json")
    doc = json.loads(out)
    assert doc["options"]["backward_by"] == "program" and doc["targets"] == []
    assert doc["leaves"][0]["grad"] == [20.0]


def test_retain_grad_is_stored_separately(cli, tmp_path):
    prog = tmp_path / "p.py"
    prog.write_text("import torch\nw = torch.tensor([1.], requires_grad=True)\n"
                    "a = w * 3\na.retain_grad()\nb = w * 4\ny = a * b\n")
    code, out, _ = cli("backward", prog, "-f", "json")
    nodes = {t["name"]: t for t in json.loads(out)["nodes"]}
    assert nodes["a"]["retains_grad"] and nodes["a"]["grad"] == [4.0] and nodes["a"]["d_target"] == [4.0]
    assert not nodes["b"]["retains_grad"] and nodes["b"]["grad"] is None and nodes["b"]["d_target"] == [3.0]


def test_all_nodes_lists_unnamed_intermediates(cli, tmp_path):
    prog = tmp_path / "p.py"
    prog.write_text("import torch\nx = torch.ones(2, requires_grad=True)\ny = (4 * x * x).norm()\n")
    code, out, _ = cli("backward", prog, "--all-nodes", "-f", "json")
    unnamed = json.loads(out)["unnamed"]
    assert [u["grad_fn"] for u in unnamed] == ["MulBackward0", "MulBackward0"]
    assert all(u["line"] == 3 for u in unnamed)


def test_forward_shows_every_tensor_without_backward(cli, lesson6):
    code, out, _ = cli("forward", lesson6, "-f", "json")
    doc = json.loads(out)
    assert [t["name"] for t in doc["leaves"] + doc["nodes"]] == ["w", "x", "a", "b", "y"]
    assert all(t["grad"] is None for t in doc["leaves"])
    code, out, _ = cli("forward", lesson6)
    assert "AddBackward0" in out and "is_leaf" in out


def test_run_prints_to_stdout_exactly(cli, tmp_path):
    prog = tmp_path / "p.py"
    prog.write_text("import torch\nx = torch.tensor([1., 2.], requires_grad=True)\nprint(x * 2)\nprint('done')\n")
    code, out, err = cli("run", prog)
    assert code == 0 and err == ""
    assert out == "tensor([2., 4.], grad_fn=<MulBackward0>)\ndone\n"


def test_program_prints_go_to_stderr_in_reporting_commands(cli, tmp_path):
    prog = tmp_path / "p.py"
    prog.write_text("import torch\nx = torch.tensor(1., requires_grad=True)\nprint('hello')\ny = x * 2\n")
    code, out, err = cli("backward", prog, "-f", "plain")
    assert out == "x\t2.0\n" and err == "hello\n"


def test_dtype_option(cli):
    code, out, _ = cli("forward", "-e", "x * 2", "--set", "x=1", "--dtype", "float64", "-f", "json")
    assert json.loads(out)["leaves"][0]["dtype"] == "float64"
    code, out, _ = cli("forward", "-e", "x * 2", "--set", "x=1", "-f", "json")
    assert json.loads(out)["leaves"][0]["dtype"] == "float32"


def test_set_overrides_program_values(cli, tmp_path):
    prog = tmp_path / "p.py"
    prog.write_text("import torch\nk = 2.0\nx = torch.tensor(3., requires_grad=True)\ny = x * k\n")
    code, out, _ = cli("backward", prog, "--set", "k=5", "-f", "plain")
    assert out == "x\t5.0\n"


def test_save_grads_writes_npz(cli, lesson6, tmp_path):
    target = tmp_path / "g.npz"
    code, _, _ = cli("backward", lesson6, "--save-grads", target)
    with np.load(target) as z:
        assert sorted(z.files) == ["w", "x"] and z["w"].tolist() == [5.0]


def test_wide_tensors_fit_in_100_columns(cli, tmp_path):
    np.save(tmp_path / "big.npy", np.linspace(0.0, 1.0, 60))
    code, out, _ = cli("backward", "-e", "(x * 3.14159).sum()", "--set", f"x=@{tmp_path / 'big.npy'}")
    assert code == 0 and max(len(line) for line in out.splitlines()) <= 100


def test_limits_reach_the_interpreter(cli, monkeypatch):
    seen = {}
    real_run = cli_fake.run

    def run(module, **kw):
        seen["limits"] = kw["limits"]
        return real_run(module, **kw)
    monkeypatch.setattr(cli_fake, "run", run)
    cli_fake.install(monkeypatch)
    cli("forward", "-e", "1 + 1", "--max-steps", "10", "--max-elements", "100", "--timeout", "5")
    assert (seen["limits"].max_steps, seen["limits"].max_elements, seen["limits"].timeout) == (10, 100, 5.0)


def test_timeout_stops_a_long_command(cli, monkeypatch):
    import time

    def forever(module, **kw):
        while True:
            time.sleep(0.01)
    monkeypatch.setattr(cli_fake, "run", forever)
    cli_fake.install(monkeypatch)
    code, out, err = cli("run", "-e", "1", "--timeout", "0.2")
    assert code == 1 and "--timeout" in err


def test_internal_errors_exit_70_with_one_line(cli, monkeypatch, lesson6):
    from gradcli.report import build

    def broken(*a, **k):
        raise ZeroDivisionError("oops")
    monkeypatch.setattr(build, "backward_report", broken)
    code, out, err = cli("backward", lesson6)
    assert code == 70 and len(err.splitlines()) == 1 and "bug" in err and "--debug" in err
    code, out, err = cli("backward", lesson6, "--debug")
    assert code == 70 and "Traceback" in err


def test_interrupt_exits_130_quietly(cli, monkeypatch, lesson6):
    def interrupted(module, **kw):
        raise KeyboardInterrupt
    monkeypatch.setattr(cli_fake, "run", interrupted)
    cli_fake.install(monkeypatch)
    code, out, err = cli("backward", lesson6)
    assert code == 130 and out == "" and err == ""


def test_closed_pipe_ends_quietly(monkeypatch, capsys, lesson6):
    class ClosedPipe(io.StringIO):
        def write(self, s):
            raise BrokenPipeError(32, "Broken pipe")

        def fileno(self):
            raise io.UnsupportedOperation
    monkeypatch.setattr(sys, "stdout", ClosedPipe())
    code = invoke(app, ["backward", str(lesson6)])
    assert code == 0 and capsys.readouterr().err == ""


def _imported_by(args: list[str], watch: set[str]) -> list[str]:
    """The top-level packages of ``watch`` that ``python -m gradcli ARGS`` imports, read from
    ``-X importtime`` (the command ends its process itself, so nothing can run after it)."""
    import subprocess
    res = subprocess.run([sys.executable, "-X", "importtime", "-m", "gradcli", *args],
                         capture_output=True, text=True)
    imported = {line.rsplit("|", 1)[-1].strip().split(".")[0]
                for line in res.stderr.splitlines() if line.startswith("import time:")}
    assert "gradcli" in imported, res.stderr[-2000:]
    return str(sorted(imported & watch))


def test_help_imports_no_numpy_lark_or_rich():
    assert _imported_by(["--help"], {"numpy", "lark", "rich"}) == "[]"


def test_options_are_parsed_without_pydantic():
    # Typer would coerce every option through pydantic, as costly to import as numpy (a
    # repeated option is a line the fast parser leaves to Typer, so Typer parses this one)
    args = ["run", "-e", "1", "--max-steps", "5", "--max-steps", "6", "--dtype", "float64"]
    assert _imported_by(args, {"pydantic", "typer"}) == "['typer']"


def test_a_plain_piped_run_imports_neither_typer_click_nor_rich():
    # the fast parser (cli/argv.py) and the plain table layout (render/layout.py)
    assert _imported_by(["backward", "-e", "x * x", "--set", "x=3"], {"typer", "click", "rich"}) == "[]"


class _Terminal(io.StringIO):
    def isatty(self):
        return True


@pytest.mark.parametrize("no_color", [False, True])
def test_colour_only_on_a_terminal_and_never_with_no_color(monkeypatch, lesson6, no_color):
    monkeypatch.setenv("TERM", "xterm-256color")
    monkeypatch.setenv("COLUMNS", "70")
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    if no_color:
        monkeypatch.setenv("NO_COLOR", "1")
    else:
        monkeypatch.delenv("NO_COLOR", raising=False)
    out = _Terminal()
    monkeypatch.setattr(sys, "stdout", out)
    assert invoke(app, ["backward", str(lesson6)]) == 0
    text = out.getvalue()
    colours = "\x1b[32m" in text or "\x1b[35m" in text
    assert colours is (not no_color)
    import re
    plain = re.sub(r"\x1b\[[0-9;]*m", "", text)
    assert max(len(line) for line in plain.splitlines()) <= 70


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
@pytest.mark.parametrize("args", [["run", "-e", "1"], ["backward", "-e", "x * 2", "--set", "x=3"],
                                  ["grad", "-e", "x * 2", "--set", "x=3", "--format", "json"]])
def test_results_that_cannot_be_written_are_said_and_exit_1(args):
    import subprocess
    with open("/dev/full", "w") as full:
        res = subprocess.run([sys.executable, "-m", "gradcli", *args], stdout=full, stderr=subprocess.PIPE,
                             text=True, timeout=60)
    assert res.returncode == 1
    assert res.stderr.strip().splitlines()[-1] == ("gradcli: error: cannot write the results to standard "
                                                   "output: [Errno 28] No space left on device")
    assert "Traceback" not in res.stderr and "internal error" not in res.stderr
