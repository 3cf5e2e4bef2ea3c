"""Rich tables: leaves, intermediate nodes, unnamed nodes, ``grad`` results.

Colour only on a terminal and never with ``NO_COLOR``; no line wider than the
terminal, and exactly ``PIPE_WIDTH`` columns when standard output is not a
terminal, so piped or captured output never depends on who runs it.
"""

from __future__ import annotations

import os

from ..report.model import Report, TensorRow
from .layout import Column, Grid, plain_text

PIPE_WIDTH = 100


def make_console(out):
    from rich.console import Console

    tty = bool(getattr(out, "isatty", None)) and out.isatty()
    if tty:
        return Console(file=out, no_color=bool(os.environ.get("NO_COLOR")), highlight=False,
                       emoji=False, markup=False)
    return Console(file=out, width=PIPE_WIDTH, color_system=None, force_terminal=False,
                   force_interactive=False, force_jupyter=False, no_color=True, highlight=False,
                   emoji=False, markup=False, legacy_windows=False, safe_box=False)


def tensor_text(arr, dtype: str | None) -> str:
    """A value as PyTorch prints it, without ``tensor(...)`` around it."""
    if arr is None:
        return "None"
    from ..autograd.printing import format_tensor

    import numpy as np
    a = np.asarray(arr)
    name = dtype or a.dtype.name
    return format_tensor(a, dtype_name=name, prefix="", default_float=name)[:-1]


def _shape(r: TensorRow) -> str:
    if r.shape is None:
        return "?"
    return "(" + ", ".join(str(s) for s in r.shape) + ("," if len(r.shape) == 1 else "") + ")"


# colours on a terminal only (and never with NO_COLOR): gradients PyTorch stores in green,
# what gradcli computed to explain in magenta
STYLES = {"grad": "green", "d": "magenta", ".grad": "dim"}


def new_table(title: str, columns: list[str], styled: bool = True) -> Grid:
    """The one table style of every command (``print_parts`` prints the title)."""
    cols = []
    for c in columns:
        style = None
        if styled:
            style = STYLES.get(c) or (STYLES["d"] if c.startswith("d") and "/ d" in c else None)
        cols.append(Column(c, style))
    return Grid(title, cols)


def _target_names(report: Report) -> str:
    return ", ".join(r.name for r in report.targets) or "target"


def _leaves(report: Report, with_grad: bool):
    cols = ["name", "shape", "dtype", "requires_grad", "value"] + (["grad"] if with_grad else [])
    t = new_table("Leaves", cols)
    for r in report.leaves:
        cells = [r.name, _shape(r), r.dtype, str(r.requires_grad), tensor_text(r.value, r.dtype)]
        if with_grad:
            cells.append(tensor_text(r.grad, r.dtype))
        t.add_row(*cells)
    return t


def _nodes(report: Report, rows: list[TensorRow], title: str, with_grad: bool):
    of = _target_names(report)
    cols = ["name", "grad_fn", "shape", "value"]
    if with_grad:
        cols += [f"d {of} / d node *", ".grad"]
    t = new_table(title, cols)
    for r in rows:
        cells = [r.name, r.grad_fn or "", _shape(r),
                 "" if r.value is None else tensor_text(r.value, r.dtype)]
        if with_grad:
            cells.append("" if r.d_target is None else tensor_text(r.d_target, r.dtype))
            cells.append(tensor_text(r.grad, r.dtype) if r.retains_grad else "None")
        t.add_row(*cells)
    return t


def _forward(report: Report):
    t = new_table("Tensors", ["name", "shape", "dtype", "requires_grad", "is_leaf", "grad_fn", "value"])
    for r in report.leaves + report.nodes + report.unnamed:
        t.add_row(r.name, _shape(r), r.dtype or "", str(r.requires_grad), str(r.is_leaf),
                  r.grad_fn or "None", "" if r.value is None else tensor_text(r.value, r.dtype))
    return [t]


def _grad(report: Report):
    of = _target_names(report)
    order = report.options.get("order", 1)
    head = f"d{'^' + str(order) if order > 1 else ''} {of} / d input"
    t = new_table(f"torch.autograd.grad({of}, ...)", ["input", "shape", "dtype", "value", head])
    for r in report.results:
        t.add_row(r.name, _shape(r), r.dtype, tensor_text(r.value, r.dtype),
                  tensor_text(r.grad, r.dtype))
    return [t]


def _backward(report: Report):
    parts = []
    if report.targets:
        weights = []
        for r in report.targets:
            w = "implicit 1" if r.d_target is None else tensor_text(r.d_target, r.dtype)
            weights.append(f"{r.name} = {tensor_text(r.value, r.dtype)}  (grad_tensors: {w})")
        parts.append("backward of " + "; ".join(weights))
    else:
        parts.append("state left by the program's own backward()")
    parts.append(_leaves(report, with_grad=True))
    if report.nodes:
        parts.append(_nodes(report, report.nodes, "Intermediate nodes", True))
    if report.unnamed:
        parts.append(_nodes(report, report.unnamed, "Unnamed nodes (op @ line:column)", True))
    if report.nodes or report.unnamed:
        parts.append("* computed by gradcli to explain the pass; PyTorch stores it in .grad "
                     "only after retain_grad()")
    return parts


def render_table(report: Report, out) -> None:
    if report.command == "forward":
        parts = _forward(report)
    elif report.command == "grad":
        parts = _grad(report)
    else:
        parts = _backward(report)
    print_parts(parts, out)


def print_parts(parts, out) -> None:
    """Grids, strings or Rich renderables, one blank line apart. On a terminal Rich writes
    straight to it; piped, the text is laid out at PIPE_WIDTH (by ``layout`` when it can
    be, without Rich) and the padding after the last cell of each line is dropped, since
    trailing blanks only get in the way of diffs."""
    tty = bool(getattr(out, "isatty", None)) and out.isatty()
    if not tty:
        text = plain_text(parts, PIPE_WIDTH)
        if text is not None:
            out.write(text)
            return
        import io
        target = io.StringIO()
    else:
        target = out
    from rich.text import Text

    console = make_console(target)
    for i, p in enumerate(parts):
        if i:
            console.print()
        if isinstance(p, Grid):
            if p.title:
                # a title line of its own: Rich would wrap it to the table's width, and a
                # narrow table (a 2 x 2 Jacobian) would break its title over several lines
                console.print(p.title, style="bold", overflow="fold")
            p = p.to_rich()
        elif isinstance(p, str):
            p = Text(p)
        console.print(p)
    if not tty:
        out.write("".join(line.rstrip() + "\n" for line in target.getvalue().splitlines()))
