"""Plain text for the shell: ``NAME<TAB>g1 g2 ...`` one line per leaf, row-major,
shortest round-trip decimals (``None`` when the leaf got no gradient).

``backward``: every leaf that requires grad; ``grad``: every ``--wrt`` input;
``forward``: every named tensor's value.
"""

from __future__ import annotations

from ..report.model import Report
from .numbers import flat_strings


def _line(name: str, arr) -> str:
    return f"{name}\t{'None' if arr is None else ' '.join(flat_strings(arr))}\n"


def render_plain(report: Report, out) -> None:
    if report.command == "grad":
        lines = [_line(r.name, r.grad) for r in report.results]
    elif report.command == "forward":
        lines = [_line(r.name, r.value) for r in report.leaves + report.nodes]
    else:
        lines = [_line(r.name, r.grad) for r in report.leaves if r.requires_grad]
    out.write("".join(lines))
