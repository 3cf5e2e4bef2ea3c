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
            text, column = _window(text, span.column)
            lines.append(text)
            lines.append(_caret(text, column, span))
    if err.hint:
        lines.append(f"hint: {err.hint}")
    return "\n".join(lines)


def _caret(text: str, column: int, span) -> str:
    # keep the tabs of the line so the caret sits under the column in any terminal
    prefix = "".join(c if c == "\t" else " " for c in text[: max(column - 1, 0)])
    # the span's own width (column may be a window's), cut at the end of the shown text
    width = 1
    if span.end_line == span.line and span.end_column > span.column:
        width = min(span.end_column - span.column, max(len(text) - column + 1, 1))
    return prefix + "^" + "~" * (width - 1)


WIDTH = 200  # a generated file's 10 MB line is shown as the part around the column


def _window(text: str, column: int) -> tuple[str, int]:
    if len(text) <= WIDTH:
        return text, column
    start = max(0, min(column - 1 - WIDTH // 2, len(text) - WIDTH))
    shown = text[start:start + WIDTH]
    prefix = "..." if start else ""
    suffix = "..." if start + WIDTH < len(text) else ""
    return prefix + shown + suffix, column - start + len(prefix)
