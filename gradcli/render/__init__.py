"""Renderers: a :class:`gradcli.report.Report` to text on a stream.

``table`` (Rich; the only module that imports Rich), ``json``, ``csv`` and ``plain``.
Each is imported only when chosen, so the other formats never pay for Rich.
"""

from __future__ import annotations

FORMATS = ("table", "json", "csv", "plain")


def render(report, fmt: str, out) -> None:
    if fmt == "table":
        from .table import render_table as fn
    elif fmt == "json":
        from .json_doc import render_json as fn
    elif fmt == "csv":
        from .csv_rows import render_csv as fn
    elif fmt == "plain":
        from .plain import render_plain as fn
    else:  # the CLI checks the choice; this is a programming error
        raise ValueError(f"unknown format {fmt!r}")
    fn(report, out)
