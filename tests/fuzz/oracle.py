"""Judge one run: did it end the way a user may see it end?

In process (fast): ``parse`` then ``run`` must return, or raise one of gradcli's own
errors whose message is the program's error, not a bug of ours leaking through.
Out of process (real): the ``gradcli`` command must exit 0 or 1 with no traceback.
"""

from __future__ import annotations

import dis
import io
import os
import re
import subprocess
import sys
import traceback
from dataclasses import dataclass
from pathlib import Path

from gradcli.errors import LimitExceeded, SourceError
from gradcli.interp import Limits, run
from gradcli.interp.runtime import python_message
from gradcli.syntax import parse

GRADCLI = str(Path(sys.executable).with_name("gradcli"))

# Small limits keep each fuzz input quick; the code paths are the same as the defaults'.
FUZZ_LIMITS = dict(max_steps=20_000, max_depth=60, timeout=2.0, max_elements=200_000)

# A message naming one of our implementation's types or modules is a bug leaking out.
_LEAKS = re.compile(r"internal error|ndarray|numpy|ufunc|gradcli\.|lark|_data\b|Traceback|"
                    r"object has no attribute '_|\bnp\.")
_CLASS = re.compile(r"^([A-Za-z_][\w.]*)(?::|$)")


@dataclass
class Verdict:
    ok: bool
    kind: str  # 'ran', 'program-error', 'bug'
    detail: str = ""


def reset_engine_state() -> None:
    """What one in-process run may leave behind for the next: start from torch's defaults."""
    from gradcli.autograd import dtypes, grad_mode, limits, printing
    dtypes.set_default_dtype(dtypes.float32)
    printing.set_printoptions(profile="default")
    grad_mode.state.enabled = True
    grad_mode.state.anomaly = False
    grad_mode.state.check_nan = True
    limits.set_max_elements(None)


def bug_in_message(message: str, source: str = "") -> str | None:
    """Why a program-error message looks like a gradcli bug, or None.

    Words the program itself wrote (``import numpy``) may come back in its message."""
    message = message.replace("expected np.ndarray (got", "")  # torch.from_numpy's own words
    # a program that called .numpy() holds numpy arrays: numpy's words about them are torch's too
    holds_arrays = ".numpy(" in source
    for m in _LEAKS.finditer(message):
        if m.group(0) not in source and not (holds_arrays and m.group(0) in ("ndarray", "numpy")):
            return f"message leaks an implementation detail ({m.group(0)!r})"
    m = _CLASS.match(message)
    if m and "." in m.group(1) and not m.group(1).startswith("torch."):
        return f"exception class {m.group(1)} is not Python's or PyTorch's"
    return None


def bug_in_cause(error: SourceError) -> str | None:
    """Why the exception behind a program error looks accidental, or None.

    A deliberate error is raised by a ``raise`` line (gradcli's own, with PyTorch's
    message) or by Python itself doing what the program asked in the interpreter.
    One raised by numpy, or by a plain expression deep in the engine, is a bug.
    """
    cause = error.__context__
    if isinstance(error, LimitExceeded):  # a limit of gradcli's, said as such (64 dimensions...)
        return None
    if cause is None or isinstance(cause, (SourceError, MemoryError, RecursionError)):
        return None
    if _PARSER_WORDS.match(error.message) and error.message != python_message(cause):
        return None  # the call site said what torch's argument parser says about these arguments
    frames = traceback.extract_tb(cause.__traceback__)
    if not frames:
        return None
    last = frames[-1]
    path = last.filename.replace(os.sep, "/")
    if "/gradcli/" not in path:
        if "/numpy/" in path or "/lark/" in path:
            return f"{type(cause).__name__} raised inside {path.rsplit('/site-packages/', 1)[-1]}"
        return None
    if "/gradcli/interp/" in path or "/gradcli/syntax/" in path:
        return None  # the interpreter doing what the program said (1 + 'a', len(3), ...)
    line = (last.line or "").strip()
    if _raised_by_a_raise_statement(cause) or isinstance(cause, ArithmeticError):
        return None
    if isinstance(cause, (TypeError, ValueError, IndexError, RuntimeError)) and _from_user_call(frames):
        return None
    rel = path.split("/gradcli/", 1)[1]
    where = f"{type(cause).__name__} from gradcli/{rel}:{last.lineno} ({line[:80]})"
    if type(cause) in (TypeError, ValueError):
        # A wrong argument met Python's own check inside an op: PyTorch raises the same
        # type with its own words. Loose, not a crash; tallied apart (see LOOSE).
        return LOOSE + where
    return where


LOOSE = "loose message: "
_OUT_OF_MEMORY = "MemoryError: not enough memory"
# The forms of torch's argument-parser errors (interp/arguments.py writes them at the call site).
_PARSER_WORDS = re.compile(
    r"TypeError: (\w+\(\): argument '\w+'( \(position \d+\))? (must be|failed to unpack)"
    r"|expected Tensor as element \d+ in argument \d+, but got [\w.]+$"
    r"|\w+\(\) received an invalid combination of arguments - got \("
    r"|((TensorBase|torch)\.)?\w+\(\) takes (no|\d+|from \d+ to \d+) (positional |keyword )?arguments?"
    r"|\w+\(\) missing \d+ required positional argument"
    r"|\w+\(\) got (an unexpected keyword argument|multiple values for argument) '\w+'$)")


def _raised_by_a_raise_statement(error: BaseException) -> bool:
    """From the bytecode, not the source line: files may change while a long run goes on."""
    tb = error.__traceback__
    if tb is None:
        return False
    while tb.tb_next is not None:
        tb = tb.tb_next
    code = tb.tb_frame.f_code.co_code
    return 0 <= tb.tb_lasti < len(code) and dis.opname[code[tb.tb_lasti]] in ("RAISE_VARARGS", "RERAISE")


def _from_user_call(frames) -> bool:
    # Python raising on the program's own arguments at the edge of the engine
    # (int('x'), float([1]) in an argument check) reads like PyTorch's own message.
    last = frames[-1]
    return last.name in ("__index__", "__int__", "__float__", "__bool__", "__len__", "__iter__",
                         "__getitem__", "__format__", "item", "tolist")


def check_in_process(source: str | bytes, filename: str = "fuzz.py") -> Verdict:
    reset_engine_state()
    out = io.StringIO()
    stderr, sys.stderr = sys.stderr, io.StringIO()  # the program's warnings
    try:
        module = parse(source, filename)
        run(module, stdout=out, limits=Limits(**FUZZ_LIMITS))
    except SourceError as e:
        if e.span is None:
            return Verdict(False, "bug", f"error without a position: {e.message}")
        if e.message.startswith(_OUT_OF_MEMORY):  # FUZZ_LIMITS allow 200,000 elements: far below that
            return Verdict(False, "bug", f"an op allocated past --max-elements: {e.message[:200]}")
        text = source.decode("utf-8", "replace") if isinstance(source, bytes) else source
        why = bug_in_message(e.message, text) or bug_in_cause(e)
        if why and why.startswith(LOOSE):
            return Verdict(True, "loose-message", f"{why}: {e.message[:300]}")
        if why:
            return Verdict(False, "bug", f"{why}: {e.message[:300]}")
        return Verdict(True, "program-error", e.message[:200])
    except BaseException as e:  # noqa: BLE001 - anything else escaping is the bug we hunt
        if isinstance(e, KeyboardInterrupt):
            raise
        return Verdict(False, "bug", "escaped: " + "".join(
            traceback.format_exception(type(e), e, e.__traceback__))[-2000:])
    finally:
        sys.stderr = stderr
    return Verdict(True, "ran")


_WARNING = re.compile(r"^.*:\d+: \w*Warning: ")


def _after_warnings(err: str) -> str:
    """The first line of stderr after the program's warnings (each its line, then its source)."""
    lines = err.lstrip().split("\n")
    i = 0
    while i < len(lines) and _WARNING.match(lines[i]):
        i += 2 if i + 1 < len(lines) and lines[i + 1].startswith("  ") else 1
    return lines[i] if i < len(lines) else ""


def check_cli(source: bytes, workdir: Path, command: str = "run", timeout: float = 60) -> Verdict:
    """Through the installed ``gradcli`` command, its stdout a pipe: exit 0/1, no traceback."""
    path = workdir / "input.py"
    path.write_bytes(source)
    args = [GRADCLI, command, str(path), "--max-steps", "20000", "--max-elements", "200000",
            "--timeout", "5"]
    try:
        p = subprocess.run(args, capture_output=True, timeout=timeout, stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired:
        return Verdict(False, "bug", f"gradcli {command} did not end within {timeout}s")
    err = p.stderr.decode("utf-8", "replace")
    if p.returncode not in (0, 1):
        return Verdict(False, "bug", f"exit {p.returncode}: {err[-1500:]}")
    if "Traceback (most recent call last)" in err:
        return Verdict(False, "bug", f"traceback on stderr: {err[-1500:]}")
    if p.returncode == 1:
        first = _after_warnings(err)
        if not re.match(r"^[^\n]*:\d+:\d+: error: ", first):
            return Verdict(False, "bug", f"exit 1 without FILE:LINE:COL: {first[:300]}")
        why = bug_in_message(first.split(": error: ", 1)[1], source.decode("utf-8", "replace"))
        if why:
            return Verdict(False, "bug", f"{why}: {first[:300]}")
        return Verdict(True, "program-error", first[:200])
    return Verdict(True, "ran")
