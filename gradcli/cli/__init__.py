"""The command line: ``gradcli run|backward|forward|grad|explain|graph|jacobian|hessian|check``
(declared in ``params``, parsed by ``argv`` or by Typer through ``typer_app``)."""

import os as _os
import signal as _signal
import sys as _sys


def _exit_quietly_if_interrupted_while_starting() -> None:
    """Ctrl-C while the command is still importing: exit 130 without a traceback.

    Only when this process is the ``gradcli`` command; ``app.main`` puts Python's own
    handler back before running the command, so the boundary sees KeyboardInterrupt.
    """
    main = _sys.modules.get("__main__")
    script = _os.path.basename(getattr(main, "__file__", "") or "")
    if script in ("gradcli", "__main__.py") and _signal.getsignal(_signal.SIGINT) is _signal.default_int_handler:
        _signal.signal(_signal.SIGINT, lambda signum, frame: _os._exit(130))


_exit_quietly_if_interrupted_while_starting()
