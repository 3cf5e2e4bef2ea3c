"""The README's pasted runs are real: every ``$ gradcli ...`` block in README.md is run
through a shell, as a reader would type it, and the lines shown under it must appear, in
order and contiguously, in what the command prints (standard output and error together,
as a terminal shows them). A README block may show part of the output (one pass of four)."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FENCE = re.compile(r"^```[a-z]*\n(.*?)^```", re.M | re.S)
NOTE = re.compile(r"\s{2,}\(.*\)$")  # "cmd     (the last of its four passes)"


def _runs():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    for block in FENCE.findall(text):
        chunks = re.split(r"^\$ ", block, flags=re.M)
        for chunk in chunks[1:]:
            command, _, shown = chunk.partition("\n")
            if "gradcli" in command:
                yield NOTE.sub("", command), shown.rstrip("\n")


RUNS = list(_runs())


def _gradcli() -> str:
    script = Path(sys.executable).parent / "gradcli"
    return shlex.quote(str(script)) if script.exists() else f"{shlex.quote(sys.executable)} -m gradcli"


def test_the_readme_shows_runs():
    assert len(RUNS) >= 5


@pytest.mark.parametrize("command,shown", RUNS, ids=[c for c, _ in RUNS])
def test_readme_run_prints_what_the_readme_shows(command, shown):
    env = {**os.environ, "NO_COLOR": "1", "COLUMNS": "100"}
    line = re.sub(r"\bgradcli\b", lambda m: _gradcli(), command)
    res = subprocess.run(["bash", "-c", f"{line} 2>&1"], cwd=ROOT, capture_output=True, text=True,
                         env=env, timeout=120)
    got = "\n".join(x.rstrip() for x in res.stdout.splitlines())
    want = "\n".join(x.rstrip() for x in shown.splitlines())
    assert want in got, f"README block for `{command}` differs from a real run:\n{got}"
