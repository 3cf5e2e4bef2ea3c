"""The data a command hands to a renderer."""

from __future__ import annotations

from dataclasses import dataclass, field

JSON_VERSION = 1


@dataclass
class TensorRow:
    """One tensor (or one graph node) as the reports show it.

    ``grad`` is what PyTorch stores in ``.grad`` (leaves; intermediates only with
    ``retain_grad()``).  ``d_target`` is what gradcli computed to explain the
    pass: the gradient that flowed into the tensor, d target / d tensor, which
    PyTorch does not store for an intermediate unless it retains its grad.
    """

    name: str
    kind: str                       # "leaf", "node", "target", "input"
    shape: tuple | None             # None: not known (an unnamed node that got no gradient)
    dtype: str | None
    requires_grad: bool
    is_leaf: bool
    grad_fn: str | None
    value: object = None            # numpy array, or None when not known
    grad: object = None
    d_target: object = None
    retains_grad: bool = False
    line: int | None = None
    column: int | None = None


@dataclass
class Report:
    command: str                    # "backward", "forward", "grad"
    program: str                    # file name, "<stdin>" or "<expr>"
    targets: list[TensorRow] = field(default_factory=list)
    leaves: list[TensorRow] = field(default_factory=list)
    nodes: list[TensorRow] = field(default_factory=list)
    unnamed: list[TensorRow] = field(default_factory=list)
    results: list[TensorRow] = field(default_factory=list)   # grad: d output / d input
    options: dict = field(default_factory=dict)               # retain_graph, order, ...
    notes: list[str] = field(default_factory=list)            # said on stderr, not in results
