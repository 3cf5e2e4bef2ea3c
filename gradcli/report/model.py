"""The data a command hands to a renderer."""

from __future__ import annotations

JSON_VERSION = 1


class TensorRow:
    """One tensor (or one graph node) as the reports show it.

    ``grad`` is what PyTorch stores in ``.grad`` (leaves; intermediates only with
    ``retain_grad()``).  ``d_target`` is what gradcli computed to explain the
    pass: the gradient that flowed into the tensor, d target / d tensor, which
    PyTorch does not store for an intermediate unless it retains its grad.
    (Plain classes here and on every start-up path: a @dataclass costs ~1 ms to build.)
    """

    __slots__ = ("name", "kind", "shape", "dtype", "requires_grad", "is_leaf", "grad_fn", "value", "grad",
                 "d_target", "retains_grad", "line", "column")

    def __init__(self, name: str, kind: str, shape: tuple | None, dtype: str | None, requires_grad: bool,
                 is_leaf: bool, grad_fn: str | None, value: object = None, grad: object = None,
                 d_target: object = None, retains_grad: bool = False, line: int | None = None,
                 column: int | None = None):
        self.name = name
        self.kind = kind                    # "leaf", "node", "target", "input"
        self.shape = shape                  # None: not known (an unnamed node that got no gradient)
        self.dtype = dtype
        self.requires_grad = requires_grad
        self.is_leaf = is_leaf
        self.grad_fn = grad_fn
        self.value = value                  # numpy array, or None when not known
        self.grad = grad
        self.d_target = d_target
        self.retains_grad = retains_grad
        self.line = line
        self.column = column

    def __repr__(self) -> str:
        return f"TensorRow({self.name!r}, {self.kind!r}, shape={self.shape!r}, grad_fn={self.grad_fn!r})"


class Report:
    def __init__(self, command: str, program: str, targets: list | None = None, leaves: list | None = None,
                 nodes: list | None = None, unnamed: list | None = None, results: list | None = None,
                 options: dict | None = None, notes: list | None = None):
        self.command = command              # "backward", "forward", "grad"
        self.program = program              # file name, "<stdin>" or "<expr>"
        self.targets: list[TensorRow] = [] if targets is None else targets
        self.leaves: list[TensorRow] = [] if leaves is None else leaves
        self.nodes: list[TensorRow] = [] if nodes is None else nodes
        self.unnamed: list[TensorRow] = [] if unnamed is None else unnamed
        self.results: list[TensorRow] = [] if results is None else results  # grad: d output / d input
        self.options: dict = {} if options is None else options  # retain_graph, order, ...
        self.notes: list[str] = [] if notes is None else notes    # said on stderr, not in results
