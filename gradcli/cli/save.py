"""``--save-grads OUT.npz``: every leaf's gradient (``grad``: every input's) in numpy's format."""

from __future__ import annotations

from ..errors import UsageError


def save_grads(report, path: str) -> None:
    import numpy as np

    rows = report.results if report.command == "grad" else report.leaves
    arrays = {r.name: np.asarray(r.grad) for r in rows if r.grad is not None}
    try:
        with open(path, "wb") as f:
            np.savez(f, **arrays)
    except OSError as e:
        raise UsageError(f"--save-grads {path}: cannot write: {e.strerror or e}") from None
