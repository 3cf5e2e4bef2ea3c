"""String literals: prefixes, escapes, and the fields of f-strings.

Escapes are decoded with the ``unicode_escape`` codec, never by evaluating text.
An f-string is split here into literal text and ``{expression!conversion:spec}``
fields; the expressions themselves are parsed by parser.py with the real grammar.
"""

from __future__ import annotations

import re

from gradcli.syntax.messages import fail

_PREFIX = re.compile(r"[rRbBfFuU]*")


class Field:
    """One replacement field of an f-string, still as text."""

    __slots__ = ("text", "line", "column", "conversion", "spec", "debug_text")

    def __init__(self, text: str, line: int, column: int, conversion: str | None,
                 spec: list[str | Field] | None, debug_text: str | None):
        self.text = text  # the expression
        self.line = line  # where the expression text starts in the file
        self.column = column
        self.conversion = conversion
        self.spec = spec  # literal text and nested fields
        self.debug_text = debug_text  # ``expr=`` text for f"{expr=}"


class Literal:
    """A decoded string token: plain text, or the parts of an f-string."""

    __slots__ = ("value", "parts")

    def __init__(self, value: str | None, parts: list[str | Field] | None):
        self.value = value  # for plain strings
        self.parts = parts  # for f-strings


def decode_token(text: str, file: str, line: int, column: int) -> Literal:
    prefix = _PREFIX.match(text).group().lower()
    if "b" in prefix:
        fail("SyntaxError: bytes literals are not supported by gradcli", file, line, column)
    quote_len = 3 if text[len(prefix):len(prefix) + 3] in ('"""', "'''") else 1
    body = text[len(prefix) + quote_len:len(text) - quote_len]
    raw = "r" in prefix
    body_line, body_col = line, column + len(prefix) + quote_len
    if "f" in prefix:
        return Literal(None, _split_fstring(body, raw, file, body_line, body_col))
    return Literal(_unescape(body, raw, file, line, column), None)


def _unescape(body: str, raw: bool, file: str, line: int, column: int) -> str:
    if raw or "\\" not in body:
        return body
    try:
        return body.encode("latin-1", "backslashreplace").decode("unicode_escape")
    except UnicodeDecodeError as e:
        fail(f"SyntaxError: (unicode error) 'unicodeescape' codec can't decode bytes in position "
             f"{e.start}-{e.end - 1}: {e.reason}", file, line, column)


def _position(body: str, offset: int, line: int, column: int) -> tuple[int, int]:
    """The file position of ``body[offset]`` when ``body[0]`` sits at (line, column)."""
    newlines = body.count("\n", 0, offset)
    if newlines == 0:
        return line, column + offset
    return line + newlines, offset - body.rindex("\n", 0, offset)


def _split_fstring(body: str, raw: bool, file: str, line: int, column: int,
                   depth: int = 0) -> list[str | Field]:
    parts: list[str | Field] = []
    text: list[str] = []
    i, n = 0, len(body)

    def flush() -> None:
        if text:
            lit = "".join(text)
            parts.append(_unescape(lit, raw, file, line, column))
            text.clear()

    while i < n:
        ch = body[i]
        if ch == "{":
            if body.startswith("{", i + 1) and depth == 0:
                text.append("{")
                i += 2
                continue
            flush()
            field, i = _field(body, i + 1, raw, file, line, column, depth)
            parts.append(field)
        elif ch == "}":
            if body.startswith("}", i + 1) and depth == 0:
                text.append("}")
                i += 2
                continue
            fl, fc = _position(body, i, line, column)
            fail("SyntaxError: f-string: single '}' is not allowed", file, fl, fc)
        else:
            text.append(ch)
            i += 1
    flush()
    return parts


def _field(body: str, start: int, raw: bool, file: str, line: int, column: int,
           depth: int) -> tuple[Field, int]:
    """Parse one field whose text starts at ``body[start]``; return it and the index after '}'."""
    if depth >= 2:
        fl, fc = _position(body, start, line, column)
        fail("SyntaxError: f-string: expressions nested too deeply", file, fl, fc)
    i, n = start, len(body)
    nesting = 0
    quote = None
    while i < n:
        ch = body[i]
        if quote:
            if ch == quote:
                quote = None
        elif ch in "'\"":
            quote = ch
        elif ch in "([{":
            nesting += 1
        elif ch in ")]}":
            if nesting == 0:
                break
            nesting -= 1
        elif nesting == 0 and ch == "!" and not body.startswith("=", i + 1):
            break
        elif nesting == 0 and ch == ":":
            break
        elif nesting == 0 and ch == "=" and body[i - 1] not in "=!<>" and not body.startswith("=", i + 1):
            break
        elif ch == "\\":
            fl, fc = _position(body, i, line, column)
            fail("SyntaxError: f-string expression part cannot include a backslash", file, fl, fc)
        elif ch == "#":
            fl, fc = _position(body, i, line, column)
            fail("SyntaxError: f-string expression part cannot include '#'", file, fl, fc)
        i += 1
    fl, fc = _position(body, start, line, column)
    if i >= n or quote:
        fail("SyntaxError: f-string: expecting '}'", file, fl, fc)
    expr = body[start:i]
    if not expr.strip():
        fail("SyntaxError: f-string: empty expression not allowed", file, fl, fc)
    debug_text = None
    if body[i] == "=":
        debug_text = body[start:i + 1]
        i += 1
        while i < n and body[i].isspace():
            debug_text += body[i]
            i += 1
    conversion = None
    if i < n and body[i] == "!":
        conversion = body[i + 1:i + 2]
        if conversion not in ("s", "r", "a"):
            fail("SyntaxError: f-string: invalid conversion character: expected 's', 'r', or 'a'",
                 file, *_position(body, i + 1, line, column))
        i += 2
    spec = None
    if i < n and body[i] == ":":
        spec_start = i + 1
        j, nest = spec_start, 0
        while j < n:
            if body[j] == "{":
                nest += 1
            elif body[j] == "}":
                if nest == 0:
                    break
                nest -= 1
            j += 1
        sl, sc = _position(body, spec_start, line, column)
        spec = _split_fstring(body[spec_start:j], raw, file, sl, sc, depth + 1)
        i = j
    if i >= n or body[i] != "}":
        fail("SyntaxError: f-string: expecting '}'", file, fl, fc)
    if debug_text is not None and conversion is None and spec is None:
        conversion = "r"
    return Field(expr, fl, fc, conversion, spec, debug_text), i + 1
