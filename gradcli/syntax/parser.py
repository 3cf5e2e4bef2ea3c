"""parse(): program text to AST, or a ProgramSyntaxError with a position. Nothing else escapes.

One Lark LALR parser is built per process (from a cache in the user's cache
directory when possible), with the AST built inline by builder.Builder and the
layout handled by lexer.GradLexer, driven by driver.Driver. This module is the one boundary where Lark's
exceptions become ProgramSyntaxError.
"""

from __future__ import annotations

import gc
import hashlib
import importlib.resources
import sys
from pathlib import Path

import lark
from lark import Lark
from lark.exceptions import UnexpectedInput, UnexpectedToken

from gradcli.errors import ProgramSyntaxError, SourceError, Span
from gradcli.syntax import ast, cache
from gradcli.syntax.builder import Builder
from gradcli.syntax.cache import cache_dir
from gradcli.syntax.driver import Driver, ParseError
from gradcli.syntax.lexer import GradLexer, Tok
from gradcli.syntax.messages import COLON_AFTER, describe_expected, describe_found, fail

_PARSER: Lark | None = None
_DRIVER: Driver | None = None
_BUILDER = Builder()


def grammar_text() -> str:
    try:
        return importlib.resources.files("gradcli.grammar").joinpath("gradcli.lark").read_text("utf-8")
    except (ModuleNotFoundError, FileNotFoundError, OSError):
        return (Path(__file__).resolve().parents[2] / "grammar" / "gradcli.lark").read_text("utf-8")


def get_parser() -> Lark:
    global _PARSER, _DRIVER
    if _PARSER is None:
        text = grammar_text()
        key = hashlib.sha256(f"{text}\0{lark.__version__}\0{sys.version_info[:2]}".encode()).hexdigest()
        directory = cache_dir()
        cache = str(directory / f"grammar-{key[:20]}.lark-cache") if directory else False
        _PARSER = Lark(text, parser="lalr", start=["file_input", "fstring_expr"],
                       lexer=GradLexer, transformer=_BUILDER, maybe_placeholders=True, cache=cache)
        try:
            _DRIVER = Driver(_PARSER)
        except (AttributeError, KeyError, TypeError):  # another Lark layout: use Lark's own loop
            _DRIVER = None
    return _PARSER


def parse(source: str | bytes, filename: str = "<program>") -> ast.Module:
    """Parse a whole program. Raises ProgramSyntaxError, and nothing else, on bad input."""
    text = decode(source, filename)
    limit = sys.getrecursionlimit()
    collecting = gc.isenabled()
    gc.disable()  # the AST is all new objects; cyclic GC passes over it cost half the parse time
    try:
        module = directory = entry = None
        if len(text) >= cache.MIN_CHARS and (directory := cache_dir()) is not None:
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
    parser = get_parser()
    _BUILDER.file = GradLexer.instance.file = filename
    _BUILDER.fstrings = []
    _BUILDER.parenthesized = set()
    module = _run(parser, text, "file_input", filename)
    # f-string fields are parsed once the outer parse is done (the parser is not re-entrant).
    pending = _BUILDER.fstrings
    while pending:
        _BUILDER.fstrings = []
        for node, field in pending:
            node.value = _parse_field(parser, field, filename)
        pending = _BUILDER.fstrings
    return module


def _parse_field(parser: Lark, field, filename: str) -> ast.Node:
    # Padding puts every token of the field at its real line and column in the file.
    if field.line == 1:
        padded = "(" + " " * (field.column - 2) + field.text + "\n)\n"
    else:
        padded = "(" + "\n" * (field.line - 1) + " " * (field.column - 1) + field.text + "\n)\n"
    return _run(parser, padded, "fstring_expr", filename)


def _run(parser: Lark, text: str, start: str, filename: str):
    try:
        if _DRIVER is None:
            return parser.parse(text, start=start)
        end = len(text)
        end_token = Tok("$END", "", text.count("\n"), 1, text.count("\n"), 1, end, end)
        return _DRIVER.parse(GradLexer.instance.lex(text), start, end_token)
    except (UnexpectedInput, ParseError) as e:
        _translate(e, text, filename)


# --------------------------------------------------------------- error wording


def _translate(e: UnexpectedInput | ParseError, text: str, filename: str):
    layout = GradLexer.instance
    if not isinstance(e, (UnexpectedToken, ParseError)):
        fail(f"SyntaxError: invalid syntax ({e})", filename, getattr(e, "line", 1), getattr(e, "column", 1))
    tok = e.token
    kind = tok.type
    expected = set(e.expected)
    if kind == "_INDENT":
        fail("IndentationError: unexpected indent", filename, tok.end_line, len(tok.value) + 1)
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
    if tok.type == "$END" or getattr(tok, "line", None) is None:
        return text.count("\n"), 1
    return tok.line, tok.column


def _literal_of(kind: str) -> str | None:
    try:
        pattern = get_parser().get_terminal(kind).pattern
    except KeyError:
        return None
    if pattern.type == "str":
        return pattern.value
    return None
