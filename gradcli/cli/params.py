"""How a command declares its parameters: as data, without Typer.

A command is a plain function whose parameters are annotated with a :class:`Param`
and have their default as the Python default::

    @command
    def backward(file: o.File = None, retain_graph: o.RetainGraph = False, ...): ...

Two readers share these declarations. ``typer_app`` turns each into the
``Annotated[T, typer.Option(...)]`` Typer expects (help, completion, every error
message); ``argv`` parses the plain command lines that make up nearly every run
without importing Typer and Click at all, which is a fifth of gradcli's start-up.
One declaration, so the two cannot drift; tests/test_cli_argv.py checks that they
agree on whatever the fast parser accepts.
"""


class Param:
    """One parameter: its option names (``"--of"``, ``"-f"``, ``"--backward/--no-backward"``),
    its value type (str, int, float, bool or an Enum), whether it repeats, whether it is
    the positional argument, and the rest of what Typer is told (help, metavar, panel,
    min, max, case_sensitive...), passed to ``typer.Option``/``typer.Argument`` as is."""

    __slots__ = ("decls", "kind", "multiple", "argument", "settings")

    def __init__(self, *decls: str, kind: type = str, multiple: bool = False, argument: bool = False,
                 **settings):
        self.decls = decls
        self.kind = kind
        self.multiple = multiple
        self.argument = argument
        self.settings = settings

    def names(self) -> dict[str, object]:
        """Each name on the command line -> the value it gives (a flag) or ``None`` (takes a value)."""
        out: dict[str, object] = {}
        for decl in self.decls:
            on, _, off = decl.partition("/")
            if self.kind is bool:
                out[on] = True
                if off:
                    out[off] = False
            else:
                out[on] = None
        return out

    def __repr__(self) -> str:
        return f"Param({', '.join(self.decls) or 'argument'}: {self.kind.__name__})"


COMMANDS: dict = {}  # command name -> function, in the order --help lists them


def command(fn):
    """Register ``fn`` as the command named after it (``all_nodes`` -> ``all-nodes``)."""
    COMMANDS[fn.__name__.replace("_", "-")] = fn
    return fn


def parameters(fn) -> list[tuple[str, Param, object]]:
    """``(name, Param, default)`` for each parameter of a command, in order."""
    code = fn.__code__
    names = code.co_varnames[:code.co_argcount]
    defaults = fn.__defaults__ or ()
    padded = (None,) * (len(names) - len(defaults)) + tuple(defaults)
    hints = fn.__annotations__
    return [(name, hints[name], default) for name, default in zip(names, padded)]
