"""Errors every layer may raise; the CLI turns them into messages and exit codes.

Exit codes (documented in the README):
  0 success, 1 the program failed (syntax, runtime, limits), 2 usage error,
  3 a gradient check failed, 70 internal error, 130 interrupted.
"""

from __future__ import annotations

EXIT_OK = 0
EXIT_PROGRAM = 1
EXIT_USAGE = 2
EXIT_CHECK_FAILED = 3
EXIT_INTERNAL = 70
EXIT_INTERRUPTED = 130


class Span:
    """Where a piece of source sits: 1-based line and column, end exclusive. Immutable.

    A plain slotted class: ``@dataclass(frozen=True, slots=True)`` cost ~1 ms of every
    start-up to build (the same for each dataclass on that path).
    """

    __slots__ = ("file", "line", "column", "end_line", "end_column")

    def __init__(self, file: str, line: int, column: int, end_line: int = 0, end_column: int = 0):
        setter = object.__setattr__
        setter(self, "file", file)
        setter(self, "line", line)
        setter(self, "column", column)
        setter(self, "end_line", end_line)
        setter(self, "end_column", end_column)

    def _fields(self) -> tuple:
        return (self.file, self.line, self.column, self.end_line, self.end_column)

    def __setattr__(self, name, value):
        raise AttributeError(f"cannot assign to field '{name}'")

    def __delattr__(self, name):
        raise AttributeError(f"cannot delete field '{name}'")

    def __eq__(self, other):
        return self._fields() == other._fields() if type(other) is Span else NotImplemented

    def __hash__(self) -> int:
        return hash(self._fields())

    def __reduce__(self):
        return (Span, self._fields())

    def __repr__(self) -> str:
        return ("Span(file={!r}, line={!r}, column={!r}, end_line={!r}, end_column={!r})"
                .format(*self._fields()))

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
