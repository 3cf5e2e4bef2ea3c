"""The fast command-line parser (cli/argv.py) against Typer on the same declarations.

Whatever ``argv.parse`` accepts, Typer must parse to the very same call: the same
command and the same keyword arguments, value for value.  Command lines come from a
seeded generator mixing every declared option of every command in each form Click
reads (``--name value``, ``--name=value``, ``-x value``, ``-xvalue``, flags), with
good and bad values, stray tokens (``--help``, ``--``, unknown options) and
repeats; the test also checks that the fast parser does accept most plain lines,
so the comparison is not vacuous.
"""

from __future__ import annotations

import random
from enum import Enum

import pytest

import gradcli.cli.app  # noqa: F401 - registers every command
from gradcli.cli.argv import parse
from gradcli.cli.coerce import install
from gradcli.cli.params import COMMANDS, Param, parameters


@pytest.fixture(scope="module")
def typer_parse():
    """``args`` -> the (command, kwargs) Typer calls, or None when it refuses the line."""
    from typer import main as typer_main
    from typer._click.exceptions import ClickException

    from gradcli.cli.typer_app import build
    calls = []
    command = typer_main.get_command(build(call=lambda fn, kwargs: calls.append((fn, kwargs))))
    install(command)

    def run(args):
        calls.clear()
        try:
            command.main(args=list(args), prog_name="gradcli", standalone_mode=False)
        except ClickException:
            return None
        return calls[0] if calls else None
    return run


VALUES = {
    str: ["y", "x=1", "-", "", "a b", "-1", "--of", "ones_like(z)", "@w.npy"],
    int: ["1", "2", "0", "-1", " 3", "1_0", "x", "+4", "10000000000000000000000", "2.0"],
    float: ["0.5", "1e-3", "nan", "inf", "-0", " 2", "x", "1_0.5", "0.0005", "1E5"],
}
STRAYS = ["--bogus", "-h", "--help", "--", "-", "prog.py", "-z", "--of="]


def values_for(param: Param) -> list[str]:
    if isinstance(param.kind, type) and issubclass(param.kind, Enum):
        names = [m.value for m in param.kind]
        return names + [n.upper() for n in names] + [names[0].title(), "bogus", ""]
    return VALUES[param.kind]


def random_line(rng: random.Random) -> list[str]:
    name = rng.choice(list(COMMANDS) + ["bogus"])
    if name == "bogus":
        return [name, "prog.py"]
    declared = [(n, p) for n, p, _ in parameters(COMMANDS[name])]
    args = [name]
    file_first = rng.random() < 0.9
    if file_first:
        args.append(rng.choice(["prog.py", "-", "dir/my prog.py"]))
    for _ in range(rng.randrange(0, 6)):
        n, param = rng.choice(declared)
        if param.argument:
            args.append("again.py")
            continue
        flag = rng.choice(list(param.names()))
        if param.kind is bool:
            args.append(flag if rng.random() < 0.9 else f"{flag}=1")
            continue
        value = rng.choice(values_for(param))
        form = rng.random()
        if form < 0.6:
            args += [flag, value]
        elif form < 0.8 and flag.startswith("--"):
            args.append(f"{flag}={value}")
        elif form < 0.9 and not flag.startswith("--"):
            args.append(flag + value)
        else:
            args.append(flag)  # perhaps with no value left
    if file_first and rng.random() < 0.3:  # FILE after the options: Click reads either order
        args.append(args.pop(1))
    if rng.random() < 0.15:
        args.insert(rng.randrange(1, len(args) + 1), rng.choice(STRAYS))
    return args


@pytest.mark.parametrize("seed", range(6))
def test_fast_parse_is_what_typer_calls(seed, typer_parse):
    rng = random.Random(seed)
    accepted = 0
    for _ in range(300):
        args = random_line(rng)
        fast = parse(args)
        if fast is None:
            continue
        accepted += 1
        fn, kwargs = fast
        assert typer_parse(args) == (fn, kwargs), args
    assert accepted >= 90, f"the fast parser took only {accepted} of 300 lines"


PLAIN = [
    ["backward", "examples/lesson6.py"],
    ["backward", "f.py", "--of", "y", "--grad-tensors", "ones_like(y)", "-f", "json", "--retain-graph"],
    ["grad", "-e", "sin(x) * y", "--set", "x=1", "--set", "y=2"],
    ["grad", "f.py", "--wrt", "x", "--order", "3", "--format=csv", "--create-graph"],
    ["check", "f.py", "--order", "2", "--eps", "1e-4", "--all-values"],
    ["graph", "f.py", "--no-backward", "-o", "g.dot", "-f", "mermaid"],
    ["run", "-", "--max-steps", "100", "--timeout", "2.5", "--max-elements", "1000"],
    ["forward", "--dtype", "FLOAT64", "f.py", "--all-nodes", "--debug"],
    ["jacobian", "f.py", "--wrt", "x", "--detect-anomaly"],
    ["hessian", "-e", "x ** 3", "--set", "x=[1., 2.]"],
    ["explain", "f.py", "--of=z"],
]


@pytest.mark.parametrize("args", PLAIN, ids=lambda a: " ".join(a))
def test_plain_lines_take_the_fast_path(args, typer_parse):
    fast = parse(args)
    assert fast is not None
    assert typer_parse(args) == fast


@pytest.mark.parametrize("args", [
    [], ["--help"], ["--version"], ["backward", "--help"], ["backward", "-h", "f.py"],
    ["backward", "f.py", "g.py"], ["backward", "f.py", "--", "-x"], ["backward", "-fjson", "f.py"],
    ["backward", "f.py", "--of"], ["backward", "f.py", "--format", "xml"], ["grad", "f.py", "--order", "0"],
    ["run", "f.py", "--timeout", "0"], ["run", "f.py", "--max-steps", "x"], ["backward", "f.py", "--retain-graph=1"],
    ["run", "f.py", "--dtype", "float16"], ["nosuch", "f.py"], ["run", "f.py", "--timeout", "1", "--timeout", "2"],
])
def test_other_lines_are_left_to_typer(args):
    assert parse(args) is None


def test_completion_is_left_to_typer(monkeypatch):
    monkeypatch.setenv("_GRADCLI_COMPLETE", "complete_bash")
    assert parse(["backward", "f.py"]) is None


def test_every_parameter_is_declared():
    for name, fn in COMMANDS.items():
        for pname, param, _ in parameters(fn):
            assert isinstance(param, Param), (name, pname)
