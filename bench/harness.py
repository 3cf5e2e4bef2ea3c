"""Run one program as a child process and measure what it cost: wall time and peak RSS."""

from __future__ import annotations

import os
import statistics
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass


@dataclass
class Run:
    """One finished (or killed) child process."""

    status: str  # "ok", "error" (non-zero exit) or "timeout"
    seconds: float
    peak_rss_mib: float
    returncode: int | None
    stdout: str
    stderr: str


def child_env() -> dict[str, str]:
    """The caller's environment, but with bytecode caching on, as on a user's machine.

    With PYTHONDONTWRITEBYTECODE set, gradcli (an editable install) recompiles its own
    modules on every start while torch and numpy load their installed .pyc files.
    """
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def measure(argv: list[str], timeout: float, cwd: str | None = None) -> Run:
    """Run argv to completion; wall time from spawn to reap, peak RSS of that child alone."""
    # Output goes to files, not pipes: a chatty child cannot fill a pipe and stall the clock.
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        killed = threading.Event()
        start = time.perf_counter()
        proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=out, stderr=err, cwd=cwd,
                                env=child_env())

        def kill() -> None:
            killed.set()
            proc.kill()

        timer = threading.Timer(timeout, kill)
        timer.start()
        try:
            # wait4 gives this child's own rusage; ru_maxrss is KiB on Linux.
            _, wait_status, usage = os.wait4(proc.pid, 0)
        finally:
            timer.cancel()
        seconds = time.perf_counter() - start
        returncode = os.waitstatus_to_exitcode(wait_status)
        proc.returncode = returncode  # already reaped: keep Popen from waiting again
        out.seek(0)
        err.seek(0)
        stdout = out.read().decode("utf-8", "replace")
        stderr = err.read().decode("utf-8", "replace")
    if killed.is_set():
        status = "timeout"
    else:
        status = "ok" if returncode == 0 else "error"
    return Run(status, seconds, usage.ru_maxrss / 1024.0, returncode, stdout, stderr)


def summarize(runs: list[Run]) -> dict:
    """Medians over the runs that succeeded, plus the raw numbers and the first failure."""
    good = [r for r in runs if r.status == "ok"]
    failed = [r for r in runs if r.status != "ok"]
    summary: dict = {
        "status": "ok" if runs and not failed else (failed[0].status if failed else "not run"),
        "runs": len(runs),
        "seconds": [round(r.seconds, 4) for r in runs],
        "peak_rss_mib": [round(r.peak_rss_mib, 1) for r in runs],
        "median_s": None,
        "median_rss_mib": None,
        "max_rss_mib": None,
    }
    if good:
        summary["median_s"] = statistics.median(r.seconds for r in good)
        summary["median_rss_mib"] = statistics.median(r.peak_rss_mib for r in good)
        summary["max_rss_mib"] = max(r.peak_rss_mib for r in good)
        summary["stdout_head"] = good[0].stdout[:400]
    if failed:
        first = failed[0]
        summary["returncode"] = first.returncode
        summary["stderr_tail"] = first.stderr[-1200:]
    return summary
