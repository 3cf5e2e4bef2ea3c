"""The AST of a gradcli program: plain slotted classes, each with the span it came from.

Node and field names follow Python's own ``ast`` module where the construct is the
same, so a reader who knows one knows the other. Each class lists its fields in
``__slots__`` and assigns them in a written-out ``__init__``: ``@dataclass(slots=True)``
built the same classes but cost a fifth of gradcli's start-up (it creates each class
twice and compiles its methods from generated source).
"""

from __future__ import annotations

from operator import attrgetter
from typing import Any

from gradcli.errors import Span


class Node:
    """``pos`` is (file, line, column, end_line, end_column); ``span`` builds the Span.

    Spans are made on demand: building a frozen Span per node would be most of the
    parse time of a long program.
    """

    __slots__ = ("pos",)
    pos: tuple

    def __init__(self, pos):
        self.pos = pos

    def __repr__(self) -> str:
        values = ", ".join(f"{name}={getattr(self, name)!r}" for name in field_names(type(self)))
        return f"{type(self).__name__}({values})"

    @property
    def span(self) -> Span:
        return Span(*self.pos)

    def __reduce_ex__(self, protocol):
        # The class and its fields in order: pickles 1.5x faster than the slots protocol.
        cls = type(self)
        return cls, _fields_of(cls)(self)


# ---------------------------------------------------------------- expressions


class Name(Node):
    __slots__ = ("id",)
    id: str

    def __init__(self, pos, id):
        self.pos = pos
        self.id = id


class Constant(Node):
    __slots__ = ("value",)
    value: Any  # int, float, complex, str, bool, None, Ellipsis

    def __init__(self, pos, value):
        self.pos = pos
        self.value = value


class FormattedValue(Node):
    """One ``{value!conversion:format_spec}`` field of an f-string."""

    __slots__ = ("value", "conversion", "format_spec", "debug_text")
    value: Node
    conversion: str | None  # 's', 'r', 'a' or None
    format_spec: JoinedStr | None
    debug_text: str | None  # the ``expr=`` text of ``f"{expr=}"``

    def __init__(self, pos, value, conversion, format_spec, debug_text=None):
        self.pos = pos
        self.value = value
        self.conversion = conversion
        self.format_spec = format_spec
        self.debug_text = debug_text


class JoinedStr(Node):
    """An f-string: literal text (Constant) and FormattedValue parts in order."""

    __slots__ = ("values",)
    values: list[Node]

    def __init__(self, pos, values):
        self.pos = pos
        self.values = values


class List(Node):
    __slots__ = ("elts",)
    elts: list[Node]

    def __init__(self, pos, elts):
        self.pos = pos
        self.elts = elts


class Tuple(Node):
    __slots__ = ("elts",)
    elts: list[Node]

    def __init__(self, pos, elts):
        self.pos = pos
        self.elts = elts


class Set(Node):
    __slots__ = ("elts",)
    elts: list[Node]

    def __init__(self, pos, elts):
        self.pos = pos
        self.elts = elts


class Dict(Node):
    __slots__ = ("keys", "values")
    keys: list[Node | None]  # None marks a ``**mapping`` entry
    values: list[Node]

    def __init__(self, pos, keys, values):
        self.pos = pos
        self.keys = keys
        self.values = values


class Starred(Node):
    __slots__ = ("value",)
    value: Node

    def __init__(self, pos, value):
        self.pos = pos
        self.value = value


class BinOp(Node):
    __slots__ = ("left", "op", "right")
    left: Node
    op: str  # the operator as written: '+', '//', '@', ...
    right: Node

    def __init__(self, pos, left, op, right):
        self.pos = pos
        self.left = left
        self.op = op
        self.right = right


class UnaryOp(Node):
    __slots__ = ("op", "operand")
    op: str  # '-', '+', '~', 'not'
    operand: Node

    def __init__(self, pos, op, operand):
        self.pos = pos
        self.op = op
        self.operand = operand


class BoolOp(Node):
    __slots__ = ("op", "values")
    op: str  # 'and' or 'or'
    values: list[Node]

    def __init__(self, pos, op, values):
        self.pos = pos
        self.op = op
        self.values = values


class Compare(Node):
    __slots__ = ("left", "ops", "comparators")
    left: Node
    ops: list[str]  # '<', 'not in', 'is not', ...
    comparators: list[Node]

    def __init__(self, pos, left, ops, comparators):
        self.pos = pos
        self.left = left
        self.ops = ops
        self.comparators = comparators


class IfExp(Node):
    __slots__ = ("test", "body", "orelse")
    test: Node
    body: Node
    orelse: Node

    def __init__(self, pos, test, body, orelse):
        self.pos = pos
        self.test = test
        self.body = body
        self.orelse = orelse


class Attribute(Node):
    __slots__ = ("value", "attr", "attr_pos")
    value: Node
    attr: str
    attr_pos: tuple

    def __init__(self, pos, value, attr, attr_pos):
        self.pos = pos
        self.value = value
        self.attr = attr
        self.attr_pos = attr_pos


class Subscript(Node):
    __slots__ = ("value", "index")
    value: Node
    index: Node

    def __init__(self, pos, value, index):
        self.pos = pos
        self.value = value
        self.index = index


class Slice(Node):
    __slots__ = ("lower", "upper", "step")
    lower: Node | None
    upper: Node | None
    step: Node | None

    def __init__(self, pos, lower, upper, step):
        self.pos = pos
        self.lower = lower
        self.upper = upper
        self.step = step


class Keyword(Node):
    __slots__ = ("arg", "value")
    arg: str | None  # None for ``**mapping``
    value: Node

    def __init__(self, pos, arg, value):
        self.pos = pos
        self.arg = arg
        self.value = value


class Call(Node):
    __slots__ = ("func", "args", "keywords")
    func: Node
    args: list[Node]  # Starred for ``*args``
    keywords: list[Keyword]

    def __init__(self, pos, func, args, keywords):
        self.pos = pos
        self.func = func
        self.args = args
        self.keywords = keywords


class Param(Node):
    __slots__ = ("name", "kind", "default")
    name: str
    kind: str  # 'positional', 'varargs', 'keyword_only', 'varkw'
    default: Node | None

    def __init__(self, pos, name, kind, default=None):
        self.pos = pos
        self.name = name
        self.kind = kind
        self.default = default


class Lambda(Node):
    __slots__ = ("params", "body")
    params: list[Param]
    body: Node

    def __init__(self, pos, params, body):
        self.pos = pos
        self.params = params
        self.body = body


class Comprehension(Node):
    """One ``for target in iter if cond ...`` clause."""

    __slots__ = ("target", "iter", "ifs")
    target: Node
    iter: Node
    ifs: list[Node]

    def __init__(self, pos, target, iter, ifs=None):
        self.pos = pos
        self.target = target
        self.iter = iter
        self.ifs = [] if ifs is None else ifs


class Comp(Node):
    """``[elt for ...]``, ``(elt for ...)``, ``{elt for ...}``, ``{key: elt for ...}``."""

    __slots__ = ("kind", "key", "elt", "generators")
    kind: str  # 'list', 'gen', 'set', 'dict'
    key: Node | None
    elt: Node
    generators: list[Comprehension]

    def __init__(self, pos, kind, key, elt, generators):
        self.pos = pos
        self.kind = kind
        self.key = key
        self.elt = elt
        self.generators = generators


# ----------------------------------------------------------------- statements


class Expr(Node):
    __slots__ = ("value",)
    value: Node

    def __init__(self, pos, value):
        self.pos = pos
        self.value = value


class Assign(Node):
    __slots__ = ("targets", "value")
    targets: list[Node]  # ``a = b = value`` has two
    value: Node

    def __init__(self, pos, targets, value):
        self.pos = pos
        self.targets = targets
        self.value = value


class AugAssign(Node):
    __slots__ = ("target", "op", "value")
    target: Node
    op: str  # '+', '-', ... (without '=')
    value: Node

    def __init__(self, pos, target, op, value):
        self.pos = pos
        self.target = target
        self.op = op
        self.value = value


class If(Node):
    __slots__ = ("test", "body", "orelse")
    test: Node
    body: list[Node]
    orelse: list[Node]

    def __init__(self, pos, test, body, orelse):
        self.pos = pos
        self.test = test
        self.body = body
        self.orelse = orelse


class While(Node):
    __slots__ = ("test", "body", "orelse")
    test: Node
    body: list[Node]
    orelse: list[Node]

    def __init__(self, pos, test, body, orelse):
        self.pos = pos
        self.test = test
        self.body = body
        self.orelse = orelse


class For(Node):
    __slots__ = ("target", "iter", "body", "orelse")
    target: Node
    iter: Node
    body: list[Node]
    orelse: list[Node]

    def __init__(self, pos, target, iter, body, orelse):
        self.pos = pos
        self.target = target
        self.iter = iter
        self.body = body
        self.orelse = orelse


class WithItem(Node):
    __slots__ = ("context", "target")
    context: Node
    target: Node | None

    def __init__(self, pos, context, target):
        self.pos = pos
        self.context = context
        self.target = target


class With(Node):
    __slots__ = ("items", "body")
    items: list[WithItem]
    body: list[Node]

    def __init__(self, pos, items, body):
        self.pos = pos
        self.items = items
        self.body = body


class ExceptHandler(Node):
    """One ``except [type [as name]]:`` clause; ``type`` None is a bare ``except:``."""

    __slots__ = ("type", "name", "body")
    type: Node | None
    name: str | None
    body: list[Node]

    def __init__(self, pos, type, name, body):
        self.pos = pos
        self.type = type
        self.name = name
        self.body = body


class Try(Node):
    __slots__ = ("body", "handlers", "orelse", "finalbody")
    body: list[Node]
    handlers: list[ExceptHandler]
    orelse: list[Node]
    finalbody: list[Node]

    def __init__(self, pos, body, handlers, orelse, finalbody):
        self.pos = pos
        self.body = body
        self.handlers = handlers
        self.orelse = orelse
        self.finalbody = finalbody


class Raise(Node):
    __slots__ = ("exc", "cause")
    exc: Node | None  # None: a bare ``raise`` (re-raise the exception being handled)
    cause: Node | None  # ``raise exc from cause``

    def __init__(self, pos, exc, cause):
        self.pos = pos
        self.exc = exc
        self.cause = cause


class FunctionDef(Node):
    __slots__ = ("name", "params", "body", "decorators")
    name: str
    params: list[Param]
    body: list[Node]
    decorators: list[Node]

    def __init__(self, pos, name, params, body, decorators=None):
        self.pos = pos
        self.name = name
        self.params = params
        self.body = body
        self.decorators = [] if decorators is None else decorators


class Return(Node):
    __slots__ = ("value",)
    value: Node | None

    def __init__(self, pos, value):
        self.pos = pos
        self.value = value


class Pass(Node):
    __slots__ = ()


class Break(Node):
    __slots__ = ()


class Continue(Node):
    __slots__ = ()


class Assert(Node):
    __slots__ = ("test", "msg")
    test: Node
    msg: Node | None

    def __init__(self, pos, test, msg):
        self.pos = pos
        self.test = test
        self.msg = msg


class Delete(Node):
    __slots__ = ("targets",)
    targets: list[Node]

    def __init__(self, pos, targets):
        self.pos = pos
        self.targets = targets


class Alias(Node):
    __slots__ = ("name", "asname")
    name: str  # dotted: 'torch.nn.functional'
    asname: str | None

    def __init__(self, pos, name, asname):
        self.pos = pos
        self.name = name
        self.asname = asname


class Import(Node):
    __slots__ = ("names",)
    names: list[Alias]

    def __init__(self, pos, names):
        self.pos = pos
        self.names = names


class ImportFrom(Node):
    __slots__ = ("module", "names")
    module: str
    names: list[Alias]  # [Alias('*')] for ``from m import *``

    def __init__(self, pos, module, names):
        self.pos = pos
        self.module = module
        self.names = names


class Module(Node):
    __slots__ = ("body", "source")
    body: list[Node]
    source: str  # the decoded text, for quoting lines in messages

    def __init__(self, pos, body, source=""):
        self.pos = pos
        self.body = body
        self.source = source


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


def field_names(cls: type) -> tuple[str, ...]:
    """Every field of a node class in ``__init__`` order: the bases' slots first."""
    return tuple(name for klass in reversed(cls.__mro__) for name in vars(klass).get("__slots__", ()))


def _child_fields(cls: type) -> tuple[str, ...]:
    names = _FIELDS.get(cls)
    if names is None:
        names = _FIELDS[cls] = tuple(f for f in field_names(cls) if f not in ("pos", "attr_pos"))
    return names


def _fields_of(cls: type):
    """A function from a node to its field values in order (for pickling; see Node.__reduce_ex__)."""
    getter = _STATE.get(cls)
    if getter is None:
        names = field_names(cls)
        getter = _STATE[cls] = attrgetter(*names) if len(names) > 1 else (lambda n, a=names[0]: (getattr(n, a),))
    return getter


_STATE: dict[type, Any] = {}
