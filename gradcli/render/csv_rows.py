"""CSV: one row per tensor element, ``name,kind,index,value,grad``.

``index`` is the element's position joined by ``:`` (``1:0``; empty for a 0-d
tensor).  ``grad`` is a leaf's ``.grad``, what ``gradcli grad`` computed for an
input, and for a named intermediate (kind ``node``) d target / d node, which
gradcli computes and PyTorch keeps only after ``retain_grad()``.  Empty: None.
"""

from __future__ import annotations

import csv

from ..report.model import Report, TensorRow
from .numbers import flat_strings

HEADER = ("name", "kind", "index", "value", "grad")


def _rows(r: TensorRow, grad):
    import numpy as np

    if r.value is None and grad is None:
        return
    ref = np.asarray(r.value if r.value is not None else grad)
    values = flat_strings(r.value) if r.value is not None else [""] * ref.size
    grads = flat_strings(grad) if grad is not None else [""] * ref.size
    for k, idx in enumerate(np.ndindex(*ref.shape)):
        yield (r.name, r.kind, ":".join(str(i) for i in idx), values[k], grads[k])


def render_csv(report: Report, out) -> None:
    w = csv.writer(out, lineterminator="\n")
    w.writerow(HEADER)
    if report.command == "grad":
        for r in report.results:
            w.writerows(_rows(r, r.grad))
        return
    for r in report.leaves:
        w.writerows(_rows(r, r.grad))
    for r in report.nodes + report.unnamed:
        w.writerows(_rows(r, r.d_target if r.d_target is not None else r.grad))
