"""Plain command lines, parsed without Typer.

``gradcli backward prog.py --of y -f json`` is what nearly every run looks like, and
importing Typer and Click to read it costs more than the run itself. ``parse`` reads
the forms Click reads the same way — a command name, one positional FILE,
``--name VALUE``, ``--name=VALUE``, ``-x VALUE`` and flags, in any order — from the
commands' own declarations (``params``), and converts values with the conversion
Typer uses (``coerce.scalar``). Anything else (``--help``, a repeated single option,
``--``, ``-fjson``, a value Typer would refuse, shell completion) returns ``None``:
Typer then parses the line and gives its own help or error message.
"""

import os

from .coerce import BadValue, scalar
from .params import COMMANDS, parameters

_END = object()


def parse(args: list[str]):
    """``(command function, keyword arguments)``, or ``None`` to leave the line to Typer."""
    if not args or "_GRADCLI_COMPLETE" in os.environ:
        return None
    fn = COMMANDS.get(args[0])
    if fn is None:
        return None
    declared = parameters(fn)
    options, positional = {}, None
    for name, param, _ in declared:
        if param.argument:
            positional = name
        for flag, value in param.names().items():
            options[flag] = (name, param, value)

    given: dict[str, object] = {}
    tokens = iter(args[1:])
    for token in tokens:
        if token[:1] != "-" or token == "-":  # FILE ('-' is standard input)
            if positional is None or positional in given:
                return None
            given[positional] = token
            continue
        flag, eq, inline = token.partition("=") if token[:2] == "--" else (token, "", "")
        hit = options.get(flag)
        if hit is None:
            return None
        name, param, value = hit
        if value is not None:  # a flag takes no value
            if eq:
                return None
        elif eq:
            value = inline
        else:
            value = next(tokens, _END)
            if value is _END:
                return None
        if param.multiple:
            given.setdefault(name, []).append(value)
        elif name in given:
            return None
        else:
            given[name] = value

    kwargs = {}
    for name, param, default in declared:
        if name not in given:
            kwargs[name] = default
            continue
        convert = scalar(param.kind, param.settings.get("min"), param.settings.get("max"),
                         param.settings.get("case_sensitive", True))
        try:
            raw = given[name]
            kwargs[name] = [convert(v) for v in raw] if param.multiple else convert(raw)
        except BadValue:
            return None
    return fn, kwargs
