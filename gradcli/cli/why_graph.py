"""``gradcli graph``: the computation graph behind the target, as a tree, DOT, Mermaid or JSON."""

import os
from enum import Enum

from ..errors import UsageError
from . import options as o
from .params import Param, command
from .why import DetectAnomaly, GradTensors, emit, namer_for, program_name, run_session, say_notes


class GraphFormat(str, Enum):
    tree = "tree"
    dot = "dot"
    mermaid = "mermaid"
    json = "json"


def graph_session(run, of, grad_tensors, backward: bool):
    from ..report.graph import build_graph
    from . import session
    s = run()
    targets = session.find_targets(s, of or [])
    notes = []
    if not session.program_called_backward(s) and backward:
        if grad_tensors or all(t.tensor.numel() == 1 for t in targets):
            session.backward(s, of or [t.name for t in targets], grad_tensors or [], retain_graph=True)
        else:
            notes.append("the target is not a scalar: no backward ran (give --grad-tensors to run one)")
    into = s.recorder.into if len(s.recorder.into) else None
    return s, build_graph([t.tensor for t in targets], namer_for(s), into), notes


def write_image(dot_text: str, path: str) -> None:
    """``dot -T<ext> -o path``: Graphviz renders the DOT text to an image."""
    ext = os.path.splitext(path)[1].lower().lstrip(".")
    import shutil  # (only here: tempfile and subprocess cost start-up for every command)
    import subprocess
    import tempfile

    exe = shutil.which("dot")
    if exe is None:
        raise UsageError(
            f"-o {path}: writing .{ext} needs Graphviz's 'dot' program, which is not installed "
            "(apt install graphviz, brew install graphviz, or conda install graphviz); or write "
            "the DOT text with '-f dot -o graph.dot' and render it elsewhere")
    with tempfile.NamedTemporaryFile("w", suffix=".dot", delete=False, encoding="utf-8") as f:
        f.write(dot_text)
        src = f.name
    try:
        done = subprocess.run([exe, f"-T{ext}", "-o", path, src], capture_output=True, text=True, timeout=60)
    finally:
        os.unlink(src)
    if done.returncode != 0:
        raise UsageError(f"-o {path}: dot failed: {(done.stderr or '').strip().splitlines()[:1]}")


GraphFormatOpt = Param("--format", "-f", kind=GraphFormat, case_sensitive=False,
                       help="tree (Rich), dot (Graphviz), mermaid, json")
Output = Param("--output", "-o", metavar="FILE", help="Write to FILE; .svg/.png/.pdf are drawn by Graphviz's dot.")
Backward = Param(
    "--backward/--no-backward", kind=bool,
    help="Run backward on the target first (when the program did not), so nodes carry gradients.")


@command
def graph(file: o.File = None, expr: o.Expr = None, of: o.Of = None, grad_tensors: GradTensors = None,
          set: o.Set = None, dtype: o.DTypeOpt = None, fmt: GraphFormatOpt = GraphFormat.tree,
          output: Output = None, backward: Backward = True,
          detect_anomaly: DetectAnomaly = False, max_steps: o.MaxSteps = None,
          max_elements: o.MaxElements = None, timeout: o.Timeout = None, debug: o.Debug = False) -> None:
    """The computation graph behind the target: names, source positions, grad_fn, shapes, values, grads."""
    from ..render.graph import render_dot, render_graph
    s, g, notes = run_session(detect_anomaly, (file, expr, set, dtype, max_steps, max_elements, timeout),
                              graph_session, of, grad_tensors, backward)
    say_notes(notes)
    if output:
        ext = os.path.splitext(output)[1].lower()
        if ext in (".svg", ".png", ".pdf", ".jpg", ".gif"):
            import io
            buf = io.StringIO()
            render_dot(g, buf)
            write_image(buf.getvalue(), output)
            return
        with open(output, "w", encoding="utf-8") as f:
            render_graph(g, {".dot": "dot", ".gv": "dot", ".mmd": "mermaid", ".json": "json"}.get(ext, fmt.value),
                         f, program_name(s))
        return
    emit(lambda out: render_graph(g, fmt.value, out, program_name(s)))
