"""Reports from a finished session: which tensors are leaves, which are named
intermediates, and which graph nodes have no name at all."""

from __future__ import annotations

from .model import Report, TensorRow


def _is_tensor(v) -> bool:
    from ..autograd.tensor import Tensor
    return isinstance(v, Tensor)


def _dtype_name(t) -> str:
    return str(t.dtype).replace("torch.", "")


def named_tensors(env: dict) -> list[tuple[str, object, str]]:
    """``(name, tensor, owner)`` for every top-level tensor, then the parameters of
    top-level modules (``model.weight``); ``owner`` is the top-level name to find the line by."""
    out, seen = [], set()
    for name, v in env.items():
        if _is_tensor(v):
            out.append((name, v, name))
            seen.add(id(v))
    for name, v in env.items():
        params = getattr(v, "named_parameters", None)
        if params is None or _is_tensor(v) or isinstance(v, type):
            continue
        try:
            pairs = list(params())
        except Exception:  # noqa: BLE001 - a user object with an odd named_parameters
            continue
        for pname, p in pairs:
            if _is_tensor(p) and id(p) not in seen:
                out.append((f"{name}.{pname}", p, name))
                seen.add(id(p))
    return out


def _spans(session) -> dict:
    spans = {}
    for name, span in getattr(session.result, "assigned", ()):
        spans[name] = span  # the last assignment wins
    return spans


def _grad_fn(t):
    try:
        return t.grad_fn
    except RuntimeError:  # a view whose history may not be rebuilt (torch prints grad_fn=<Invalid>)
        return None


def _into(recorder, node, t):
    g = recorder.into.get(node)
    return g[t.output_nr] if type(g) is list else g  # a node with several outputs: this one's


def row(name: str, t, recorder, span=None, kind: str | None = None) -> TensorRow:
    node = _grad_fn(t)
    is_leaf = node is None
    return TensorRow(
        name=name, kind=kind or ("leaf" if is_leaf else "node"), shape=tuple(t.shape),
        dtype=_dtype_name(t), requires_grad=bool(t.requires_grad), is_leaf=is_leaf,
        grad_fn=None if is_leaf else type(node).__name__, value=t._data,
        grad=None if t._grad is None else t._grad._data,
        d_target=None if is_leaf or recorder is None else _into(recorder, node, t),
        retains_grad=bool(t._retains_grad) and not is_leaf,
        line=span.line if span else None, column=span.column if span else None)


def _split(session, recorder, report: Report) -> None:
    spans = _spans(session)
    named = named_tensors(session.result.env)
    for name, t, owner in named:
        r = row(name, t, recorder, spans.get(owner))
        (report.leaves if r.is_leaf else report.nodes).append(r)
    value = getattr(session.result, "last_value", None)
    if session.program.expr_mode and _is_tensor(value) and all(t is not value for _, t, _ in named):
        # -e: the expression's value is a tensor too, named by its text
        text = session.program.source
        text = (text.decode("utf-8", "replace") if isinstance(text, bytes) else text).strip()
        r = row(text, value, recorder)
        r.line, r.column = 1, 1
        (report.leaves if r.is_leaf else report.nodes).append(r)


def unnamed_nodes(session, recorder, roots) -> list[TensorRow]:
    """Graph nodes reachable from ``roots`` that no top-level name holds, in creation order."""
    from ..autograd.function import AccumulateGrad, next_nodes
    named = {}
    for _, t, _ in named_tensors(session.result.env):
        if _grad_fn(t) is not None:
            named[t.grad_fn] = t
    value = getattr(session.result, "last_value", None)
    if session.program.expr_mode and _is_tensor(value) and _grad_fn(value) is not None:
        named[value.grad_fn] = value
    seen, stack, found = set(), [_grad_fn(t) for t in roots if _grad_fn(t) is not None], []
    while stack:
        node = stack.pop()
        if node is None or node in seen:
            continue
        seen.add(node)
        found.append(node)
        stack.extend(next_nodes(node))
    out = []
    named_leaves = {id(t) for _, t, _ in named_tensors(session.result.env) if t.grad_fn is None}
    for node in sorted(found, key=lambda n: n._seq):
        site = getattr(node, "_site", None)
        line = getattr(site, "line", None)
        column = getattr(site, "column", None)
        at = f" @ {line}:{column}" if line is not None else ""
        text = _source_text(site, session.program)
        if type(node) is AccumulateGrad:
            leaf = node.variable
            if leaf is None or id(leaf) in named_leaves:
                continue
            r = row(f"leaf{at}", leaf, recorder)
            r.line, r.column = line, column
            out.append(r)
            continue
        if node in named:
            continue
        g = recorder.into.get(node) if recorder is not None else None
        out.append(TensorRow(
            name=f"{text or type(node).__name__}{at}", kind="node", shape=None if g is None else tuple(g.shape),
            dtype=None, requires_grad=True, is_leaf=False, grad_fn=type(node).__name__,
            d_target=g, line=line, column=column))
    return out


def _source_text(site, program) -> str | None:
    """The source of a one-line site (``4 * x``), when the site is a span that says where it ends."""
    if getattr(site, "end_line", 0) != getattr(site, "line", None) or not getattr(site, "end_column", 0):
        return None
    if site.file != program.filename:
        return None
    text = program.source
    if isinstance(text, bytes):
        text = text.decode("utf-8", errors="replace")
    lines = text.splitlines()
    if not 1 <= site.line <= len(lines):
        return None
    piece = lines[site.line - 1][site.column - 1: site.end_column - 1].strip()
    return piece if 0 < len(piece) <= 40 else None


def forward_report(session, all_nodes: bool = False) -> Report:
    report = Report("forward", session.program.filename)
    _split(session, None, report)
    if all_nodes:
        roots = [t for _, t, _ in named_tensors(session.result.env)]
        report.unnamed = unnamed_nodes(session, None, roots)
    return report


def backward_report(session, outcome, all_nodes: bool = False, options: dict | None = None) -> Report:
    recorder = session.recorder
    report = Report("backward", session.program.filename, options=dict(options or {}))
    for target, v in zip(outcome.targets, outcome.grad_tensors):
        r = row(target.name, target.tensor, recorder, target.span, kind="target")
        r.d_target = None if v is None else v._data  # the weights v; None is the implicit 1
        report.targets.append(r)
    report.options["backward_by"] = "program" if outcome.by_program else "gradcli"
    _split(session, recorder, report)
    if all_nodes:
        roots = [t.tensor for t in outcome.targets] or [t for _, t, _ in named_tensors(session.result.env)]
        report.unnamed = unnamed_nodes(session, recorder, roots)
    return report


def grad_report(session, outcome, options: dict | None = None) -> Report:
    report = Report("grad", session.program.filename, options=dict(options or {}))
    for target in outcome.targets:
        report.targets.append(row(target.name, target.tensor, None, target.span, kind="target"))
    for inp, g in zip(outcome.inputs, outcome.grads):
        r = row(inp.name, inp.tensor, None, inp.span, kind="input")
        r.grad, r.d_target = g, None  # what torch.autograd.grad returns
        report.results.append(r)
    return report
