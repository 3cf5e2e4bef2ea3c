"""Renderer for ``gradcli check``: one row per leaf checked (order 1) or per Hessian
block (order 2), the backward passes it was checked on, and the worst errors."""

from __future__ import annotations

from .explain import _data, _dump, _head, _print_tables, _shape, _table, _text
from .numbers import json_number


def check_object(c) -> dict:
    doc = {"leaf": c.name}
    if c.wrt is not None:
        doc["wrt"] = c.wrt
    doc.update({"site": c.site, "calls": c.calls, "shape": c.shape, "order": c.order, "passed": c.passed,
                "max_abs_error": json_number(c.max_abs_error), "max_abs_at": c.max_abs_at,
                "max_rel_error": json_number(c.max_rel_error), "max_rel_at": c.max_rel_at,
                "autograd": _data(c.autograd), "numeric": _data(c.numeric)})
    return doc


def _calls(c) -> str:
    ks = c.calls
    if not ks:
        return "gradcli's"
    if len(ks) > 2 and ks == list(range(ks[0], ks[-1] + 1)):
        return f"{ks[0]}-{ks[-1]}"
    return ", ".join(str(k) for k in ks)


def _at(index) -> str:
    return "[" + ", ".join(str(i) for i in index) + "]"


def render_check(r, fmt: str, out, program: str = "") -> None:
    if fmt == "json":
        doc = _head("check", program)
        doc.update(target=r.target, order=r.order, program_dtype=r.program_dtype, checked_in="torch.float64",
                   eps=r.eps, atol=r.atol, rtol=r.rtol, passed=r.passed,
                   leaves=[check_object(c) for c in r.leaves],
                   unchecked=[{"leaf": name, "reason": why} for name, why in r.unchecked], notes=r.notes)
        _dump(doc, out)
        return
    if fmt in ("plain", "csv"):
        sep = "\t" if fmt == "plain" else ","
        if fmt == "csv":
            out.write(sep.join(["leaf", "order", "passed", "max_abs_error", "max_abs_at", "max_rel_error",
                                "max_rel_at", "wrt", "calls"]) + "\n")
        for c in r.leaves:
            fields = [c.name, str(c.order), "ok" if c.passed else "FAIL", f"{c.max_abs_error:.3g}",
                      _at(c.max_abs_at), f"{c.max_rel_error:.3g}", _at(c.max_rel_at), c.wrt or "",
                      " ".join(str(k) for k in c.calls)]
            if fmt == "csv":
                fields = ['"' + f.replace('"', '""') + '"' if any(ch in f for ch in ',"') else f for f in fields]
            out.write(sep.join(fields) + "\n")
        return
    settings = f"(float64, eps={r.eps:g}, atol={r.atol:g}, rtol={r.rtol:g})"
    passes = any(c.calls for c in r.leaves)  # no column when the one pass is gradcli's own
    if r.order == 1:
        title = f"check: autograd's gradient of {r.target} against central differences {settings}"
        columns = ["leaf"] + ["backward pass"] * passes + ["shape"]
    else:
        title = (f"check: autograd's second derivatives of {r.target}, block by block over pairs of leaves, "
                 f"against central differences of its gradients {settings}")
        columns = ["d²/d leaf", "d leaf"] + ["backward pass"] * passes + ["block shape"]
    t = _table(title, columns + ["worst abs error", "at", "worst rel error", "at", "result"])
    for c in r.leaves:
        head = [c.name] + [c.wrt] * (r.order == 2) + [_calls(c)] * passes + [_shape(c.shape)]
        t.add_row(*head, f"{c.max_abs_error:.3g}", _at(c.max_abs_at), f"{c.max_rel_error:.3g}",
                  _at(c.max_rel_at), "ok" if c.passed else "FAIL")
    tables = [t]
    for c in r.leaves:
        if not c.passed:
            what = c.name if c.wrt is None else f"d²/d{c.name} d{c.wrt}"
            f = _table(f"{what}: autograd vs numeric", ["", "value"])
            f.add_row("autograd", _text(c.autograd))
            f.add_row("central differences", _text(c.numeric))
            tables.append(f)
    _print_tables(tables, out)
