"""The Typer application, built from the commands' declarations (``params``).

Built only when a command line needs it: ``--help``, ``--version``, shell
completion, or a command line the fast parser (``argv``) leaves to Typer, which
then gives Click's exact error message.  Each command reaches Typer as a small
function whose signature carries ``Annotated[T, typer.Option(...)]``, made from
the same :class:`~gradcli.cli.params.Param` the fast parser reads.
"""

from __future__ import annotations

import inspect
from typing import Annotated, Optional

import typer

from .. import __version__
from .params import COMMANDS, Param, parameters

HELP = ("A command-line gradient calculator: run a small PyTorch autograd program on "
        "gradcli's numpy engine and show its gradients.\n\n"
        "Exit codes: 0 success, 1 the program failed (syntax or runtime error), "
        "2 the command line was wrong, 70 internal error, 130 interrupted.")


def _version(value: bool) -> None:
    if value:
        typer.echo(f"gradcli {__version__}")
        raise typer.Exit()


def _root(version: Annotated[Optional[bool], typer.Option(
        "--version", callback=_version, is_eager=True, help="Show the version and exit.")] = None) -> None:
    pass


def annotation(param: Param, default) -> object:
    """What Typer reads: ``Annotated[T, typer.Option(*names, **settings)]``."""
    kind = list[param.kind] if param.multiple else param.kind
    if default is None:
        kind = Optional[kind]
    if param.argument:
        return Annotated[kind, typer.Argument(*param.decls, **param.settings)]
    return Annotated[kind, typer.Option(*param.decls, **param.settings)]


def typer_callback(fn, call=None):
    """A function Typer can read: ``fn``'s parameters with Typer annotations; calling it
    calls ``call(fn, kwargs)`` (by default ``fn(**kwargs)``)."""
    call = call or (lambda f, kwargs: f(**kwargs))
    signature = []
    for name, param, default in parameters(fn):
        signature.append(inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, default=default,
                                           annotation=annotation(param, default)))

    def callback(**kwargs):
        return call(fn, kwargs)

    callback.__name__ = fn.__name__
    callback.__qualname__ = fn.__qualname__
    callback.__doc__ = fn.__doc__
    callback.__signature__ = inspect.Signature(signature)
    callback.__annotations__ = {p.name: p.annotation for p in signature}
    return callback


def build(call=None) -> typer.Typer:
    """The ``gradcli`` Typer application with every registered command."""
    from . import app as _commands  # noqa: F401 - registers every command
    app = typer.Typer(
        name="gradcli", no_args_is_help=True, add_completion=True, rich_markup_mode=None,
        pretty_exceptions_enable=False, help=HELP,
        context_settings={"help_option_names": ["-h", "--help"]},
    )
    app.callback()(_root)
    for name, fn in COMMANDS.items():
        app.command(name=name)(typer_callback(fn, call))
    return app
