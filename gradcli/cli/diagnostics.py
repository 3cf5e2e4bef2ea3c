"""Errors as a person reads them: ``FILE:LINE:COL: error: MESSAGE``, the line, a caret."""

from __future__ import annotations

from ..errors import SourceError
from . import source


def format_source_error(err: SourceError) -> str:
    span = err.span
    if span is None:
        lines = [f"error: {err.message}"]
    else:
        lines = [f"{span.file}:{span.line}:{span.column}: error: {err.message}"]
        text = source.line_of(span.file, span.line)
        if text is not None:
            lines.append(text)
            lines.append(_caret(text, span.column, span))
    if err.hint:
        lines.append(f"hint: {err.hint}")
    return "\n".join(lines)


def _caret(text: str, column: int, span) -> str:
    # keep the tabs of the line so the caret sits under the column in any terminal
    prefix = "".join(c if c == "\t" else " " for c in text[: max(column - 1, 0)])
    width = 1
    if span.end_line == span.line and span.end_column > column:
        width = min(span.end_column - column, max(len(text) - column + 1, 1))
    return prefix + "^" + "~" * (width - 1)
