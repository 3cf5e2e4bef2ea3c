"""Renderers for explain, jacobian/hessian and --detect-anomaly reports (check: render/check.py).

``table`` uses Rich (through render.table's console, so widths and colour follow
the same rules); ``json`` one document; ``csv`` one row per step / entry;
``plain`` tab-separated lines for the shell.
"""

from __future__ import annotations

import csv
import numpy as np

from .. import __version__
from ..report.model import JSON_VERSION
from .numbers import flat_strings, nested


def _text(a) -> str:
    if a is None:
        return ""
    from .table import tensor_text
    a = np.asarray(a)
    return tensor_text(a, None)


def _data(a):
    return None if a is None else nested(a)


def _dump(doc: dict, out) -> None:
    from .json_doc import _emit  # the house JSON layout: one key a line, arrays on one line
    parts: list[str] = []
    _emit(doc, 0, parts)
    out.write("".join(parts) + "\n")


def _head(command: str, program: str) -> dict:
    return {"version": JSON_VERSION, "gradcli": __version__, "command": command, "program": program}


def _print_tables(tables, out) -> None:
    from .table import print_parts
    print_parts(tables, out)


def _table(title: str, columns: list[str]):
    from .table import new_table
    return new_table(title, columns, styled=False)


# ------------------------------------------------------------------------------- explain

def step_object(s) -> dict:
    d = {"pass": s.backward_pass, "kind": s.kind, "node": s.node, "site": s.site, "grad_fn": s.grad_fn}
    if s.kind == "edge":
        d.update(input=s.input, input_kind=s.input_kind, rule=s.rule, local=_data(s.local),
                 incoming=_data(s.incoming), contribution=_data(s.contribution),
                 path=s.path, paths=s.paths, total=_data(s.total))
    else:
        d.update(value=_data(s.contribution), before=_data(s.before), after=_data(s.after),
                 hooked=s.hooked)
    return d


def render_explanation(ex, fmt: str, out, program: str = "") -> None:
    if fmt == "json":
        doc = _head("explain", program)
        doc.update(passes=ex.passes, steps=[step_object(s) for s in ex.steps],
                   leaves={k: _data(v) for k, v in ex.leaves.items()}, notes=ex.notes)
        _dump(doc, out)
        return
    if fmt == "csv":
        w = csv.writer(out, lineterminator="\n")
        w.writerow(["pass", "step", "kind", "node", "site", "grad_fn", "input", "rule", "local",
                    "incoming", "contribution", "path", "paths", "total", "before", "after"])
        for k, s in enumerate(ex.steps, 1):
            w.writerow([s.backward_pass, k, s.kind, s.node, s.site, s.grad_fn, s.input, s.rule or "",
                        *(" ".join(flat_strings(a)) if a is not None else ""
                          for a in (s.local, s.incoming, s.contribution)),
                        s.path or "", s.paths or "",
                        *(" ".join(flat_strings(a)) if a is not None else ""
                          for a in (s.total, s.before, s.after))])
        return
    if fmt == "plain":
        for s in ex.steps:
            if s.kind == "edge":
                out.write(f"{s.backward_pass}\t{s.node}\t{s.grad_fn}\t{s.input}\t"
                          f"{' '.join(flat_strings(s.contribution))}\t{' '.join(flat_strings(s.total))}\n")
            else:
                out.write(f"{s.backward_pass}\t{s.node}\tAccumulateGrad\t{s.node}.grad\t"
                          f"{' '.join(flat_strings(s.contribution))}\t{' '.join(flat_strings(s.after))}\n")
        return
    tables = []
    for p in range(1, ex.passes + 1):
        title = "The backward pass, step by step" if ex.passes == 1 else f"Backward pass {p} of {ex.passes}"
        t = _table(title, ["#", "node", "grad_fn", "local rule", "local", "incoming",
                           "contribution", "total at input"])
        t.columns[2].no_wrap = True
        n = 0
        for s in ex.steps:
            if s.backward_pass != p:
                continue
            n += 1
            where = s.node + (f" @{_line_col(s.site)}" if s.site else "")
            if s.kind == "edge":
                total = _text(s.total)
                if s.paths > 1:
                    total += ("  path" if s.path == 1 else "  += path") + f" {s.path} of {s.paths}"
                t.add_row(str(n), where, s.grad_fn, s.rule or "", _text(s.local), _text(s.incoming),
                          f"{_text(s.contribution)} → {s.input}", total)
            else:
                before = "None" if s.before is None else _text(s.before)
                t.add_row(str(n), s.node + " (leaf)", "AccumulateGrad",
                          f"{s.node}.grad += arriving" + ("\n(changed by a hook)" if s.hooked else ""),
                          "", "", f"{_text(s.contribution)} → {s.node}.grad",
                          f"{before} + {_text(s.contribution)} = {_text(s.after)}")
        tables.append(t)
    if ex.leaves:
        t = _table(".grad after", ["leaf", ".grad"])
        for name, g in ex.leaves.items():
            t.add_row(name, "None" if g is None else _text(g))
        tables.append(t)
    if not ex.steps:
        out.write("no backward pass ran\n")
    _print_tables(tables, out)


def _line_col(site: str) -> str:
    """``file:8:1`` -> ``8:1`` (one program per report; the JSON keeps the file)."""
    parts = site.rsplit(":", 2)
    return ":".join(parts[1:]) if len(parts) == 3 else site


# ------------------------------------------------------------------------------ jacobian

def _grid(matrix, rows: int, cols: int, title: str, row_label: str, col_label: str):
    t = _table(title, [f"{row_label} \\ {col_label}"] + [f"[{j}]" for j in range(cols)])
    for i in range(rows):
        t.add_row(f"[{i}]", *flat_strings(matrix[i]))
    return t


def render_jacobian(j, fmt: str, out, program: str = "") -> None:
    m = np.asarray(j.matrix)
    if fmt == "json":
        doc = _head(j.kind, program)
        doc.update({"of": j.of, "wrt": j.wrt, "of_shape": j.of_shape, "wrt_shape": j.wrt_shape,
                    "dtype": j.dtype, "matrix": _data(m)})
        if j.v is not None:
            doc.update(grad_tensors=_data(j.v), vjp=_data(j.vjp), backward_grad=_data(j.backward_grad),
                       matches=j.matches)
        doc["notes"] = j.notes
        _dump(doc, out)
        return
    if fmt == "csv":
        w = csv.writer(out, lineterminator="\n")
        w.writerow(["row", "column", "value"])
        for (r, c), v in np.ndenumerate(m):
            w.writerow([r, c, flat_strings(np.asarray(v))[0]])
        return
    if fmt == "plain":
        for row in m:
            out.write(" ".join(flat_strings(row)) + "\n")
        return
    if j.kind == "jacobian":
        title = f"Jacobian d{j.of}/d{j.wrt}, {m.shape[0]} × {m.shape[1]}"
        about = f"row i: element i of {j.of}{_shape(j.of_shape)}; column j: element j of {j.wrt}{_shape(j.wrt_shape)}"
    else:
        title = f"Hessian d²{j.of}/d{j.wrt}², {m.shape[0]} × {m.shape[1]}"
        about = f"row i, column j: d²{j.of}/d{j.wrt}[i]d{j.wrt}[j], elements of {j.wrt}{_shape(j.wrt_shape)} in row-major order"
    tables = [about, _grid(m, m.shape[0], m.shape[1], title, j.of if j.kind == "jacobian" else j.wrt, j.wrt)]
    if j.v is not None:
        t = _table(f"grad_tensors: backward(v) computes v·J, never J itself", ["", "value"])
        t.add_row(f"v  (--grad-tensors, shaped as {j.of})", _text(j.v))
        t.add_row("v·J  (Σᵢ vᵢ · row i of J)", _text(j.vjp))
        t.add_row(f"{j.wrt}.grad after {j.of}.backward(v)", _text(j.backward_grad))
        t.add_row("equal", "yes" if j.matches else "NO")
        tables.append(t)
    _print_tables(tables, out)


def _shape(shape) -> str:
    return "(" + ", ".join(str(s) for s in shape) + ("," if len(shape) == 1 else "") + ")"


def _at(index) -> str:
    return "[" + ", ".join(str(i) for i in index) + "]"


# ------------------------------------------------------------------------------- anomaly

def anomaly_object(a) -> dict:
    return {"phase": a.phase, "kind": a.kind, "site": a.site, "grad_fn": a.grad_fn, "node": a.node,
            "input": a.input, "rule": a.rule, "at": a.at, "index": a.index, "message": a.message}


def anomaly_text(a) -> str:
    where = f"{a.site}: " if a.site else ""
    lines = [f"{where}anomaly: {a.message}"]
    if a.index:
        lines.append(f"  first non-finite element: {_at(a.index)}")
    return "\n".join(lines)
