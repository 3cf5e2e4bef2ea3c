"""parse(): program text to AST, or a ProgramSyntaxError with a position. Nothing else escapes.

The LALR table comes from Lark (grammar/gradcli.lark), with the AST built inline by
builder.Builder and the layout handled by lexer.GradLexer, driven by driver.Driver.
Once built, the driver's table and the lexer's terminals are cached as plain data in
the user's cache directory, so a later run neither imports nor builds Lark: that was
a fifth of start-up. Lark is built on a miss (and its own tables cache is used then),
or when this Lark version's internals are laid out differently. This module is the
one boundary where parse errors (the driver's or Lark's) become ProgramSyntaxError.
"""

from __future__ import annotations

import gc
import marshal
import os
import sys

from gradcli.errors import ProgramSyntaxError, SourceError, Span
from gradcli.syntax import ast, cache, nesting
from gradcli.syntax.builder import Builder
from gradcli.syntax.cache import cache_dir
from gradcli.syntax.driver import Driver, ParseError, TooDeep
from gradcli.syntax.lexer import GradLexer, Tok
from gradcli.syntax.messages import COLON_AFTER, describe_expected, describe_found, fail

_PARSER = None  # the Lark object, built only when needed
_DRIVER: Driver | None = None
_READY = False  # _DRIVER and GradLexer.instance are set up (from the tables cache or from Lark)
_LITERALS: dict[str, str] = {}  # terminal name -> its text, for terminals that are fixed strings
_BUILDER = Builder()
_TABLES_MAGIC = b"gradcli-tables 1\n"


def grammar_text() -> str:
    # The file first, where a wheel (gradcli/grammar/) or a source tree (grammar/) has it:
    # importing importlib.resources and the gradcli.grammar package cost more than the parse.
    here = os.path.dirname(os.path.abspath(__file__))
    for folder in (os.path.join(here, os.pardir, "grammar"), os.path.join(here, os.pardir, os.pardir, "grammar")):
        try:
            with open(os.path.join(folder, "gradcli.lark"), encoding="utf-8") as f:
                return f.read()
        except OSError:
            pass
    import importlib.resources
    return importlib.resources.files("gradcli.grammar").joinpath("gradcli.lark").read_text("utf-8")


def get_parser():
    """The Lark parser (built once per process; ``prepare`` usually makes it unnecessary)."""
    global _PARSER, _DRIVER, _READY, _LITERALS
    if _PARSER is None:
        import lark
        from lark import Lark

        from gradcli.syntax.lark_lexer import LarkGradLexer  # Lark accepts only its Lexer's subclasses

        text = grammar_text()
        # (LarkGradLexer: a cache written by an older gradcli names another lexer class)
        key = cache.sha256(f"{text}\0{lark.__version__}\0{sys.version_info[:2]}\0LarkGradLexer"
                             .encode()).hexdigest()
        directory = cache_dir()
        lark_cache = os.path.join(directory, f"grammar-{key[:20]}.lark-cache") if directory else False
        _PARSER = Lark(text, parser="lalr", start=["file_input", "fstring_expr"],
                       lexer=LarkGradLexer, transformer=_BUILDER, maybe_placeholders=True, cache=lark_cache)
        _LITERALS = {t.name: t.pattern.value for t in _PARSER.terminals if t.pattern.type == "str"}
        if not _READY:
            try:
                _DRIVER = Driver.from_lark(_PARSER)
            except (AttributeError, KeyError, TypeError):  # another Lark layout: use Lark's own loop
                _DRIVER = None
            _READY = True
    return _PARSER


def prepare() -> None:
    """Set up the driver and the lexer: from the tables cache, else from Lark (then cache them)."""
    global _DRIVER, _READY, _LITERALS
    if _READY:
        return
    path = _tables_path()
    tables = _load_tables(path) if path is not None else None
    if tables is not None:
        try:
            lexer_tables, driver_table, literals = tables
            GradLexer(tables=lexer_tables)
            _DRIVER = Driver.from_table(driver_table, _BUILDER)
            _LITERALS = dict(literals)
            _READY = True
            return
        except Exception:  # an entry of another layout: build from Lark and write a new one
            pass
    get_parser()
    if path is not None and _DRIVER is not None and _DRIVER.table is not None:
        _store_tables(path, (GradLexer.instance.tables, _DRIVER.table, _LITERALS))


def _tables_path() -> str | None:
    directory = cache_dir()
    if directory is None:
        return None
    # grammar and this package's source (driver, lexer, builder): a changed parser never reads old tables
    key = cache.sha256(cache._code_fingerprint(grammar_text)).hexdigest()
    return os.path.join(directory, f"tables-{key[:24]}.marshal")


def _load_tables(path: str):
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
        with os.fdopen(fd, "rb") as f:
            data = f.read()
    except OSError:
        return None
    if not data.startswith(_TABLES_MAGIC):
        return None
    payload = data[len(_TABLES_MAGIC) + 65:]
    if cache.sha256(payload).hexdigest().encode() != data[len(_TABLES_MAGIC):len(_TABLES_MAGIC) + 64]:
        return None  # truncated or corrupt
    try:
        return marshal.loads(payload)  # plain data only: dicts, tuples, lists, str, int, bool, None
    except (EOFError, ValueError, TypeError):
        return None


def _store_tables(path: str, tables: tuple) -> None:
    try:
        payload = marshal.dumps(tables)
    except ValueError:  # something that is not plain data: no cache
        return
    data = _TABLES_MAGIC + cache.sha256(payload).hexdigest().encode() + b"\n" + payload
    cache.write_atomically(path, data)


def parse(source: str | bytes, filename: str = "<program>") -> ast.Module:
    """Parse a whole program. Raises ProgramSyntaxError, and nothing else, on bad input."""
    try:
        return _parse(source, filename)
    except MemoryError:
        pass  # leaving the handler drops its traceback, and with it the half-built tree
    _BUILDER.fstrings, _BUILDER.parenthesized = [], set()
    last = None
    if GradLexer.instance is not None:
        last = GradLexer.instance.last
        GradLexer.instance.reset()
    raise ProgramSyntaxError(f"MemoryError: out of memory while parsing ({len(source):,} "
                             f"{'bytes' if isinstance(source, bytes) else 'characters'})",
                             Span(filename, last.line if last else 1, last.column if last else 1))


def _parse(source: str | bytes, filename: str) -> ast.Module:
    text = decode(source, filename)
    limit = sys.getrecursionlimit()
    collecting = gc.isenabled()
    gc.disable()  # the AST is all new objects; cyclic GC passes over it cost half the parse time
    try:
        module = directory = entry = None
        # a long text, or the first parse of this process (the parser's set-up costs more
        # than a short parse: an entry saves both)
        if (len(text) >= cache.MIN_CHARS or not _READY) and (directory := cache_dir()) is not None:
            entry = cache.key(text, filename, grammar_text)
            module = cache.load(directory, entry)
        if module is None:
            module = _parse_text(text, filename)
            if entry is not None:
                cache.store(directory, entry, module)
        module.source = text
        return module
    except SourceError as e:  # a syntax error, or --timeout's alarm going off while parsing
        if e.span is None:
            last = GradLexer.instance.last if GradLexer.instance is not None else None
            e.span = Span(filename, last.line if last is not None else 1, 1)
        raise
    except RecursionError:
        raise ProgramSyntaxError("SyntaxError: too many nested expressions", Span(filename, 1, 1)) from None
    except MemoryError:
        raise
    except Exception as e:  # a bug of ours must still not show a traceback
        raise ProgramSyntaxError(f"SyntaxError: gradcli could not parse this program "
                                 f"(internal error: {type(e).__name__}: {e})", Span(filename, 1, 1)) from e
    finally:
        sys.setrecursionlimit(limit)
        if collecting:
            gc.enable()


def decode(source: str | bytes, filename: str) -> str:
    """Bytes to text as CPython reads a script: UTF-8, BOM allowed, any newline convention."""
    if isinstance(source, bytes):
        if source.startswith(b"\xef\xbb\xbf"):
            source = source[3:]
        try:
            source = source.decode("utf-8")
        except UnicodeDecodeError as e:
            line = source.count(b"\n", 0, e.start) + 1
            column = e.start - (source.rfind(b"\n", 0, e.start) + 1) + 1
            byte = source[e.start:e.start + 1]
            fail(f"SyntaxError: Non-UTF-8 code starting with '\\x{byte.hex()}' on line {line}, "
                 "but no encoding declared (gradcli reads programs as UTF-8)", filename, line, column)
    elif source.startswith("\ufeff"):
        source = source[1:]
    nul = source.find("\x00")
    if nul >= 0:
        line = source.count("\n", 0, nul) + 1
        fail("SyntaxError: source code cannot contain null bytes", filename, line,
             nul - (source.rfind("\n", 0, nul) + 1) + 1)
    if "\r" in source:
        source = source.replace("\r\n", "\n").replace("\r", "\n")
    if not source.endswith("\n"):
        source += "\n"
    return source


def _parse_text(text: str, filename: str) -> ast.Module:
    prepare()
    _BUILDER.file = GradLexer.instance.file = filename
    _BUILDER.fstrings = []
    _BUILDER.parenthesized = set()
    module = _run(text, "file_input", filename)
    # f-string fields are parsed once the outer parse is done (the parser is not re-entrant).
    pending = _BUILDER.fstrings
    while pending:
        _BUILDER.fstrings = []
        for node, field in pending:
            node.value = _parse_field(field, filename)
        pending = _BUILDER.fstrings
    return module


def _parse_field(field, filename: str) -> ast.Node:
    if _DRIVER is not None:  # the lexer starts the field at its line and column in the file
        return _run("(" + field.text + "\n)\n", "fstring_expr", filename, field.line, field.column - 1)
    # Lark's loop lexes from 1:1: padding puts every token at its place (a cost per field of its column)
    if field.line == 1:
        padded = "(" + " " * (field.column - 2) + field.text + "\n)\n"
    else:
        padded = "(" + "\n" * (field.line - 1) + " " * (field.column - 1) + field.text + "\n)\n"
    return _run(padded, "fstring_expr", filename)


def _run(text: str, start: str, filename: str, line: int = 1, column: int = 1):
    if _DRIVER is None:
        return _run_lark(text, start, filename)
    try:
        end = len(text)
        last_line = text.count("\n") + line - 1
        end_token = Tok("$END", "", last_line, 1, last_line, 1, end, end)
        return _DRIVER.parse(GradLexer.instance.lex(text, line, column), start, end_token)
    except TooDeep as e:
        fail(nesting.MESSAGE, filename, e.token.line, e.token.column)
    except ParseError as e:
        _translate(e, text, filename)


def _run_lark(text: str, start: str, filename: str):
    from lark.exceptions import UnexpectedInput

    try:
        return get_parser().parse(text, start=start)
    except UnexpectedInput as e:
        _translate(e, text, filename)


# --------------------------------------------------------------- error wording


def _translate(e, text: str, filename: str):
    """A ParseError of the driver, or Lark's UnexpectedInput, as a ProgramSyntaxError."""
    layout = GradLexer.instance
    if not isinstance(e, ParseError) and type(e).__name__ != "UnexpectedToken":
        fail(f"SyntaxError: invalid syntax ({e})", filename, getattr(e, "line", 1), getattr(e, "column", 1))
    tok = e.token
    kind = tok.type
    expected = set(e.expected)
    if kind == "_INDENT":
        fail("IndentationError: unexpected indent", filename, tok.end_line, len(tok.value) + 1)
    if expected <= {"EXCEPT", "FINALLY"} and "EXCEPT" in expected:  # right after a 'try' block
        at = (layout.last.end_line, layout.last.end_column) if kind == "$END" else (tok.line, tok.column)
        fail("SyntaxError: expected 'except' or 'finally' block", filename, *at)
    if kind == "STAR" and layout.previous is not None and layout.previous.type == "EXCEPT":
        fail("SyntaxError: 'except*' (exception groups) is not supported by gradcli", filename,
             layout.previous.line, layout.previous.column)
    if kind == "_DEDENT" and "_INDENT" not in expected:
        fail("IndentationError: unindent does not match any outer indentation level",
             filename, tok.line, tok.column)
    if layout.brackets:
        opened = layout.brackets[-1]
        if kind == "$END" or tok.line > opened.line:
            fail(f"SyntaxError: '{opened.value}' opened at {opened.line}:{opened.column} was never "
                 "closed", filename, opened.line, opened.column)
    line_start = layout.line_start
    first_word = line_start.value if line_start is not None else None
    if kind in ("_NEWLINE", "$END") and "COLON" in expected and first_word in COLON_AFTER:
        last = layout.last
        fail(f"SyntaxError: missing ':' after {COLON_AFTER[first_word]}", filename,
             last.end_line, last.end_column)
    if kind == "COMMA" and first_word == "except" and "AS" in expected and not layout.brackets:
        rest = layout.file_text[line_start.end_pos:tok.start_pos]
        fail("SyntaxError: multiple exception types must be parenthesized", filename, line_start.line,
             line_start.end_column + len(rest) - len(rest.lstrip(" \t\f")))
    if kind == "EQUAL" and first_word in ("if", "elif", "while"):
        fail("SyntaxError: invalid syntax. Maybe you meant '==' or ':=' instead of '='?",
             filename, tok.line, tok.column)
    if first_word == "print" and line_start is not None and kind in ("NAME", "NUMBER", "STRING",
                                                                      "LONG_STRING"):
        fail("SyntaxError: Missing parentheses in call to 'print'. Did you mean print(...)?",
             filename, line_start.line, line_start.column)
    previous = layout.last if layout.last is not tok else layout.previous
    if (layout.brackets and kind in ("NAME", "NUMBER", "STRING", "LONG_STRING")
            and previous is not None and previous.type in ("NAME", "NUMBER", "STRING", "LONG_STRING",
                                                            "RPAR", "RSQB")):
        fail("SyntaxError: invalid syntax. Perhaps you forgot a comma?", filename, tok.line, tok.column)
    wanted = describe_expected(expected, _literal_of)
    message = f"SyntaxError: invalid syntax: unexpected {describe_found(tok)}"
    if wanted:
        message += f" (expected {wanted})"
    line, column = _token_position(tok, text)
    fail(message, filename, line, column)


def _token_position(tok, text: str) -> tuple[int, int]:
    if type(tok) is Tok and tok.type == "$END":
        return tok.line, 1
    if tok.type == "$END" or getattr(tok, "line", None) is None:
        return text.count("\n"), 1
    return tok.line, tok.column


def _literal_of(kind: str) -> str | None:
    return _LITERALS.get(kind)
