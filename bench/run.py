"""gradcli's benchmark suite (issue 6).

    python bench/run.py [--quick] [--only 2,3] [--repeat N] [--json out.json] [--no-torch]

Runs every workload as separate processes — gradcli, PyTorch on the same file, and the
hand-written numpy version where there is one — alternating engines within each rep,
then prints medians, ratios and peak RSS as a Markdown table and writes them as JSON.
The suite reports; it never fails on a missed target.
"""

from __future__ import annotations

import argparse
import datetime
import importlib.metadata
import importlib.util
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import harness  # noqa: E402
import suite  # noqa: E402

REPO = suite.HERE.parent
FORBIDDEN_AT_HELP = ("numpy", "lark")
SCALING_TOLERANCE = 0.20
# A size's marginal cost is judged only when it is this many times the start-up noise.
SIGNAL_OVER_NOISE = 10
BASELINE_N = 1


def gradcli_argv() -> list[str]:
    """The installed `gradcli` script beside this interpreter, else `python -m gradcli`."""
    script = Path(sys.executable).parent / "gradcli"
    return [str(script)] if script.exists() else [sys.executable, "-m", "gradcli"]


PROGRAMS = suite.OUT  # where generated programs go; main() gives each mode its own folder


def write(name: str, text: str) -> Path:
    return suite.write_program(name, text, PROGRAMS)


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# ------------------------------------------------------------------------ one table row

def materialize(case: suite.Case, nonce: int) -> dict[str, list[str]]:
    """Write the case's programs to out/ and return each engine's command line."""
    body = suite.straight_line_body(case.body_lines) if case.body_lines else None
    params = dict(case.params)
    if case.body_lines:
        params["bench_nonce"] = nonce
    text = suite.render(suite.WORKLOADS / case.template, params, body)
    if case.fresh_file and not case.body_lines:
        text += f"# bench nonce {nonce}\n"  # unseen content: no parse cache can answer
    program = write(f"w{case.key}.py", text)
    torch_program = program
    if case.torch_tail:
        torch_program = write(f"w{case.key}.torch.py", text + case.torch_tail)
    argv = {
        "gradcli": gradcli_argv() + [case.command, str(program)],
        "torch": [sys.executable, str(torch_program)],
        # gradcli's engine under CPython, no interpreter: splits language cost from engine cost
        "engine": [sys.executable, str(suite.HERE / "engine_only.py"), str(torch_program)],
    }
    if case.numpy_ref:
        ref = suite.render(suite.NUMPY_REF / case.numpy_ref, case.params)
        argv["numpy"] = [sys.executable, str(write(f"w{case.key}.numpy.py", ref))]
    return argv


def run_case(case: suite.Case, engines: list[str], repeat: int, timeout: float) -> dict:
    engines = [e for e in engines if e != "numpy" or case.numpy_ref]
    argv = materialize(case, nonce=time.time_ns())
    runs: dict[str, list[harness.Run]] = {e: [] for e in engines}
    if case.warm_up:
        for engine in engines:
            harness.measure(argv[engine], timeout)
    for rep in range(repeat):
        if case.fresh_file and rep:
            argv = materialize(case, nonce=time.time_ns())  # unseen content: a cold parse
        order = engines[rep % len(engines):] + engines[:rep % len(engines)]
        for engine in order:
            if runs[engine] and runs[engine][-1].status != "ok":
                continue  # a failing engine fails the same way again; save the time
            run = harness.measure(argv[engine], timeout)
            runs[engine].append(run)
            log(f"  [{case.key}] {engine:7} rep {rep + 1}/{repeat}: {run.status} "
                f"{run.seconds:.3f} s {run.peak_rss_mib:.0f} MiB")
    engine_results = {e: harness.summarize(runs[e]) for e in engines}
    if "torch" not in engines:
        engine_results["torch"] = {"status": "n/a"}
    if "engine" in engines:
        engine_results["engine"]["ratio_to_gradcli"] = ratio(engine_results["engine"], engine_results["gradcli"])
    return evaluate(case, engine_results, argv["gradcli"])


def ratio(a: dict | None, b: dict | None, key: str = "median_s") -> float | None:
    if not a or not b or a.get(key) is None or b.get(key) is None or not b[key]:
        return None
    return a[key] / b[key]


def evaluate(case: suite.Case, engines: dict, gradcli_command: list[str]) -> dict:
    g, t, n = engines["gradcli"], engines.get("torch"), engines.get("numpy")
    result = {
        "key": case.key, "workload": case.workload, "title": case.title,
        "gradcli_command": " ".join(Path(a).name if "/" in a else a for a in gradcli_command),
        "params": case.params | ({"LINES": case.body_lines} if case.body_lines else {}),
        "engines": engines,
        "ratio_torch": ratio(g, t), "ratio_numpy": ratio(g, n),
        "rss_ratio_torch": ratio(g, t, "median_rss_mib"),
        "same_output_as_torch": None,
        "target": case.target_text(),
    }
    if not case.torch_tail and g.get("stdout_head") is not None and t.get("stdout_head") is not None:
        result["same_output_as_torch"] = g["stdout_head"] == t["stdout_head"]
    checks: dict[str, bool | None] = {}
    if g["status"] != "ok":
        checks["gradcli ran"] = False
    else:
        if case.max_seconds is not None:
            checks["time"] = g["median_s"] <= case.max_seconds
        if case.max_torch_ratio is not None:
            checks["g/t"] = None if result["ratio_torch"] is None else result["ratio_torch"] <= case.max_torch_ratio
        if case.max_numpy_ratio is not None:
            checks["g/n"] = None if result["ratio_numpy"] is None else result["ratio_numpy"] <= case.max_numpy_ratio
        checks["RSS"] = None if result["rss_ratio_torch"] is None else result["rss_ratio_torch"] <= 1.0
    result["checks"] = checks
    result["met"] = verdict(checks)
    return result


def verdict(checks: dict[str, bool | None]) -> bool | None:
    """False if any check failed, None if any could not be made, else True."""
    if any(v is False for v in checks.values()):
        return False
    return None if any(v is None for v in checks.values()) else True


# -------------------------------------------------------------- workload 1: --help imports

def check_help(repeat: int, timeout: float) -> dict:
    """Time `gradcli --help` and list any numpy/lark module it imports (python -X importtime)."""
    command = gradcli_argv() + ["--help"]
    runs = [harness.measure(command, timeout) for _ in range(repeat)]
    summary = harness.summarize(runs)
    traced = [sys.executable, "-X", "importtime"] + (
        command if command[0] == sys.executable else [command[0], "--help"])
    trace = subprocess.run(traced, capture_output=True, text=True, timeout=timeout, env=harness.child_env())
    # importtime prints a module after everything it imported, indented one step deeper.
    tree = [(len(cell) - len(cell.lstrip()), cell.strip()) for cell in
            (line.rsplit("|", 1)[-1] for line in trace.stderr.splitlines()
             if line.startswith("import time:") and "|" in line)]
    imported = [name for _, name in tree]
    forbidden = sorted({m.split(".")[0] for m in imported} & set(FORBIDDEN_AT_HELP))
    culprits = []  # for each forbidden package: the chain of modules that imported it
    for i, (depth, name) in enumerate(tree):
        if name in FORBIDDEN_AT_HELP:
            chain = []
            for later_depth, later in tree[i + 1:]:
                if later_depth < depth:
                    chain.append(later)
                    depth = later_depth
            culprits.append(" <- ".join([name] + chain))
    ok = trace.returncode == 0 and summary["status"] == "ok"
    log(f"  [1] gradcli --help: {summary['status']} {fmt(summary['median_s'], '.3f')} s, "
        f"numpy/lark imported: {forbidden or 'none'}")
    return {
        "status": summary["status"] if ok else "error", "median_s": summary["median_s"],
        "median_rss_mib": summary["median_rss_mib"], "modules_imported": len(imported),
        "forbidden_imported": forbidden, "imported_by": culprits, "met": (not forbidden) if ok else False,
        "stderr_tail": trace.stderr[-600:] if trace.returncode else "",
    }


# ------------------------------------------------------------------- workload 7: scaling

def run_series(series: suite.Series, repeat: int, timeout: float) -> dict:
    """gradcli at every size plus N=1, alternating; marginal cost per iteration over N=1.

    The baseline is N=1, not 0: at N=0 workload 2's y never requires grad and backward fails.
    """
    sizes = [BASELINE_N] + series.sizes
    stem = Path(series.template).stem
    argv = {}
    for size in sizes:
        text = suite.render(suite.WORKLOADS / series.template, {series.param: size})
        argv[size] = gradcli_argv() + ["run", str(write(f"w7-{stem}-{size}.py", text))]
    runs: dict[int, list[harness.Run]] = {s: [] for s in sizes}
    for rep in range(repeat):
        for size in sizes[rep % len(sizes):] + sizes[:rep % len(sizes)]:
            if runs[size] and runs[size][-1].status != "ok":
                continue
            run = harness.measure(argv[size], timeout)
            runs[size].append(run)
            log(f"  [7 {series.name}] N={size:<9,} rep {rep + 1}/{repeat}: {run.status} "
                f"{run.seconds:.3f} s {run.peak_rss_mib:.0f} MiB")
    summaries = {s: harness.summarize(runs[s]) for s in sizes}
    return per_iteration(series, summaries)


def per_iteration(series: suite.Series, summaries: dict[int, dict]) -> dict:
    base = summaries[BASELINE_N]
    result = {"name": series.name, "sizes": [], "baseline": base, "met": None,
              "time_spread": None, "rss_spread": None}
    if any(s["status"] != "ok" for s in summaries.values()):
        result["met"] = False
        result["checks"] = {"gradcli ran": False}
        result["error"] = next(s for s in summaries.values() if s["status"] != "ok").get("stderr_tail", "")
        return result
    time_noise = max(max(base["seconds"]) - min(base["seconds"]), 0.005)
    rss_noise = max(max(base["peak_rss_mib"]) - min(base["peak_rss_mib"]), 0.5)
    for size in series.sizes:
        s = summaries[size]
        extra_s = s["median_s"] - base["median_s"]
        extra_mib = s["median_rss_mib"] - base["median_rss_mib"]
        result["sizes"].append({
            "N": size, "median_s": s["median_s"], "median_rss_mib": s["median_rss_mib"],
            "us_per_iter": extra_s / (size - BASELINE_N) * 1e6,
            "kib_per_iter": extra_mib * 1024 / (size - BASELINE_N),
            "time_judged": extra_s >= SIGNAL_OVER_NOISE * time_noise,
            "rss_judged": extra_mib >= SIGNAL_OVER_NOISE * rss_noise,
        })
    result["time_spread"] = spread([r["us_per_iter"] for r in result["sizes"] if r["time_judged"]])
    result["rss_spread"] = spread([r["kib_per_iter"] for r in result["sizes"] if r["rss_judged"]])
    result["noise"] = {"time_s": time_noise, "rss_mib": rss_noise}
    spreads = [result["time_spread"], result["rss_spread"]]
    result["met"] = None if None in spreads else all(x <= SCALING_TOLERANCE for x in spreads)
    return result


def spread(values: list[float]) -> float | None:
    """max/min - 1 over the judged sizes; None when fewer than two sizes carry signal."""
    if len(values) < 2 or min(values) <= 0:
        return None
    return max(values) / min(values) - 1


# --------------------------------------------------------------------------------- output

def fmt(value, spec: str, missing: str = "-") -> str:
    return missing if value is None else format(value, spec)


def markdown(headers: list[str], rows: list[list[str]]) -> str:
    widths = [max(len(h), *(len(r[i]) for r in rows)) if rows else len(h) for i, h in enumerate(headers)]
    line = lambda cells: "| " + " | ".join(c.ljust(w) for c, w in zip(cells, widths)) + " |"  # noqa: E731
    return "\n".join([line(headers), line(["-" * w for w in widths])] + [line(r) for r in rows])


def engine_cell(engine: dict | None, key: str, spec: str) -> str:
    if engine is None:
        return "-"
    if engine["status"] == "n/a":
        return "n/a"
    if engine["status"] != "ok":
        return engine["status"]
    return fmt(engine.get(key), spec)


def result_cell(met: bool | None, checks: dict | None = None) -> str:
    if met is True:
        return "met"
    failed = [k for k, v in (checks or {}).items() if v is False]
    if failed == ["gradcli ran"]:
        return "ERROR: gradcli failed"
    if met is False:
        return "MISSED" + (f" ({', '.join(failed)})" if failed else "")
    return "unknown"


def main_table(results: list[dict], help_check: dict | None, scaling: list[dict]) -> str:
    rows = []
    for r in results:
        e = r["engines"]
        rows.append([r["key"], r["title"],
                     engine_cell(e["gradcli"], "median_s", ".3f"), engine_cell(e["torch"], "median_s", ".3f"),
                     engine_cell(e.get("numpy"), "median_s", ".3f"),
                     fmt(r["ratio_torch"], ".2f"), fmt(r["ratio_numpy"], ".2f"),
                     engine_cell(e["gradcli"], "median_rss_mib", ".0f"),
                     engine_cell(e["torch"], "median_rss_mib", ".0f"),
                     engine_cell(e.get("numpy"), "median_rss_mib", ".0f"),
                     r["target"], result_cell(r["met"], r["checks"])])
    if help_check is not None:
        found = ", ".join(help_check["forbidden_imported"]) or "neither numpy nor lark"
        if help_check.get("imported_by"):
            found = "; ".join(help_check["imported_by"])
        what = f"gradcli --help imports {found}" if help_check["status"] == "ok" else "gradcli --help failed"
        rows.append(["1-help", what, fmt(help_check["median_s"], ".3f"),
                     "", "", "", "", fmt(help_check["median_rss_mib"], ".0f"), "", "",
                     "imports neither numpy nor lark", result_cell(help_check["met"])])
    for s in scaling:
        rows.append([f"7 ({s['name'].split()[0]})", f"scaling: {s['name']}", "", "", "", "", "", "", "", "",
                     f"per-iter time {fmt(s['time_spread'], '.0%')}, "
                     f"RSS {fmt(s['rss_spread'], '.0%')} apart (<= 20%)", result_cell(s["met"], s.get("checks"))])
    headers = ["case", "workload", "gradcli s", "torch s", "numpy s", "g/t", "g/n",
               "gradcli MiB", "torch MiB", "numpy MiB", "target", "result"]
    if any("engine" in r["engines"] for r in results):
        headers[5:5] = ["engine s"]
        for row, r in zip(rows, results + [None] * (len(rows) - len(results))):
            row[5:5] = [engine_cell(r["engines"].get("engine"), "median_s", ".3f") if r else ""]
    return markdown(headers, rows)


def scaling_table(scaling: list[dict]) -> str:
    rows = []
    for s in scaling:
        base = s["baseline"]
        rows.append([s["name"], str(BASELINE_N), fmt(base.get("median_s"), ".3f"), fmt(base.get("median_rss_mib"), ".0f"),
                     "(start-up)", "", ""])
        for r in s["sizes"]:
            rows.append([s["name"], f"{r['N']:,}", fmt(r["median_s"], ".3f"), fmt(r["median_rss_mib"], ".0f"),
                         fmt(r["us_per_iter"], ".2f") + ("" if r["time_judged"] else " (noise)"),
                         fmt(r["kib_per_iter"], ".3f") + ("" if r["rss_judged"] else " (noise)"), ""])
        rows[-1][-1] = result_cell(s["met"], s.get("checks"))
    return markdown(["series", "N", "gradcli s", "MiB", f"us/iter over N={BASELINE_N}", f"KiB/iter over N={BASELINE_N}", "result"], rows)


def machine() -> dict:
    cpu, ram_kib = platform.processor() or "unknown", None
    try:
        with open("/proc/cpuinfo") as f:
            cpu = next((l.split(":", 1)[1].strip() for l in f if l.startswith("model name")), cpu)
        with open("/proc/meminfo") as f:
            ram_kib = next((int(l.split()[1]) for l in f if l.startswith("MemTotal")), None)
    except OSError:
        pass
    return {"nproc": os.cpu_count(), "cpu": cpu,
            "ram_gib": round(ram_kib / 2**20, 1) if ram_kib else None,
            "os": platform.platform(), "python": platform.python_version()}


def git(*args: str) -> str:
    try:
        return subprocess.run(["git", *args], cwd=REPO, capture_output=True, text=True).stdout.strip()
    except OSError:
        return ""


def version(package: str) -> str | None:
    try:
        return importlib.metadata.version(package)
    except importlib.metadata.PackageNotFoundError:
        return None


# ----------------------------------------------------------------------------------- main

def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description="Benchmark gradcli against PyTorch and hand-written numpy.")
    p.add_argument("--quick", action="store_true", help="tiny sizes, one rep: a smoke run")
    p.add_argument("--only", default="", help="workload numbers to run, e.g. 2,3 (default: all, 1-7)")
    p.add_argument("--repeat", type=int, help="runs per engine per workload (default 5, quick 1)")
    p.add_argument("--json", type=Path, help="where to write the JSON (default bench/out/results.json, "
                   "quick: bench/out/results-quick.json)")
    p.add_argument("--no-torch", action="store_true", help="skip the PyTorch runs even if torch imports")
    p.add_argument("--out", type=Path, help="folder for the generated programs "
                   "(default bench/out/full or bench/out/quick: concurrent runs must not share one)")
    p.add_argument("--diagnose", action="store_true",
                   help="also time each program on gradcli's engine under plain CPython (no interpreter)")
    p.add_argument("--timeout", type=float, help="seconds before one run is killed (default 900, quick 120)")
    return p.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    global PROGRAMS
    PROGRAMS = args.out or suite.OUT / ("quick" if args.quick else "full")
    repeat = args.repeat or (1 if args.quick else 5)
    timeout = args.timeout or (120.0 if args.quick else 900.0)
    only = {int(w) for w in args.only.split(",") if w.strip()} or set(range(1, 8))
    has_torch = not args.no_torch and importlib.util.find_spec("torch") is not None
    engines = ["gradcli"] + (["torch"] if has_torch else []) + ["numpy"] + (["engine"] if args.diagnose else [])

    started = datetime.datetime.now(datetime.timezone.utc)
    load_before = os.getloadavg()
    # One untimed run that imports all of gradcli, so its bytecode cache is written.
    warm = harness.measure(gradcli_argv() + ["backward", str(suite.WORKLOADS / "w1_startup.py")], timeout)
    log(f"warm-up: gradcli backward w1_startup.py: {warm.status} {warm.seconds:.3f} s")
    results = []
    for case in suite.cases(args.quick):
        if case.workload in only:
            log(f"workload {case.key}: {case.title}")
            results.append(run_case(case, engines, repeat, timeout))
    help_check = check_help(repeat, timeout) if 1 in only else None
    scaling = []
    if 7 in only:
        for series in suite.scaling_series(args.quick):
            log(f"workload 7: {series.name} at N={series.sizes}")
            scaling.append(run_series(series, repeat, timeout))

    report = {
        "meta": {
            "date": started.isoformat(timespec="seconds"),
            "seconds_taken": round((datetime.datetime.now(datetime.timezone.utc) - started).total_seconds(), 1),
            "commit": git("rev-parse", "HEAD"), "dirty": bool(git("status", "--porcelain", "--", "gradcli", "grammar")),
            "machine": machine(), "load_average_1_5_15": {"before": load_before, "after": os.getloadavg()},
            "quick": args.quick, "repeat": repeat,
            "versions": {"gradcli": version("gradcli"), "torch": version("torch") if has_torch else None,
                         "numpy": version("numpy")},
            "gradcli_command": gradcli_argv(),
            "env": {"PYTHONDONTWRITEBYTECODE": os.environ.get("PYTHONDONTWRITEBYTECODE"),
                    "children": "PYTHONDONTWRITEBYTECODE removed: bytecode caching on"},
        },
        "workloads": results, "help": help_check, "scaling": scaling,
    }
    args.json = args.json or suite.OUT / ("results-quick.json" if args.quick else "results.json")
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(report, indent=2) + "\n")

    meta = report["meta"]
    print(f"gradcli benchmark — {meta['date']}, commit {meta['commit'][:10]}{' (dirty)' if meta['dirty'] else ''}, "
          f"{meta['machine']['nproc']} x {meta['machine']['cpu']}, {meta['machine']['ram_gib']} GiB, "
          f"median of {repeat}, torch {meta['versions']['torch'] or 'n/a'}, "
          f"load average {load_before[0]:.1f} before, {os.getloadavg()[0]:.1f} after")
    print()
    print(main_table(results, help_check, scaling))
    if scaling:
        print()
        print(scaling_table(scaling))
    differs = [r["key"] for r in results if r["same_output_as_torch"] is False]
    if differs:
        print(f"\nstdout differs from PyTorch's in: {', '.join(differs)} (see JSON stdout_head)")
    print(f"\nJSON: {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
