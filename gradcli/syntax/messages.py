"""Syntax error wording: what was expected, in words, never in grammar terminal names.

Where CPython 3.11 has a message for the same mistake, we use it verbatim
(``unterminated string literal``, ``'(' was never closed``...); where it only says
``invalid syntax`` we add what we found and what would have fit.
"""

from __future__ import annotations

from typing import NoReturn

from gradcli.errors import ProgramSyntaxError, Span

SUPPORTED_STATEMENTS = (
    "expressions, assignment (=, +=, ...), if/elif/else, while, for, break, continue, "
    "pass, assert, del, with, try/except/else/finally, raise, def, return, lambda, import of torch "
    "modules"
)


def fail(message: str, file: str, line: int, column: int, end_line: int = 0, end_column: int = 0,
         hint: str | None = None) -> NoReturn:
    raise ProgramSyntaxError(message, Span(file, line, column, end_line or line, end_column or column + 1),
                             hint)


def fail_at(message: str, span: Span, hint: str | None = None) -> NoReturn:
    raise ProgramSyntaxError(message, span, hint)


def unsupported_keyword(word: str, file: str, line: int, column: int) -> NoReturn:
    fail(f"SyntaxError: '{word}' is not supported by gradcli (supported: {SUPPORTED_STATEMENTS})",
         file, line, column, line, column + len(word))


# Words for tokens, by Lark terminal name; punctuation is quoted as written.
TOKEN_WORDS = {
    "_NEWLINE": "end of line",
    "$END": "end of file",
    "_INDENT": "an indented block",
    "_DEDENT": "end of the indented block",
    "NAME": "a name",
    "NUMBER": "a number",
    "STRING": "a string",
    "LONG_STRING": "a string",
}

EXPRESSION_STARTERS = {"NAME", "NUMBER", "STRING", "LONG_STRING", "LPAR", "LSQB", "LBRACE"}

# What the statement that starts a line needs before its ':'.
COLON_AFTER = {
    "if": "'if' condition",
    "elif": "'elif' condition",
    "while": "'while' condition",
    "for": "'for' loop header",
    "with": "'with' items",
    "def": "function signature",
    "else": "'else'",
    "try": "'try'",
    "except": "'except' clause",
    "finally": "'finally'",
}


def describe_found(token) -> str:
    """The unexpected token, as a person would name it."""
    kind = token.type
    if kind in ("_NEWLINE", "$END", "_INDENT", "_DEDENT"):
        return TOKEN_WORDS[kind]
    if kind == "NAME":
        return f"name '{token.value}'"
    if kind == "NUMBER":
        return f"number {token.value}"
    if kind in ("STRING", "LONG_STRING"):
        return "string"
    return f"'{token.value}'"


def describe_expected(expected: set[str], literal_of) -> str | None:
    """A short phrase for the set of acceptable terminals, or None if it is too long."""
    words: list[str] = []
    rest = set(expected)
    if EXPRESSION_STARTERS & rest and "NAME" in rest:
        words.append("an expression")
        rest -= EXPRESSION_STARTERS | {"MINUS", "PLUS", "TILDE", "NOT", "LAMBDA", "NONE", "TRUE",
                                        "FALSE", "ELLIPSIS", "STAR"}
    for kind in sorted(rest):
        if kind in TOKEN_WORDS:
            words.append(TOKEN_WORDS[kind])
        else:
            text = literal_of(kind)
            if text is None:
                continue
            words.append(f"'{text}'")
    if not words or len(words) > 4:
        return None
    if len(words) == 1:
        return words[0]
    return ", ".join(words[:-1]) + " or " + words[-1]


def bad_character(text: str, pos: int, file: str, line: int, column: int) -> NoReturn:
    """No token starts at ``text[pos]``: an unterminated string, a stray or foreign character."""
    ch = text[pos]
    if ch in ("'", '"'):
        if text.startswith(ch * 3, pos):
            fail(f"SyntaxError: unterminated triple-quoted string literal (detected at line "
                 f"{text.count(chr(10))})", file, line, column)
        fail(f"SyntaxError: unterminated string literal (detected at line {line})", file, line, column)
    if ch == "\\":
        fail("SyntaxError: unexpected character after line continuation character", file, line, column)
    if ord(ch) > 127:
        fail(f"SyntaxError: invalid character '{ch}' (U+{ord(ch):04X})", file, line, column)
    if ch == "!":
        fail("SyntaxError: invalid syntax: unexpected '!' (did you mean 'not' or '!='?)", file, line, column)
    if ch == "\t" or ch.isspace() or not ch.isprintable():
        fail(f"SyntaxError: invalid non-printable character U+{ord(ch):04X}", file, line, column)
    fail(f"SyntaxError: invalid syntax: unexpected character '{ch}'", file, line, column)
