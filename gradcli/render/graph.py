"""The computation graph as a terminal tree (Rich), Graphviz DOT, Mermaid or JSON.

Data flows from leaves to the root; the tree reads the other way, from the root
down to its inputs, as backward walks it.  A node used twice is drawn once and
referred to by id afterwards.  Edges into a leaf are AccumulateGrad's: dashed in
DOT and Mermaid.
"""

from __future__ import annotations

import numpy as np

from .. import __version__
from ..report.model import JSON_VERSION
from .numbers import flat_strings, nested

MAX_INLINE = 6  # elements shown inline in a label; longer values are summarised


def _short(a) -> str:
    if a is None:
        return ""
    a = np.asarray(a)
    items = flat_strings(a)
    if a.ndim == 0:
        return items[0]
    if len(items) > MAX_INLINE:
        return "[" + ", ".join(items[:MAX_INLINE - 1]) + ", …]"
    return "[" + ", ".join(items) + "]"


def _shape(shape) -> str:
    if shape is None:
        return "?"
    return "(" + ", ".join(str(s) for s in shape) + ("," if len(shape) == 1 else "") + ")"


def label_lines(n) -> list[str]:
    head = f"{n.name}" + (" [leaf]" if n.kind == "leaf" else "") + (" [root]" if n.is_root else "")
    lines = [head, n.grad_fn + (f" @ {n.site}" if n.site else ""), f"shape {_shape(n.shape)} {n.dtype or ''}".rstrip()]
    if n.value is not None:
        lines.append(f"value {_short(n.value)}")
    if n.grad is not None:
        lines.append(("grad " if n.kind == "leaf" else "d root/d node ") + _short(n.grad))
    return lines


def render_tree(g, out) -> None:
    from rich.tree import Tree

    from .table import print_parts
    shown: set = set()

    def text(node_id):
        n = g.node(node_id)
        return f"{node_id}  " + "  ".join(label_lines(n))

    def grow(tree, node_id):
        for e in g.children(node_id):
            label = f"{e.input}: "
            if e.source in shown:
                tree.add(f"{label}{e.source}  {g.node(e.source).name} (shown above)")
                continue
            shown.add(e.source)
            kind = "─AccumulateGrad→ " if e.accumulate else ""
            branch = tree.add(label + kind + text(e.source))
            grow(branch, e.source)

    trees = []
    for r in g.roots:
        shown.add(r)
        trees.append(Tree(text(r), guide_style="dim"))
        grow(trees[-1], r)
    print_parts(trees, out)
    if not g.roots:
        out.write("no graph: the target does not require grad\n")


def _dot_escape(s: str) -> str:
    return s.replace("\\", "\\\\").replace('"', '\\"')


def render_dot(g, out) -> None:
    lines = ["digraph gradcli {", "  rankdir=BT;",
             '  node [shape=box, fontname="Helvetica", fontsize=10];']
    for n in g.nodes:
        label = "\\n".join(_dot_escape(s) for s in label_lines(n))
        style = ', style="rounded,filled", fillcolor="lightblue"' if n.kind == "leaf" else ""
        if n.is_root:
            style += ", penwidth=2"
        lines.append(f'  {n.id} [label="{label}"{style}];')
    for e in g.edges:
        attrs = [f'label="{_dot_escape(e.input)}"']
        if e.accumulate:
            attrs.append('style=dashed')
        lines.append(f"  {e.source} -> {e.target} [{', '.join(attrs)}];")
    lines.append("}")
    out.write("\n".join(lines) + "\n")


def _mermaid_escape(s: str) -> str:
    return s.replace('"', "#quot;").replace("<", "#lt;").replace(">", "#gt;")


def render_mermaid(g, out) -> None:
    lines = ["flowchart BT"]
    for n in g.nodes:
        label = "<br/>".join(_mermaid_escape(s) for s in label_lines(n))
        if n.kind == "leaf":
            lines.append(f'  {n.id}(["{label}"])')
        else:
            lines.append(f'  {n.id}["{label}"]')
    for e in g.edges:
        arrow = "-.->" if e.accumulate else "-->"
        lines.append(f"  {e.source} {arrow}|{_mermaid_escape(e.input)}| {e.target}")
    leaves = [n.id for n in g.nodes if n.kind == "leaf"]
    if leaves:
        lines.append("  classDef leaf fill:#dbeafe,stroke:#1e40af")
        lines.append(f"  class {','.join(leaves)} leaf")
    out.write("\n".join(lines) + "\n")


def graph_object(g, program: str = "") -> dict:
    return {
        "version": JSON_VERSION, "gradcli": __version__, "command": "graph", "program": program,
        "roots": g.roots, "after_backward": g.after_backward,
        "nodes": [{"id": n.id, "kind": n.kind, "name": n.name, "grad_fn": n.grad_fn, "site": n.site,
                   "shape": n.shape, "dtype": n.dtype, "is_root": n.is_root,
                   "value": None if n.value is None else nested(n.value),
                   "grad": None if n.grad is None else nested(n.grad)} for n in g.nodes],
        "edges": [{"source": e.source, "target": e.target, "input": e.input,
                   "accumulate": e.accumulate} for e in g.edges],
    }


def render_graph(g, fmt: str, out, program: str = "") -> None:
    if fmt in ("tree", "table"):
        render_tree(g, out)
    elif fmt == "dot":
        render_dot(g, out)
    elif fmt == "mermaid":
        render_mermaid(g, out)
    elif fmt == "json":
        from .json_doc import _emit
        parts: list[str] = []
        _emit(graph_object(g, program), 0, parts)
        out.write("".join(parts) + "\n")
    else:
        raise ValueError(f"unknown graph format {fmt!r}")
