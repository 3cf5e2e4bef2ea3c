"""The AST of a gradcli program: plain dataclasses, each with the span it came from.

Node and field names follow Python's own ``ast`` module where the construct is the
same, so a reader who knows one knows the other.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from operator import attrgetter
from typing import Any

from gradcli.errors import Span


@dataclass(slots=True, eq=False)
class Node:
    """``pos`` is (file, line, column, end_line, end_column); ``span`` builds the Span.

    Spans are made on demand: building a frozen Span per node would be most of the
    parse time of a long program.
    """

    pos: tuple

    @property
    def span(self) -> Span:
        return Span(*self.pos)

    def __reduce_ex__(self, protocol):
        # The class and its fields in order: pickles 1.5x faster than the slots protocol.
        cls = type(self)
        return cls, _fields_of(cls)(self)


# ---------------------------------------------------------------- expressions


@dataclass(slots=True, eq=False)
class Name(Node):
    id: str


@dataclass(slots=True, eq=False)
class Constant(Node):
    value: Any  # int, float, complex, str, bool, None, Ellipsis


@dataclass(slots=True, eq=False)
class FormattedValue(Node):
    """One ``{value!conversion:format_spec}`` field of an f-string."""

    value: Node
    conversion: str | None  # 's', 'r', 'a' or None
    format_spec: JoinedStr | None
    debug_text: str | None = None  # the ``expr=`` text of ``f"{expr=}"``


@dataclass(slots=True, eq=False)
class JoinedStr(Node):
    """An f-string: literal text (Constant) and FormattedValue parts in order."""

    values: list[Node]


@dataclass(slots=True, eq=False)
class List(Node):
    elts: list[Node]


@dataclass(slots=True, eq=False)
class Tuple(Node):
    elts: list[Node]


@dataclass(slots=True, eq=False)
class Set(Node):
    elts: list[Node]


@dataclass(slots=True, eq=False)
class Dict(Node):
    keys: list[Node | None]  # None marks a ``**mapping`` entry
    values: list[Node]


@dataclass(slots=True, eq=False)
class Starred(Node):
    value: Node


@dataclass(slots=True, eq=False)
class BinOp(Node):
    left: Node
    op: str  # the operator as written: '+', '//', '@', ...
    right: Node


@dataclass(slots=True, eq=False)
class UnaryOp(Node):
    op: str  # '-', '+', '~', 'not'
    operand: Node


@dataclass(slots=True, eq=False)
class BoolOp(Node):
    op: str  # 'and' or 'or'
    values: list[Node]


@dataclass(slots=True, eq=False)
class Compare(Node):
    left: Node
    ops: list[str]  # '<', 'not in', 'is not', ...
    comparators: list[Node]


@dataclass(slots=True, eq=False)
class IfExp(Node):
    test: Node
    body: Node
    orelse: Node


@dataclass(slots=True, eq=False)
class Attribute(Node):
    value: Node
    attr: str
    attr_pos: tuple


@dataclass(slots=True, eq=False)
class Subscript(Node):
    value: Node
    index: Node


@dataclass(slots=True, eq=False)
class Slice(Node):
    lower: Node | None
    upper: Node | None
    step: Node | None


@dataclass(slots=True, eq=False)
class Keyword(Node):
    arg: str | None  # None for ``**mapping``
    value: Node


@dataclass(slots=True, eq=False)
class Call(Node):
    func: Node
    args: list[Node]  # Starred for ``*args``
    keywords: list[Keyword]


@dataclass(slots=True, eq=False)
class Param(Node):
    name: str
    kind: str  # 'positional', 'varargs', 'keyword_only', 'varkw'
    default: Node | None = None


@dataclass(slots=True, eq=False)
class Lambda(Node):
    params: list[Param]
    body: Node


@dataclass(slots=True, eq=False)
class Comprehension(Node):
    """One ``for target in iter if cond ...`` clause."""

    target: Node
    iter: Node
    ifs: list[Node] = field(default_factory=list)


@dataclass(slots=True, eq=False)
class Comp(Node):
    """``[elt for ...]``, ``(elt for ...)``, ``{elt for ...}``, ``{key: elt for ...}``."""

    kind: str  # 'list', 'gen', 'set', 'dict'
    key: Node | None
    elt: Node
    generators: list[Comprehension]


# ----------------------------------------------------------------- statements


@dataclass(slots=True, eq=False)
class Expr(Node):
    value: Node


@dataclass(slots=True, eq=False)
class Assign(Node):
    targets: list[Node]  # ``a = b = value`` has two
    value: Node


@dataclass(slots=True, eq=False)
class AugAssign(Node):
    target: Node
    op: str  # '+', '-', ... (without '=')
    value: Node


@dataclass(slots=True, eq=False)
class If(Node):
    test: Node
    body: list[Node]
    orelse: list[Node]


@dataclass(slots=True, eq=False)
class While(Node):
    test: Node
    body: list[Node]
    orelse: list[Node]


@dataclass(slots=True, eq=False)
class For(Node):
    target: Node
    iter: Node
    body: list[Node]
    orelse: list[Node]


@dataclass(slots=True, eq=False)
class WithItem(Node):
    context: Node
    target: Node | None


@dataclass(slots=True, eq=False)
class With(Node):
    items: list[WithItem]
    body: list[Node]


@dataclass(slots=True, eq=False)
class FunctionDef(Node):
    name: str
    params: list[Param]
    body: list[Node]
    decorators: list[Node] = field(default_factory=list)


@dataclass(slots=True, eq=False)
class Return(Node):
    value: Node | None


@dataclass(slots=True, eq=False)
class Pass(Node):
    pass


@dataclass(slots=True, eq=False)
class Break(Node):
    pass


@dataclass(slots=True, eq=False)
class Continue(Node):
    pass


@dataclass(slots=True, eq=False)
class Assert(Node):
    test: Node
    msg: Node | None


@dataclass(slots=True, eq=False)
class Delete(Node):
    targets: list[Node]


@dataclass(slots=True, eq=False)
class Alias(Node):
    name: str  # dotted: 'torch.nn.functional'
    asname: str | None


@dataclass(slots=True, eq=False)
class Import(Node):
    names: list[Alias]


@dataclass(slots=True, eq=False)
class ImportFrom(Node):
    module: str
    names: list[Alias]  # [Alias('*')] for ``from m import *``


@dataclass(slots=True, eq=False)
class Module(Node):
    body: list[Node]
    source: str = ""  # the decoded text, for quoting lines in messages


def walk(node: Node):
    """Every node under ``node`` (itself included), iteratively, parents first."""
    stack = [node]
    while stack:
        n = stack.pop()
        yield n
        children: list[Node] = []
        for name in _child_fields(type(n)):
            value = getattr(n, name)
            if isinstance(value, Node):
                children.append(value)
            elif isinstance(value, list):
                children.extend(v for v in value if isinstance(v, Node))
        stack.extend(reversed(children))


_FIELDS: dict[type, tuple[str, ...]] = {}


def _child_fields(cls: type) -> tuple[str, ...]:
    names = _FIELDS.get(cls)
    if names is None:
        names = _FIELDS[cls] = tuple(f.name for f in fields(cls) if f.name not in ("pos", "attr_pos"))
    return names


def _fields_of(cls: type):
    """A function from a node to its field values in order (for pickling; see Node.__reduce_ex__)."""
    getter = _STATE.get(cls)
    if getter is None:
        names = [f.name for f in fields(cls)]
        getter = _STATE[cls] = attrgetter(*names) if len(names) > 1 else (lambda n, a=names[0]: (getattr(n, a),))
    return getter


_STATE: dict[type, Any] = {}
