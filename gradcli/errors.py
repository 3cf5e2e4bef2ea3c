"""Errors every layer may raise; the CLI turns them into messages and exit codes.

Exit codes (documented in the README):
  0 success, 1 the program failed (syntax, runtime, limits), 2 usage error,
  3 a gradient check failed, 70 internal error, 130 interrupted.
"""

from __future__ import annotations

from dataclasses import dataclass

EXIT_OK = 0
EXIT_PROGRAM = 1
EXIT_USAGE = 2
EXIT_CHECK_FAILED = 3
EXIT_INTERNAL = 70
EXIT_INTERRUPTED = 130


@dataclass(frozen=True, slots=True)
class Span:
    """Where a piece of source sits: 1-based line and column, end exclusive."""

    file: str
    line: int
    column: int
    end_line: int = 0
    end_column: int = 0

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"


class GradcliError(Exception):
    """Base of every error gradcli reports to a person."""

    exit_code = EXIT_PROGRAM


class SourceError(GradcliError):
    """An error at a place in the program: syntax, check or run time.

    ``message`` is what Python or PyTorch would print after the traceback,
    e.g. ``RuntimeError: grad can be implicitly created only for scalar outputs``.
    """

    def __init__(self, message: str, span: Span | None, hint: str | None = None):
        super().__init__(message)
        self.message = message
        self.span = span
        self.hint = hint


class ProgramSyntaxError(SourceError):
    """The text is not a program of the language."""


class ProgramRuntimeError(SourceError):
    """The program ran and failed, as it would under PyTorch."""


class LimitExceeded(SourceError):
    """--max-steps, --max-elements, --timeout or the recursion limit was hit."""


class UsageError(GradcliError):
    """The command line was wrong: bad option values, missing files."""

    exit_code = EXIT_USAGE
