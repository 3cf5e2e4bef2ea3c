"""The one place errors become output and exit codes.

* program errors (syntax, runtime, limits): ``FILE:LINE:COL: error: MESSAGE``, the
  line and a caret (and ``hint: ...``) on stderr, exit 1;
* command-line errors: one line on stderr, exit 2;
* Ctrl-C: exit 130, quietly; output piped into ``head``: end quietly, exit 0;
* anything else is a bug: one line asking for a report, exit 70 (the traceback
  only with ``--debug``).
"""

from __future__ import annotations

import os
import sys

from ..errors import EXIT_INTERNAL, EXIT_INTERRUPTED, EXIT_OK, EXIT_PROGRAM, EXIT_USAGE, SourceError, UsageError

ISSUES_URL = "the gradcli issue tracker"


class _PipeClosed(Exception):
    """Standard output's reader went away (``gradcli ... | head``)."""


class _OutputFailed(Exception):
    """Standard output could not be written (a full disk, a closed descriptor)."""


def _output_failed(e: OSError) -> str:
    return f"gradcli: error: cannot write the results to standard output: {e}"


def say(message: str) -> None:
    """A note, warning or hint: standard error, never mixed into results."""
    sys.stderr.write(message.rstrip("\n") + "\n")
    sys.stderr.flush()


def write_results(write) -> None:
    """Call ``write(sys.stdout)``; a closed pipe ends the command quietly."""
    try:
        write(sys.stdout)
        sys.stdout.flush()
    except BrokenPipeError:
        raise _PipeClosed() from None
    except OSError as e:
        raise _OutputFailed(e) from None


def _silence_stdout() -> None:
    # the interpreter flushes stdout at exit; point it at /dev/null so that cannot fail
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass


def end_process(code: int) -> None:
    """Flush what was written, then leave without the interpreter's teardown: no atexit
    handler of ours needs to run, and files the command wrote are closed by then."""
    try:
        sys.stdout.flush()
    except (BrokenPipeError, ValueError):
        pass  # a reader that went away: the end is quiet (see invoke)
    except OSError as e:
        say(_output_failed(e))
        code = code or EXIT_PROGRAM
    try:
        sys.stderr.flush()
    except (ValueError, OSError):
        pass
    os._exit(code)


def _usage_line(e) -> str:
    ctx = getattr(e, "ctx", None)
    where = ctx.command_path if ctx is not None else "gradcli"
    help_hint = f" (see '{where} --help')" if ctx is not None else ""
    return f"{where}: error: {e.format_message()}{help_hint}"


def _only_the_command_named(app, args: list[str]):
    """A copy of ``app`` holding just the command ``args`` names, when it names one:
    Typer inspects every command's signature to build the group, and one is enough."""
    import copy

    from typer.main import get_command_name
    if not args:
        return app
    chosen = [c for c in app.registered_commands
              if (c.name or get_command_name(c.callback.__name__)) == args[0]]
    if len(chosen) != 1:
        return app
    slim = copy.copy(app)
    slim.registered_commands = chosen
    return slim


def _run_typer(app, args: list[str]):
    """The command line Typer parses: help, completion, errors, or a form ``argv`` leaves.
    Click's own errors become their exit code here; the command's errors go on to ``invoke``."""
    from typer import Abort
    from typer import main as typer_main
    from typer._click.exceptions import ClickException, NoArgsIsHelpError

    from .coerce import install
    if app is None:
        from .app import app
    command = typer_main.get_command(_only_the_command_named(app, args))
    install(command)
    try:
        return command.main(args=args, prog_name="gradcli", standalone_mode=False)
    except NoArgsIsHelpError as e:
        say(e.format_message())
        return EXIT_USAGE
    except ClickException as e:
        say(_usage_line(e) if hasattr(e, "ctx") else f"gradcli: error: {e.format_message()}")
        return e.exit_code if e.exit_code else EXIT_USAGE
    except Abort:  # Click's name for Ctrl-C
        return EXIT_INTERRUPTED


def invoke(app, args: list[str]) -> int:
    """Run the command ``args`` names; return the exit code. A plain command line is
    parsed by ``argv`` (no Typer import); any other goes to the Typer ``app`` (``None``:
    gradcli's own, built then)."""
    from . import session
    from .argv import parse
    from .diagnostics import format_source_error

    debug = "--debug" in args or bool(os.environ.get("GRADCLI_DEBUG"))
    try:
        parsed = parse(args)
        if parsed is None:
            rv = _run_typer(app, args)
        else:
            command, kwargs = parsed
            rv = command(**kwargs)
        sys.stdout.flush()
        return rv if isinstance(rv, int) else EXIT_OK
    except _PipeClosed:
        _silence_stdout()
        return EXIT_OK
    except BrokenPipeError:
        _silence_stdout()
        return EXIT_OK
    except _OutputFailed as e:
        _silence_stdout()
        say(_output_failed(e.args[0]))
        return EXIT_PROGRAM
    except SourceError as e:
        say(format_source_error(e))
        return e.exit_code
    except UsageError as e:
        say(f"gradcli: error: {e}")
        return EXIT_USAGE
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED
    except Exception as e:  # noqa: BLE001 - the last line of defence: a bug in gradcli
        if debug:
            import traceback
            traceback.print_exc(file=sys.stderr)
        detail = str(e).strip().splitlines()
        say(f"gradcli: internal error: {type(e).__name__}"
            f"{': ' + detail[0] if detail else ''}. This is a bug in gradcli; please report it "
            f"to {ISSUES_URL} with the command line and program"
            f"{'' if debug else ' (run again with --debug for the traceback)'}.")
        return EXIT_INTERNAL
    finally:
        session.disarm_deadline()
