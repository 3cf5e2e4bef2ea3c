"""The built-in names a program sees: a documented list, nothing else of Python's.

Everything here is Python's own object (``len`` is ``len``) except ``print``, which
writes to the run's stdout, and ``str.format``, which refuses fields that reach
attributes starting with ``_``.
"""

from __future__ import annotations

import builtins as _py

# The documented built-ins (issue 3), then a few harmless ones programs use with them.
DOCUMENTED = ("print", "range", "len", "abs", "min", "max", "sum", "round", "float", "int", "bool",
              "str", "list", "tuple", "zip", "enumerate", "isinstance", "id")
EXTRA = ("repr", "dict", "set", "sorted", "reversed", "any", "all", "divmod", "pow", "map", "filter",
         "iter", "next", "format", "callable", "slice", "chr", "ord", "hash", "complex",
         "type")
AVAILABLE = DOCUMENTED + EXTRA

# Python built-ins a program might reach for that gradcli does not offer.
WITHHELD = frozenset(name for name in dir(_py) if name not in AVAILABLE and not name[0].isupper()
                     and name not in ("True", "False", "None", "Ellipsis"))


def make_print(stdout):
    """print() writing to ``stdout``, with CPython's checks on sep and end."""

    def print(*args, sep=" ", end="\n", flush=False):  # noqa: A001 - it is the program's print
        if sep is None:
            sep = " "
        elif not isinstance(sep, str):
            raise TypeError(f"sep must be None or a string, not {type(sep).__name__}")
        if end is None:
            end = "\n"
        elif not isinstance(end, str):
            raise TypeError(f"end must be None or a string, not {type(end).__name__}")
        stdout.write(sep.join([str(a) for a in args]) + end)
        if flush:
            stdout.flush()

    return print


def builtin_table(stdout) -> dict:
    table = {name: getattr(_py, name) for name in AVAILABLE if name != "print"}
    table["print"] = make_print(stdout)
    from gradcli.interp import bounded  # range and pow refuse what C code would run unbounded
    table["range"] = bounded.bounded_range
    table["pow"] = bounded.builtin_pow
    table["type"] = type_of
    from gradcli.interp.exceptions import exception_table  # the classes ``except`` and ``raise`` name
    table.update(exception_table())
    return table


def type_of(*args):
    """type(x): the class of x. Python's three-argument form makes a class, which the
    language has no use for (there is no ``class`` statement either), so neither it nor
    the class of a class (``type`` itself) is handed out."""
    if len(args) == 1:
        cls = type(args[0])
        if issubclass(cls, type):  # ``type`` itself would make classes with three arguments
            raise TypeError("type() of a class is not supported by gradcli")
        return cls
    if len(args) == 3:
        raise TypeError("type() with three arguments (creating a class) is not supported by gradcli")
    raise TypeError("type() takes 1 or 3 arguments")


def _check_fields(text: str, depth: int = 0) -> None:
    """Refuse ``{0.__class__}``-style fields; leave every other error to str.format itself."""
    import _string  # CPython's own parser of format strings

    try:
        parsed = list(_string.formatter_parser(text))
    except ValueError:
        return
    for _literal, field_name, spec, _conversion in parsed:
        if field_name:
            try:
                _first, rest = _string.formatter_field_name_split(field_name)
                rest = list(rest)
            except ValueError:
                continue
            for is_attr, name in rest:
                if is_attr and str(name).startswith("_"):
                    raise AttributeError(f"format fields may not reach attribute '{name}' in gradcli")
        if spec and depth < 2:
            _check_fields(spec, depth + 1)


def safe_format(text: str):
    def format(*args, **kwargs):  # noqa: A001 - it stands in for str.format
        _check_fields(text)
        return text.format(*args, **kwargs)

    return format


def safe_format_map(text: str):
    def format_map(mapping):
        _check_fields(text)
        return text.format_map(mapping)

    return format_map
