"""Tables as data, and their layout when standard output is not a terminal.

Renderers build :class:`Grid` objects (a title, columns, rows of strings).  On a
terminal, or whenever a table needs Rich's wrapping, ``Grid.to_rich`` hands Rich
the table as before.  Piped output of a table that fits the page (the usual case,
and what scripts and golden files read) is laid out here, character for character
as Rich lays out this house style (``box.SIMPLE_HEAD``, no edge, no edge padding,
columns as wide as their widest line, one space of padding a side, one space of
rule between columns), without importing Rich: its import and layout were a sixth of
a small command's run.  ``plain_text`` returns ``None`` for anything outside that
case (a line too wide, a character that is not printable ASCII, a part that is not
a Grid or a string); tests/test_render_layout.py checks it against Rich.
"""

from __future__ import annotations


class Column:
    __slots__ = ("header", "style", "no_wrap")

    def __init__(self, header: str, style: str | None = None):
        self.header = header
        self.style = style
        self.no_wrap = False


class Grid:
    """A table of strings with a title (printed on a line of its own above it)."""

    def __init__(self, title: str | None, columns: list[Column]):
        self.title = title
        self.columns = columns
        self.rows: list[tuple[str, ...]] = []

    def add_row(self, *cells: str) -> None:
        self.rows.append(tuple(cells))

    def to_rich(self):
        """The same table as a Rich Table (the title is printed apart: see ``table.print_parts``)."""
        from rich import box
        from rich.table import Table

        t = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, header_style="bold", expand=False)
        for c in self.columns:
            t.add_column(c.header, overflow="fold", style=c.style, no_wrap=c.no_wrap)
        for row in self.rows:
            t.add_row(*row)
        return t


def _plain(line: str) -> bool:
    """Printable ASCII only: one character, one column, nothing Rich rewrites."""
    return line.isascii() and line.isprintable()


def _grid_lines(grid: Grid, width: int) -> list[str] | None:
    columns = [c.header for c in grid.columns]
    if not columns or any(len(r) != len(columns) for r in grid.rows):
        return None
    cells = [[h.split("\n") for h in columns]] + [[c.split("\n") for c in row] for row in grid.rows]
    for row in cells:
        for lines in row:
            if not all(_plain(line) for line in lines):
                return None
    widths = [max(len(line) for row in cells for line in row[i]) for i in range(len(columns))]
    last = len(columns) - 1
    # Rich pads each cell by one a side except at the table's edges, and draws a blank rule between columns
    total = sum(widths) + 2 * last + last
    if total > width:
        return None
    out = []
    for r, row in enumerate(cells):
        for k in range(max(len(lines) for lines in row)):
            parts = []
            for i, lines in enumerate(row):
                text = lines[k] if k < len(lines) else ""
                parts.append(("" if i == 0 else " ") + text.ljust(widths[i]) + ("" if i == last else " "))
            out.append(" ".join(parts))
        if r == 0:
            out.append("─" * total)
    return out


def plain_text(parts: list, width: int) -> str | None:
    """The parts (Grids and strings), one blank line apart, as Rich prints them at ``width``
    columns without colour, trailing blanks dropped; ``None`` when Rich must lay them out."""
    lines: list[str] = []
    for i, part in enumerate(parts):
        if i:
            lines.append("")
        if isinstance(part, str):
            text = part.split("\n")
            if not all(_plain(line) and len(line) <= width for line in text):
                return None
            lines += text
            continue
        if not isinstance(part, Grid):
            return None
        if part.title:
            if "\n" in part.title or not _plain(part.title) or len(part.title) > width:
                return None
            lines.append(part.title)
        table = _grid_lines(part, width)
        if table is None:
            return None
        lines += table
    return "".join(line.rstrip() + "\n" for line in lines)
