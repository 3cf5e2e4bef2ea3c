"""The workloads of issue 6: what each one runs, at which size, and the target it must meet.

Each workload is one template program in workloads/ (and one in numpy_ref/ where a
hand-written numpy version applies). Sizes are lines of the form
``NAME = value  # bench: param``; the runner writes a copy with the value filled in
to out/, so every size of a workload runs the same text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
WORKLOADS = HERE / "workloads"
NUMPY_REF = HERE / "numpy_ref"
OUT = HERE / "out"

PARAM = re.compile(r"^(?P<name>[A-Za-z_]\w*) = .*# bench: param$")
BODY_MARKER = "# bench: body"

# Workload 1's five lines leave the gradients to `gradcli backward`; PyTorch needs them spelled out.
TORCH_TAIL_W1 = "y.backward()\nprint(w.grad, x.grad)\n"


@dataclass
class Case:
    """One row of the table: a workload at one size, run by gradcli, PyTorch and maybe numpy."""

    key: str
    workload: int
    title: str
    template: str
    params: dict = field(default_factory=dict)
    numpy_ref: str | None = None
    command: str = "run"  # the gradcli subcommand
    torch_tail: str = ""
    body_lines: int = 0  # workload 5: straight-line statements generated into the body
    fresh_file: bool = False  # new content every rep, so no parse cache can answer
    warm_up: bool = False  # one untimed run per engine first, so a parse cache is filled
    max_seconds: float | None = None
    max_torch_ratio: float | None = None
    max_numpy_ratio: float | None = None
    times_matter: bool = True  # False for 4-1M: memory and "no error" only

    def target_text(self) -> str:
        parts = []
        if self.max_seconds is not None:
            parts.append(f"<= {self.max_seconds} s")
        if self.max_torch_ratio is not None:
            parts.append(f"g/t <= {self.max_torch_ratio}")
        if self.max_numpy_ratio is not None:
            parts.append(f"g/n <= {self.max_numpy_ratio}")
        if not self.times_matter:
            parts.append("no error")
        parts.append("RSS <= torch")
        return ", ".join(parts)


@dataclass
class Series:
    """Workload 7: one workload at several iteration counts, to see cost per iteration."""

    name: str
    template: str
    param: str
    sizes: list[int]


def cases(quick: bool) -> list[Case]:
    """Every table row, in workload order; quick sizes keep a smoke run to seconds."""
    n2 = 200 if quick else 100_000
    n4 = 300 if quick else 300_000
    n4_big = 1_000 if quick else 1_000_000
    mlp = dict(BATCH=8, WIDTH=32, STEPS=2) if quick else dict(BATCH=256, WIDTH=1024, STEPS=50)
    lines = 200 if quick else 20_000
    n6 = 8 if quick else 300
    return [
        Case("1", 1, "start-up: lesson-6, gradcli backward", "w1_startup.py",
             command="backward", torch_tail=TORCH_TAIL_W1, warm_up=True, max_seconds=0.25),
        Case("1-first", 1, "start-up: lesson-6, first run of the file", "w1_startup.py",
             command="backward", torch_tail=TORCH_TAIL_W1, fresh_file=True, max_seconds=0.25),
        Case("2", 2, f"small ops: {n2:,} x sin*0.9+x, backward", "w2_small_ops.py",
             {"N": n2}, numpy_ref="w2_small_ops.py", max_torch_ratio=0.7),
        Case("3", 3, "big tensors: 4-layer tanh MLP "
             f"{mlp['BATCH']}x{mlp['WIDTH']}, {mlp['STEPS']} steps", "w3_mlp.py",
             mlp, numpy_ref="w3_mlp.py", max_torch_ratio=0.8, max_numpy_ratio=1.1),
        Case("4", 4, f"depth: {n4:,} x y*1.000001, backward", "w4_depth.py",
             {"N": n4}, numpy_ref="w4_depth.py", max_torch_ratio=0.7),
        Case("4-1M", 4, f"depth: {n4_big:,} nodes (memory only)", "w4_depth.py",
             {"N": n4_big}, numpy_ref="w4_depth.py", times_matter=False),
        Case("5-first", 5, f"parsing: {lines:,} lines, first run", "w5_parsing.py",
             body_lines=lines, fresh_file=True, max_torch_ratio=1.5),
        Case("5-repeat", 5, f"parsing: {lines:,} lines, repeat run", "w5_parsing.py",
             body_lines=lines, warm_up=True, max_torch_ratio=1.0),
        Case("6", 6, f"higher order: {n6}x{n6} Hessian, {n6} grad calls", "w6_hessian.py",
             {"N": n6}, numpy_ref="w6_hessian.py", max_torch_ratio=0.7),
    ]


def scaling_series(quick: bool) -> list[Series]:
    """Workloads 2 and 4 at 1x, 10x, 100x and 1000x fewer iterations (4 also at 1M)."""
    if quick:  # two sizes are enough to exercise the arithmetic
        return [Series("2 small ops", "w2_small_ops.py", "N", [200, 20]),
                Series("4 depth", "w4_depth.py", "N", [300, 30])]
    return [
        Series("2 small ops", "w2_small_ops.py", "N", [100_000 // f for f in (1, 10, 100, 1000)]),
        Series("4 depth", "w4_depth.py", "N", [1_000_000] + [300_000 // f for f in (1, 10, 100, 1000)]),
    ]


def straight_line_body(count: int) -> list[str]:
    """`count` small tensor statements, each different text, chained so all of them run."""
    shapes = (
        "v = v * {c} + a",
        "u = torch.sin(v) - b * {c}",
        "v = (u + v) * 0.5",
        "s = s * 0.5 + v.sum() * {c}",
        "v = torch.tanh(v) + u * {c}",
    )
    return [shapes[i % len(shapes)].format(c=f"{0.9 + (i % 997) * 1e-4:.4f}") for i in range(count)]


def render(template: Path, params: dict, body: list[str] | None = None) -> str:
    """The template's text with each `# bench: param` value replaced and the body filled in."""
    unused = set(params)
    lines = []
    for line in template.read_text().splitlines():
        match = PARAM.match(line)
        if match and match["name"] in params:
            name = match["name"]
            unused.discard(name)
            line = f"{name} = {params[name]!r}  # bench: param"
        elif line.strip() == BODY_MARKER and body is not None:
            lines.extend(body)
            continue
        lines.append(line)
    if unused:
        raise ValueError(f"{template.name} has no `# bench: param` line for {sorted(unused)}")
    return "\n".join(lines) + "\n"


def write_program(name: str, text: str, out: Path = OUT) -> Path:
    out.mkdir(parents=True, exist_ok=True)
    path = out / name
    path.write_text(text)
    return path
