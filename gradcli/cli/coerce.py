"""Option values without pydantic: Typer 0.29 coerces every option through a pydantic
TypeAdapter, and importing pydantic costs as much as numpy at start-up.  Our options
only use str, int, float, bool, Enum and list[str], which take a few lines to check.
``scalar`` is the one conversion: Typer uses it through ``install``, and the fast
parser (``argv``) calls it directly, so both turn a string into the same value.

``install(command)`` gives each Typer parameter of those types a cheap coercer
(``_runtime_param`` is Typer's lazily built slot for it); anything else, or another
Typer whose internals differ, keeps Typer's own.
"""

from __future__ import annotations

from enum import Enum
from typing import Any, get_args, get_origin


class BadValue(ValueError):
    """A value the option does not take; the message is Click's wording."""


def scalar(kind, minimum=None, maximum=None, case_sensitive=True):
    """A function turning one command-line string into ``kind`` (str, int, float, bool or
    an Enum), as Typer would; raises :class:`BadValue` with Typer's message."""

    def convert(value):
        if not isinstance(value, str):
            if isinstance(value, kind) or value is None:
                return value
            value = str(value)
        if kind is str:
            return value
        if kind is bool:
            low = value.strip().lower()
            if low in ("1", "true", "yes", "y", "on"):
                return True
            if low in ("0", "false", "no", "n", "off"):
                return False
            raise BadValue(f"{value!r} is not a valid boolean.")
        if issubclass(kind, Enum):
            for member in kind:
                v = str(member.value)
                if v == value or (not case_sensitive and v.lower() == value.lower()):
                    return member
            choices = ", ".join(repr(str(m.value)) for m in kind)
            raise BadValue(f"{value!r} is not one of {choices}.")
        try:
            number = kind(value.strip())
        except ValueError:
            raise BadValue(f"{value!r} is not a valid {'integer' if kind is int else 'number'}.") from None
        if kind is float and number != number:
            raise BadValue(f"{value!r} is not a valid number.")
        if minimum is not None and number < minimum:
            raise BadValue(f"{value} is smaller than the minimum {minimum}.")
        if maximum is not None and number > maximum:
            raise BadValue(f"{value} is larger than the maximum {maximum}.")
        return number
    return convert


def _converter(annotation, info):
    if get_origin(annotation) is list:
        (item,) = get_args(annotation) or (str,)
        one = _converter(item, info)
        if one is None:
            return None
        return lambda values: [one(v) for v in (values if isinstance(values, (list, tuple)) else [values])]
    if annotation in (str, int, float, bool) or (isinstance(annotation, type) and issubclass(annotation, Enum)):
        return scalar(annotation, info.min, info.max, info.case_sensitive)
    return None


def install(command) -> None:
    try:
        from typer._coercion import RuntimeParam
    except ImportError:  # another Typer: keep its own coercion
        return

    class Cheap(RuntimeParam):
        def __init__(self, parameter_info, annotation, convert):
            object.__setattr__(self, "parameter_info", parameter_info)
            object.__setattr__(self, "annotation", annotation)
            object.__setattr__(self, "_convert", convert)

        def _coerce_value(self, value: Any, param, ctx) -> Any:
            from typer import BadParameter
            try:
                return self._convert(value)
            except BadValue as e:
                raise BadParameter(str(e), ctx=ctx, param=param) from None

    def patch(p) -> None:
        desc = getattr(p, "type_descriptor", None)
        if desc is None or getattr(p, "_runtime_param", None) is not None or desc.is_file:
            return
        convert = _converter(desc.annotation, desc.parameter_info)
        if convert is not None:
            p._runtime_param = Cheap(desc.parameter_info, desc.annotation, convert)

    for cmd in [command] + list(getattr(command, "commands", {}).values()):
        for p in getattr(cmd, "params", ()):
            patch(p)
        made = getattr(cmd, "get_help_option", None)
        if made is not None:  # --help is made on first use: patch it then
            def get_help_option(ctx, _made=made):
                option = _made(ctx)
                if option is not None:
                    patch(option)
                return option
            cmd.get_help_option = get_help_option
