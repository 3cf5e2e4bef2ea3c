"""Shared by the issue-5 tests: the CLI on cli_fake's language, and golden files."""

from __future__ import annotations

from pathlib import Path

import cli_fake

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
GOLDEN = Path(__file__).resolve().parent / "golden" / "why"

try:  # the real language when it is there; cli_fake (Python running the program) before
    from gradcli.interp import run as _run  # noqa: F401
    HAVE_LANGUAGE = True
except ImportError:
    HAVE_LANGUAGE = False


def call(capsys, monkeypatch, *args):
    """Run ``gradcli ARGS`` in-process, from examples/ so names in output are short."""
    from gradcli.cli.app import app
    from gradcli.cli.boundary import invoke
    if not HAVE_LANGUAGE:
        cli_fake.install(monkeypatch)
    monkeypatch.chdir(EXAMPLES)
    code = invoke(app, [str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def golden(name: str, text: str, update: bool) -> None:
    path = GOLDEN / name
    if update or not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    assert text == path.read_text(), f"output differs from tests/golden/why/{name} (--update-golden to accept)"
