"""The exception objects a program's ``except`` clauses see, and the classes it can name.

A program's errors travel as ProgramRuntimeError, whose message is the last line of
CPython's traceback (``RuntimeError: text``). A handler gets a real Python exception
of the class that message names, whose ``str()`` is the text, as under PyTorch.
"""

from __future__ import annotations

import builtins as _py
import re

from gradcli.errors import ProgramRuntimeError, SourceError, Span
from gradcli.interp.runtime import python_message

# The exception classes a program may name (built-in names of the language).
EXCEPTION_NAMES = ("BaseException", "Exception", "RuntimeError", "TypeError", "ValueError", "IndexError",
                   "KeyError", "AttributeError", "ZeroDivisionError", "AssertionError",
                   "NotImplementedError", "ArithmeticError", "LookupError", "StopIteration",
                   "ImportError", "NameError", "OverflowError")

_MESSAGE = r"([A-Za-z_][\w.]*)(?:: ([\s\S]*))?"
_MADE: dict[str, type] = {}  # classes Python does not have, by the name a message gives them


def exception_table() -> dict:
    return {name: getattr(_py, name) for name in EXCEPTION_NAMES}


def class_named(name: str) -> type:
    """The class a message names: Python's own, else (``torch._C._LinAlgError``, a name of
    torch's or numpy's) a RuntimeError subclass that prints under that name."""
    cls = getattr(_py, name, None) if "." not in name else None
    if isinstance(cls, type) and issubclass(cls, Exception):
        return cls
    cls = _MADE.get(name)
    if cls is None:
        module, _, short = name.rpartition(".")
        cls = _MADE[name] = type(short, (RuntimeError,), {"__module__": module or "builtins",
                                                           "__qualname__": short})
    return cls


def program_exception(error: ProgramRuntimeError) -> BaseException:
    """The exception object a handler binds for ``error`` (the same object each time asked)."""
    exc = error.__dict__.get("program_exception")
    if exc is not None:
        return exc
    source = error.__context__  # error_at keeps the exception it was made from here
    if isinstance(source, Exception) and not isinstance(source, SourceError) \
            and python_message(source) == error.message and str(source) == error.message.partition(": ")[2]:
        try:  # a copy: its class and args (KeyError's key), not its traceback or AttributeError.obj
            exc = error.program_exception = type(source)(*source.args)
            return exc
        except Exception:  # noqa: BLE001 - a class that wants other arguments: built from the message
            pass
    match = re.fullmatch(_MESSAGE, error.message)
    if match is None:  # not in "Name: text" form: a RuntimeError with the whole text
        cls, text = RuntimeError, error.message
    else:
        cls, text = class_named(match.group(1)), match.group(2)
        if cls is KeyError and text and len(text) > 1 and text[0] == text[-1] and text[0] in "'\"":
            text = text[1:-1]  # KeyError's message is the repr of its key
    exc = error.program_exception = cls(text) if text is not None else cls()
    return exc


def raised(exc: BaseException, pos: tuple) -> ProgramRuntimeError:
    """The error that carries an exception a ``raise`` statement threw."""
    error = ProgramRuntimeError(python_message(exc), Span(*pos))
    error.program_exception = exc
    return error


def is_exception_class(value) -> bool:
    return isinstance(value, type) and issubclass(value, BaseException)


def matches(exc: BaseException, kind) -> bool:
    """``except kind:`` for ``exc``, with Python's TypeError for what is not an exception class."""
    if not (all(map(is_exception_class, kind)) if type(kind) is tuple else is_exception_class(kind)):
        raise TypeError("catching classes that do not inherit from BaseException is not allowed")
    return isinstance(exc, kind)  # (a tuple in a tuple is refused, as by Python 3.11)
