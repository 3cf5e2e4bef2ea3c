"""One JSON document per run, keys in a fixed order (documented in the README).

    {"version": 1, "gradcli": "0.1.0", "command": ..., "program": ..., "options": {...},
     "targets": [...], "leaves": [...], "nodes": [...], "unnamed": [...], "results": [...]}

Each tensor: name, kind, shape, dtype, requires_grad, is_leaf, grad_fn, retains_grad,
value, grad (what PyTorch stores in .grad, or what autograd.grad returned),
d_target (d target / d tensor computed by gradcli; for a target, the grad_tensors
weights, null meaning the implicit 1), line, column.  Numbers are at full precision;
NaN and infinities are the strings "NaN", "Infinity", "-Infinity".
"""

from __future__ import annotations

import json

from .. import __version__
from ..report.model import JSON_VERSION, Report, TensorRow
from .numbers import nested


def tensor_object(r: TensorRow) -> dict:
    return {
        "name": r.name, "kind": r.kind,
        "shape": None if r.shape is None else list(r.shape),
        "dtype": r.dtype, "requires_grad": r.requires_grad, "is_leaf": r.is_leaf,
        "grad_fn": r.grad_fn, "retains_grad": r.retains_grad,
        "value": None if r.value is None else nested(r.value),
        "grad": None if r.grad is None else nested(r.grad),
        "d_target": None if r.d_target is None else nested(r.d_target),
        "line": r.line, "column": r.column,
    }


def document(report: Report) -> dict:
    return {
        "version": JSON_VERSION, "gradcli": __version__,
        "command": report.command, "program": report.program,
        "options": dict(report.options),
        "targets": [tensor_object(r) for r in report.targets],
        "leaves": [tensor_object(r) for r in report.leaves],
        "nodes": [tensor_object(r) for r in report.nodes],
        "unnamed": [tensor_object(r) for r in report.unnamed],
        "results": [tensor_object(r) for r in report.results],
    }


def _emit(obj, indent: int, out: list) -> None:
    """Objects and lists of objects one key a line; number arrays on one line."""
    pad = "  " * indent
    if isinstance(obj, dict) and obj:
        out.append("{\n")
        for i, (k, v) in enumerate(obj.items()):
            out.append(f"{pad}  {json.dumps(k)}: ")
            _emit(v, indent + 1, out)
            out.append(",\n" if i < len(obj) - 1 else "\n")
        out.append(pad + "}")
    elif isinstance(obj, list) and obj and all(isinstance(v, dict) for v in obj):
        out.append("[\n")
        for i, v in enumerate(obj):
            out.append(pad + "  ")
            _emit(v, indent + 1, out)
            out.append(",\n" if i < len(obj) - 1 else "\n")
        out.append(pad + "]")
    else:
        out.append(json.dumps(obj, allow_nan=False, ensure_ascii=False, separators=(", ", ": ")))


def render_json(report: Report, out) -> None:
    parts: list[str] = []
    _emit(document(report), 0, parts)
    out.write("".join(parts) + "\n")
