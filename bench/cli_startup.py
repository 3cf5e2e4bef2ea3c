"""Start-up of the command line, whole process, medians (never asserted in tests).

    /work/venv/bin/python bench/cli_startup.py [--repeat N]

Prints the median wall time of each command next to a bare ``python -c pass``, the
floor set by importing the dependencies alone (numpy, typer, rich), and the
issue's budget (``gradcli backward`` on lesson-6, table output: 0.25 s), and which of
numpy, lark and rich ``gradcli --help`` imports (it should import none).
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BUDGET = 0.25


def gradcli() -> list[str]:
    script = Path(sys.executable).parent / "gradcli"
    return [str(script)] if script.exists() else [sys.executable, "-m", "gradcli"]


def median_seconds(argv: list[str], repeat: int) -> tuple[float, float, int]:
    """Median wall time and median CPU time (user + system) of the child: on a busy
    machine the CPU time is the steadier of the two."""
    import resource

    walls, cpus, code = [], [], 0
    for _ in range(repeat):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        code = subprocess.run(argv, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode
        walls.append(time.perf_counter() - start)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return statistics.median(walls), statistics.median(cpus), code


def help_imports() -> list[str]:
    res = subprocess.run([sys.executable, "-X", "importtime", "-m", "gradcli", "--help"],
                         cwd=ROOT, capture_output=True, text=True)
    mods = {line.split("|")[-1].strip().split(".")[0] for line in res.stderr.splitlines() if "|" in line}
    return sorted(mods & {"numpy", "lark", "rich"})


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--repeat", type=int, default=9)
    args = p.parse_args()
    g = gradcli()
    lesson6 = "examples/lesson6_graph.py"
    rows = [
        ("python -c pass", [sys.executable, "-c", "pass"]),
        # the floor any numpy engine with a Typer CLI and Rich tables starts from
        ("python -c 'import numpy'", [sys.executable, "-c", "import numpy"]),
        ("python -c 'import numpy, typer'", [sys.executable, "-c", "import numpy, typer"]),
        ("python -c 'import numpy, typer, rich.table'",
         [sys.executable, "-c", "import numpy, typer, rich.console, rich.table"]),
        ("gradcli --help", g + ["--help"]),
        ("gradcli --version", g + ["--version"]),
        (f"gradcli run {lesson6}", g + ["run", lesson6]),
        (f"gradcli backward {lesson6}", g + ["backward", lesson6]),
        (f"gradcli backward {lesson6} -f json", g + ["backward", lesson6, "-f", "json"]),
        (f"gradcli backward {lesson6} -f plain", g + ["backward", lesson6, "-f", "plain"]),
    ]
    base = None
    print("| command | wall s (median) | CPU s (median) | wall × python | exit |\n|---|---|---|---|---|")
    for label, argv in rows:
        t, cpu, code = median_seconds(argv, args.repeat)
        base = base or t
        print(f"| `{label}` | {t:.3f} | {cpu:.3f} | {t / base:.1f} | {code} |")
    t, cpu, _ = median_seconds(g + ["backward", lesson6], args.repeat)
    print(f"\nbackward on lesson-6, table: {t:.3f} s wall, {cpu:.3f} s CPU (medians); budget {BUDGET} s "
          f"({'met' if t <= BUDGET else 'missed'}); wall / budget {t / BUDGET:.2f}")
    print(f"gradcli --help imports: {', '.join(help_imports()) or 'none of numpy, lark, rich'}")


if __name__ == "__main__":
    main()
