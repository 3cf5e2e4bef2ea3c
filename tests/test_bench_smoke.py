"""The benchmark suite still runs end to end at tiny sizes. Speed is the suite's report, never a test."""

import functools
import importlib.util
import json
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
RUN = REPO / "bench" / "run.py"
CASES = {"1", "1-first", "2", "3", "4", "4-1M", "5-first", "5-repeat", "6"}


@functools.cache
def gradcli_is_up() -> bool:
    """True once gradcli runs a one-line program; until then its column is not judged here."""
    script = Path(sys.executable).parent / "gradcli"
    command = [str(script)] if script.exists() else [sys.executable, "-m", "gradcli"]
    with tempfile.TemporaryDirectory() as tmp:
        probe = Path(tmp) / "probe.py"
        probe.write_text("import torch\nprint(torch.ones(1) * 2)\n")
        done = subprocess.run(command + ["run", str(probe)], capture_output=True, text=True, timeout=60)
    return done.returncode == 0 and "tensor([2.])" in done.stdout


def run_suite(tmp_path: Path, *extra: str) -> dict:
    out = tmp_path / "bench.json"
    done = subprocess.run([sys.executable, str(RUN), "--quick", "--json", str(out),
                           "--out", str(tmp_path / "programs"), *extra],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "| case" in done.stdout  # the table was printed
    return json.loads(out.read_text())


def test_every_workload_is_reported(tmp_path):
    report = run_suite(tmp_path, "--no-torch")
    assert report["meta"]["quick"] and report["meta"]["repeat"] == 1
    assert {r["key"] for r in report["workloads"]} == CASES
    assert [s["name"] for s in report["scaling"]] == ["2 small ops", "4 depth"]
    assert set(report["help"]) >= {"median_s", "forbidden_imported", "met"}
    for row in report["workloads"]:
        assert row["engines"]["torch"] == {"status": "n/a"}
        assert row["ratio_torch"] is None
        assert row["target"] and "met" in row
        numpy_run = row["engines"].get("numpy")
        if numpy_run is not None:  # the hand-written floors are ours: they must always run
            assert numpy_run["status"] == "ok", numpy_run.get("stderr_tail")
            assert numpy_run["median_s"] > 0 and numpy_run["median_rss_mib"] > 0
        if gradcli_is_up():
            gradcli = row["engines"]["gradcli"]
            assert gradcli["status"] == "ok", (row["key"], gradcli.get("stderr_tail"))
    if gradcli_is_up():
        for series in report["scaling"]:
            assert len(series["sizes"]) == 2 and "error" not in series


@pytest.mark.skipif(importlib.util.find_spec("torch") is None, reason="torch not installed")
def test_torch_column_when_torch_imports(tmp_path):
    report = run_suite(tmp_path, "--only", "1")
    row = next(r for r in report["workloads"] if r["key"] == "1")
    torch_run = row["engines"]["torch"]
    assert torch_run["status"] == "ok", torch_run.get("stderr_tail")
    assert "tensor([5.]) tensor([2.])" in torch_run["stdout_head"]  # lesson-6's gradients
    if gradcli_is_up() and row["engines"]["gradcli"]["status"] == "ok":
        assert row["ratio_torch"] > 0
    assert report["scaling"] == []
