"""The computation graph as plain data: nodes with names, positions, shapes, values, grads.

Used by ``gradcli graph`` and, for its names, by ``gradcli explain``.  A node's name
comes from the program: the top-level variable holding its output, else the
assignment its source line makes (``a = torch.add(w, x)`` inside a loop), else the
source text of the expression that created it.  Node ids (``n0``, ``n1``…) are given
in a depth-first walk from the roots along ``next_functions``, so the same program
gives the same ids every run and the output can be diffed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np

_ASSIGN = re.compile(r"^\s*([A-Za-z_][A-Za-z_0-9]*)\s*(?:[-+*/@]?=)\s*(.*?)\s*(?:#.*)?$")


def span_text(span) -> str:
    return "" if span is None else f"{span.file}:{span.line}:{span.column}"


class Namer:
    """Names a person recognises for graph nodes and leaves.

    ``env`` is the program's top-level names (name -> value); ``lines`` maps a file
    name to its source lines, for names of values the program no longer holds.
    """

    def __init__(self, env: dict | None = None, lines: dict | None = None):
        from ..autograd.tensor import Tensor

        self._by_node: dict = {}
        self._by_port: dict = {}  # an output of a node with several (function.OutputPort) -> its name
        self._by_leaf: dict = {}
        self._lines = lines if lines is not None else {}
        self._anonymous: dict = {}
        outputs: dict = {}
        for name, value in (env or {}).items():
            if not isinstance(value, Tensor) or name.startswith("_"):
                continue
            if value.grad_fn is not None:
                port = value._port
                if port is not None and port.node is value.grad_fn:
                    self._by_port.setdefault(id(port), name)
                    outputs.setdefault(id(port.node), {}).setdefault(port.nr, name)
                else:
                    self._by_node.setdefault(id(value.grad_fn), name)
            elif value._requires_grad:
                self._by_leaf.setdefault(id(value), name)
        for key, names in outputs.items():  # one node, several outputs: "a, b, c"
            self._by_node.setdefault(key, ", ".join(names[k] for k in sorted(names)))
        self._keep = env  # the ids above are only valid while the values live

    def named(self, node) -> bool:
        return id(node) in self._by_node

    def node(self, node) -> str:
        """The name of the tensor ``node`` produced (``node`` may be an edge into one output of a
        node with several: that output's name)."""
        from ..autograd.function import AccumulateGrad, OutputPort

        if type(node) is AccumulateGrad:
            return self.leaf(node.variable)
        if type(node) is OutputPort:
            name = self._by_port.get(id(node))
            if name is not None:
                return name
            node = node.node
        name = self._by_node.get(id(node))
        if name is not None:
            return name
        return self._from_source(node._site) or self._anonymous_name(node, "t")

    def leaf(self, tensor) -> str:
        name = self._by_leaf.get(id(tensor))
        if name is not None:
            return name
        return self._anonymous_name(tensor, "leaf")

    def _anonymous_name(self, obj, prefix) -> str:
        key = id(obj)
        if key not in self._anonymous:
            self._anonymous[key] = (obj, f"{prefix}{len(self._anonymous) + 1}")
        return self._anonymous[key][1]

    def _from_source(self, span) -> str | None:
        if span is None:
            return None
        lines = self._lines.get(span.file)
        if lines is None or not 1 <= span.line <= len(lines):
            return None
        line = lines[span.line - 1]
        end = span.end_column if span.end_line == span.line and span.end_column > span.column else len(line) + 1
        text = line[span.column - 1:end - 1].strip()
        m = _ASSIGN.match(line)
        if m and (m.group(2) == text or not text or _ASSIGN.match(text)):
            return m.group(1)
        if not text:
            return None
        return text if len(text) <= 40 else text[:37] + "..."


def source_lines(files: dict) -> dict:
    """``{filename: text}`` (str or bytes) to ``{filename: [lines]}`` for :class:`Namer`."""
    out = {}
    for name, text in files.items():
        if isinstance(text, bytes):
            text = text.decode("utf-8", errors="replace")
        out[name] = text.splitlines()
    return out


def operand(name: str) -> str:
    """``name`` ready to stand inside a formula: parenthesised unless a simple name."""
    return name if re.fullmatch(r"[\w.\[\]]+", name) else f"({name})"


def array(a):
    """A private copy of a Tensor's or array's data (None stays None)."""
    if a is None:
        return None
    return np.array(getattr(a, "_data", a), copy=True)


# ---------------------------------------------------------------------------- the graph

@dataclass
class GraphNode:
    id: str
    kind: str                 # "op" (a grad_fn) or "leaf" (a tensor behind AccumulateGrad)
    name: str
    grad_fn: str              # "AccumulateGrad" for a leaf
    site: str                 # "FILE:LINE:COL", "" when unknown
    shape: list | None
    dtype: str | None
    value: object = None      # numpy array, when known
    grad: object = None       # d root / d this node, after backward
    is_root: bool = False
    retains_grad: bool = False


@dataclass
class GraphEdge:
    source: str               # the input's node id (data flows source -> target)
    target: str               # the op that consumed it
    input: str                # the input's name in the op's formula (self, other…)
    accumulate: bool = False  # the edge ends at a leaf's AccumulateGrad


@dataclass
class Graph:
    roots: list[str]
    nodes: list[GraphNode] = field(default_factory=list)
    edges: list[GraphEdge] = field(default_factory=list)
    after_backward: bool = False

    def node(self, id_: str) -> GraphNode:
        for n in self.nodes:
            if n.id == id_:
                return n
        raise KeyError(id_)

    def children(self, id_: str) -> list[GraphEdge]:
        """The inputs of node ``id_`` (the tree view's children), in input order."""
        return [e for e in self.edges if e.target == id_]



def _dtype_name(np_dtype) -> str | None:
    if np_dtype is None:
        return None
    from ..autograd import dtypes
    try:
        return repr(dtypes.BY_NUMPY[np.dtype(np_dtype)])
    except KeyError:
        return str(np_dtype)


def build_graph(roots, namer: Namer, grads_into=None, env_values: bool = True) -> Graph:
    """The graph behind ``roots`` (a list of Tensors).

    ``grads_into`` maps a node to the gradient that flowed into it (a recorder from
    a backward pass); without it nodes carry no gradient, leaves their ``.grad``.
    """
    from ..autograd.function import AccumulateGrad, next_nodes
    from ..autograd.ops.registry import accumulate_node

    ids: dict = {}
    meta: dict = {}            # node -> (shape, np dtype) of its output
    tensors: dict = {}         # node -> a tensor holding its output, when known
    order = []
    graph = Graph(roots=[])
    stack = []
    for t in reversed(roots):
        if not t._requires_grad:
            continue
        node = t.grad_fn if t.grad_fn is not None else accumulate_node(t)
        stack.append(node)
        meta.setdefault(node, (t._data.shape, t._data.dtype))
        tensors.setdefault(node, t)
    root_nodes = list(reversed(stack))
    while stack:
        node = stack.pop()
        if node in ids:
            continue
        ids[node] = f"n{len(ids)}"
        order.append(node)
        edges = next_nodes(node)
        in_meta = node._in_meta
        for i in range(len(edges) - 1, -1, -1):
            nxt = edges[i]
            if nxt is None:
                continue
            if nxt not in meta:
                m = in_meta[i] if in_meta is not None and in_meta[i] is not None else meta.get(node)
                meta[nxt] = m
            if nxt not in ids:
                stack.append(nxt)
    graph.roots = [ids[n] for n in root_nodes]
    seen_roots = set(graph.roots)
    for node in order:
        nid = ids[node]
        shape, dt = meta.get(node) or (None, None)
        if type(node) is AccumulateGrad:
            leaf = node.variable
            gn = GraphNode(nid, "leaf", namer.leaf(leaf), "AccumulateGrad", "",
                           list(leaf._data.shape), _dtype_name(leaf._data.dtype),
                           value=array(leaf._data),
                           grad=array(leaf._grad) if leaf._grad is not None else None)
        else:
            t = tensors.get(node)
            gn = GraphNode(nid, "op", namer.node(node), type(node).__name__, span_text(node._site),
                           None if shape is None else list(shape), _dtype_name(dt))
            if t is not None and getattr(node, "_outputs", None) is None:
                gn.value = array(t._data)
            if grads_into is not None and node in grads_into and type(grads_into[node]) is not list:
                gn.grad = array(grads_into[node])  # (not for a node with several outputs)
        gn.is_root = nid in seen_roots
        graph.nodes.append(gn)
        spec = getattr(node, "spec", None)
        names = spec.inputs if spec is not None else ()
        for i, nxt in enumerate(next_nodes(node)):
            if nxt is None:
                continue
            graph.edges.append(GraphEdge(ids[nxt], nid, names[i] if i < len(names) else f"input{i}",
                                         type(nxt) is AccumulateGrad))
    graph.after_backward = grads_into is not None and len(grads_into) > 0
    _values_from_env(graph, namer, order, ids)
    return graph


def _values_from_env(graph: Graph, namer: Namer, order, ids) -> None:
    """Values of op nodes the program still holds under a top-level name."""
    env = namer._keep or {}
    from ..autograd.tensor import Tensor
    by_node = {}
    for value in env.values():
        if isinstance(value, Tensor) and value.grad_fn is not None:
            by_node.setdefault(id(value.grad_fn), value)
    for node in order:
        t = by_node.get(id(node))
        if t is None or getattr(node, "_outputs", None) is not None:  # (several outputs: no one value)
            continue
        gn = graph.node(ids[node])
        if gn.value is None:
            gn.value = array(t._data)
        if gn.grad is None and t._retains_grad and t._grad is not None:
            gn.grad = array(t._grad)
            gn.retains_grad = True
