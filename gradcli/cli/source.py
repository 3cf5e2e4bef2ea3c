"""Where the program comes from: FILE, ``-`` (standard input) or ``-e EXPRESSION``.

The text of every program and spec read is kept by file name, so the error
boundary can show the offending line under ``FILE:LINE:COL``.
"""

from __future__ import annotations

import os
import sys

from ..errors import UsageError

STDIN_NAME = "<stdin>"
EXPR_NAME = "<expr>"

_texts: dict[str, str] = {}


class Program:
    __slots__ = ("source", "filename", "expr_mode")

    def __init__(self, source: str | bytes, filename: str, expr_mode: bool):
        self.source = source  # bytes from files, so a coding cookie or BOM is honoured by parse
        self.filename = filename
        self.expr_mode = expr_mode


def remember(filename: str, text: str | bytes) -> None:
    if isinstance(text, bytes):
        text = text.decode("utf-8", errors="replace")
    _texts[filename] = text


def line_of(filename: str, line: int) -> str | None:
    """Line ``line`` (1-based) of a remembered text, or of the file itself."""
    text = _texts.get(filename)
    if text is None:
        try:
            with open(filename, "rb") as f:
                text = f.read(1 << 22).decode("utf-8", errors="replace")
        except OSError:
            return None
    lines = text.splitlines()
    if 1 <= line <= len(lines):
        return lines[line - 1]
    return None


def load(file: str | None, expr: str | None) -> Program:
    """The program named on the command line; a :class:`UsageError` if it cannot be read."""
    if expr is not None and file is not None:
        raise UsageError("give either FILE or -e EXPRESSION, not both")
    if expr is not None:
        remember(EXPR_NAME, expr)
        return Program(expr, EXPR_NAME, True)
    if file is None:
        raise UsageError("missing FILE (a program, '-' for standard input, or -e EXPRESSION)")
    if file == "-":
        data = sys.stdin.buffer.read()
        remember(STDIN_NAME, data)
        return Program(data, STDIN_NAME, False)
    if os.path.isdir(file):
        raise UsageError(f"cannot read {file}: is a directory")
    try:
        with open(file, "rb") as f:
            data = f.read()
    except OSError as e:
        raise UsageError(f"cannot read {file}: {e.strerror or e}") from None
    remember(file, data)
    return Program(data, file, False)
