"""The interpreter: check a parsed program, compile it to closures, run it on the engine."""

from gradcli.interp.runner import Limits, RunResult, run

__all__ = ["Limits", "RunResult", "run"]
