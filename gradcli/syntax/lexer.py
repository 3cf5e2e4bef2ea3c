"""The lexer Lark's LALR parser reads from: the grammar's own terminals, plus Python's layout.

The terminals come from grammar/gradcli.lark (through Lark's lexer_conf), so the
grammar stays the one definition of the language. They are compiled into a single
regular expression and tokens are small slotted objects: Lark's general lexer spends
several microseconds per token, which is most of the time on a long program.

Layout (Python's rules) is applied in the same loop: newlines inside brackets are
dropped, indentation after a newline becomes _INDENT/_DEDENT, and the mistakes that
are easiest to name here (mixed tabs, bad dedents, unmatched brackets, unsupported
keywords, ``4x``) are raised with CPython's own wording.
"""

from __future__ import annotations

import re

from gradcli.syntax.messages import bad_character, fail, unsupported_keyword
from gradcli.syntax.nesting import WATCH_FROM, Nesting

OPEN = {"LPAR": ")", "LSQB": "]", "LBRACE": "}"}
CLOSE = frozenset({"RPAR", "RSQB", "RBRACE"})
MAX_BRACKETS = 200  # CPython's tokenizer limit (MAXLEVEL)
MAX_INDENT = 100  # CPython's tokenizer limit (MAXINDENT)
BLOCK_WORDS = frozenset({"if", "elif", "else", "while", "for", "with", "def", "try", "except", "finally"})

# Python keywords the grammar has no place for; a NAME spelling one is an error.
UNSUPPORTED_KEYWORDS = frozenset(
    {"class", "global", "nonlocal", "yield", "async", "await"}
)


class Tok:
    """A token: what Lark's parser needs (``type``) and what the AST builder needs."""

    __slots__ = ("type", "value", "line", "column", "end_line", "end_column", "start_pos", "end_pos")

    def __init__(self, type, value, line, column, end_line, end_column, start_pos, end_pos):
        self.type = type
        self.value = value
        self.line = line
        self.column = column
        self.end_line = end_line
        self.end_column = end_column
        self.start_pos = start_pos
        self.end_pos = end_pos

    def __str__(self) -> str:
        return self.value

    def __repr__(self) -> str:
        return f"Tok({self.type}, {self.value!r}, {self.line}:{self.column})"


def lexer_tables(lexer_conf) -> tuple:
    """What the lexer needs from the grammar's terminals, as plain data (cached with the
    parse table, so a run whose tables come from the cache never builds Lark):
    (alternatives, the ASCII characters each can start with, keywords, ignored terminal names)."""
    terminals = sorted(lexer_conf.terminals,
                       key=lambda t: (-t.priority, -t.pattern.max_width, -len(t.pattern.value), t.name))
    regexps = [t for t in terminals if t.pattern.type == "re"]
    keywords: dict[str, str] = {}
    alternatives, firsts = [], []
    for t in terminals:
        if t.pattern.type == "str" and any(
                r.priority == t.priority and re.fullmatch(r.pattern.to_regexp(), t.pattern.value)
                for r in regexps):
            keywords[t.pattern.value] = t.name  # keywords: a NAME whose text is reserved
            continue
        alternatives.append(f"(?P<{t.name}>{t.pattern.to_regexp()})")
        first = _first_chars(t.pattern.to_regexp())
        firsts.append(None if first is None else "".join(sorted(first)))  # None: any character
    return alternatives, firsts, keywords, sorted(lexer_conf.ignore)


class GradLexer:
    """Built once from the grammar's terminals; ``lex(text)`` yields Tok objects.

    Lark builds it from its lexer_conf (through a subclass of Lark's Lexer made in
    parser.py); a run with cached tables builds it from ``lexer_tables``' data.
    After a failed parse, ``brackets``, ``line_start`` and ``last`` describe where
    the lexer was, for the error translator in parser.py.
    """

    instance: GradLexer | None = None

    def __init__(self, lexer_conf=None, tables: tuple | None = None) -> None:
        self.tables = tables if tables is not None else lexer_tables(lexer_conf)
        alternatives, firsts, keywords, ignore = self.tables
        self.keywords: dict[str, str] = dict(keywords)
        self.by_first = _Dispatch(list(alternatives), list(firsts))
        self.ignore = frozenset(ignore)
        self.file = "<program>"
        self.file_text = ""
        self.reset()
        GradLexer.instance = self

    def reset(self) -> None:
        self.brackets: list[Tok] = []
        self.line_start: Tok | None = None  # first token of the current logical line
        self.last: Tok | None = None  # last token that is not layout
        self.previous: Tok | None = None  # the one before it

    def lex(self, text: str, line: int = 1, column: int = 1):
        """Tokens of ``text``, which starts at ``line`` and ``column`` of the file (an f-string field)."""
        self.reset()
        self.file_text = text
        return self._tokens(text, line, column)

    def _tokens(self, text: str, first_line: int, first_column: int):  # noqa: C901 - one loop: it runs per token
        by_first = self.by_first
        keywords = self.keywords
        ignore = self.ignore
        brackets = self.brackets
        file = self.file
        levels = [(0, 0)]  # indentation as (columns with tab=8, columns with tab=1)
        pos, n = 0, len(text)
        line, line_pos = first_line, 1 - first_column  # current line and the index where it starts
        last = None  # last significant token on the current logical line
        block_opener = None
        logical_start, logical_line, watch_at = 0, first_line, WATCH_FROM  # a line past watch_at: Nesting
        nesting = None
        while pos < n:
            char = text[pos]
            if char == " " and text[pos + 1] not in " \t\f":  # one space: half of all matches
                pos += 1  # (the text ends with a newline, so pos + 1 exists)
                continue
            m = by_first[char](text, pos)
            if m is None:
                bad_character(text, pos, file, line, pos - line_pos + 1)
            kind = m.lastgroup
            end = m.end()
            value = text[pos:end]
            if kind in ignore:
                if value[0] == "\\":
                    if end == n and not brackets:  # (an open bracket is reported instead)
                        fail("SyntaxError: unexpected EOF while parsing", file, line, pos - line_pos + 2)
                    line += 1
                    line_pos = end
                pos = end
                continue
            column = pos - line_pos + 1
            if kind == "_NEWLINE":
                newlines = value.count("\n")
                nl = Tok(kind, value, line, column, line + newlines, 1, pos, end)
                line += newlines
                line_pos = text.rindex("\n", 0, end) + 1 if newlines else line_pos
                pos = end
                if brackets or not newlines:
                    continue
                logical_start, logical_line, watch_at = end, line, end + WATCH_FROM
                nesting = None
                if last is None:  # blank lines and comments before the first statement
                    continue
                yield nl
                indent = value[value.rindex("\n") + 1:]
                opener = block_opener if last.type == "COLON" else None
                yield from self._indentation(indent, levels, opener, line, nl)
                self.line_start = None
                block_opener = None
                last = None
                continue
            if kind == "NAME":
                kind = keywords.get(value, "NAME")
                if kind == "NAME":
                    if value in UNSUPPORTED_KEYWORDS:
                        unsupported_keyword(value, file, line, column)
                    if last is not None and last.type == "NUMBER" and last.end_pos == pos:
                        fail("SyntaxError: invalid decimal literal", file, last.line, last.column)
            if kind == "STRING" and value[-2:] == value[-1] * 2 and text.startswith(value[-1], end):
                bad_character(text, end - 2, file, line, column + end - 2 - pos)  # an open """
            if kind == "LONG_STRING" or (kind == "STRING" and "\n" in value):
                newlines = value.count("\n")
                tok = Tok(kind, value, line, column, line + newlines,
                          end - text.rfind("\n", 0, end), pos, end)  # rfind: """doc""" on line 1
                line += newlines
                line_pos = text.rfind("\n", 0, end) + 1
            else:
                tok = Tok(kind, value, line, column, line, column + end - pos, pos, end)
            pos = end
            if last is None and self.line_start is None:
                self.line_start = tok
                if (len(levels) == 1 and column > 1 and self.last is None
                        and text[max(line_pos, 0):tok.start_pos].rpartition("\f")[2]):  # a form feed resets the count
                    fail("IndentationError: unexpected indent", file, line, column)
                if value in BLOCK_WORDS:
                    block_opener = tok
            if kind in OPEN:
                if len(brackets) >= MAX_BRACKETS:
                    fail("SyntaxError: too many nested parentheses", file, line, column)
                brackets.append(tok)
            elif kind in CLOSE:
                self._close(tok)
            if end > watch_at:  # a very long line: watch how deep its expressions nest
                if nesting is None:
                    nesting = self._watch(text, logical_start, logical_line, tok.start_pos)
                nesting.see(kind, value, tok.line, tok.column)
            last = tok
            self.previous = self.last
            self.last = tok
            yield tok
        if brackets:
            return  # the parser reports the unclosed bracket at the end of input
        if last is not None:  # no newline at the very end (the parser adds one; be safe)
            yield Tok("_NEWLINE", "\n", line, pos - line_pos + 1, line + 1, 1, pos, pos)
        while len(levels) > 1:
            levels.pop()
            yield Tok("_DEDENT", "", line, 1, line, 1, pos, pos)

    def _watch(self, text: str, start: int, line: int, stop: int) -> Nesting:
        """A Nesting that has seen the tokens of ``text[start:stop]`` (from ``line``), lexed once."""
        nesting = Nesting(self.file)
        by_first, keywords, ignore = self.by_first, self.keywords, self.ignore
        line_pos = start
        pos = start
        while pos < stop:
            m = by_first[text[pos]](text, pos)
            kind, end = m.lastgroup, m.end()
            value = text[pos:end]
            if kind not in ignore and kind != "_NEWLINE":
                if kind == "NAME":
                    kind = keywords.get(value, "NAME")
                nesting.see(kind, value, line, pos - line_pos + 1)
            if "\n" in value:
                line += value.count("\n")
                line_pos = text.rindex("\n", 0, end) + 1
            pos = end
        return nesting

    def _indentation(self, indent: str, levels: list, opener, line: int, nl: Tok):
        col = alt = 0
        for ch in indent:
            if ch == "\t":
                col = (col // 8 + 1) * 8
                alt += 1
            elif ch == " ":
                col += 1
                alt += 1
            else:  # a form feed resets the count, as in CPython
                col = alt = 0
        column = len(indent) + 1
        file = self.file
        top_col, top_alt = levels[-1]
        if col > top_col:
            if alt <= top_alt:
                fail("TabError: inconsistent use of tabs and spaces in indentation", file, line, column)
            if len(levels) > MAX_INDENT:
                fail("IndentationError: too many levels of indentation", file, line, column)
            levels.append((col, alt))
            yield Tok("_INDENT", indent, line, column, line, column, nl.end_pos, nl.end_pos)
            return
        if opener is not None:
            fail(_expected_block(opener), file, line, column)
        while col < levels[-1][0]:
            levels.pop()
            yield Tok("_DEDENT", indent, line, column, line, column, nl.end_pos, nl.end_pos)
        if col != levels[-1][0]:
            fail("IndentationError: unindent does not match any outer indentation level", file, line, column)
        if alt != levels[-1][1]:
            fail("TabError: inconsistent use of tabs and spaces in indentation", file, line, column)

    def _close(self, tok: Tok) -> None:
        if not self.brackets:
            fail(f"SyntaxError: unmatched '{tok.value}'", self.file, tok.line, tok.column)
        opened = self.brackets.pop()
        if OPEN[opened.type] != tok.value:
            where = f" on line {opened.line}" if opened.line != tok.line else ""
            fail(f"SyntaxError: closing parenthesis '{tok.value}' does not match "
                 f"opening parenthesis '{opened.value}'{where}", self.file, tok.line, tok.column)


class _Dispatch(dict):
    """First character -> the ``match`` of a regex of only the alternatives that can
    start with it, compiled on first use.

    Same alternatives, same order as the master regex, so the same token wins; a
    character outside ASCII (or one no alternative starts with) uses the master.
    Trying one alternation of 70 branches at every position costs more than all the
    rest of lexing; compiling all ~95 regexes up front cost a third of start-up's
    parser build, while a short program meets only a few dozen characters.
    """

    def __init__(self, alternatives: list[str], firsts: list[str | None]) -> None:
        super().__init__()
        self.alternatives = alternatives
        self.firsts = firsts
        self.master = None
        self.by_choice: dict[str, object] = {}  # characters with the same alternatives share one regex

    def __missing__(self, ch: str):
        chosen = [alt for alt, first in zip(self.alternatives, self.firsts)
                  if first is None or ch in first] if ch < "\x80" else []
        if chosen:
            pattern = "|".join(chosen)
            match = self.by_choice.get(pattern)
            if match is None:
                match = self.by_choice[pattern] = re.compile(pattern).match
        else:
            if self.master is None:
                self.master = re.compile("|".join(self.alternatives)).match
            match = self.master
        self[ch] = match
        return match


_ASCII = [chr(c) for c in range(128)]
_CATEGORIES = {
    "CATEGORY_DIGIT": str.isdigit, "CATEGORY_SPACE": str.isspace,
    "CATEGORY_WORD": lambda c: c.isalnum() or c == "_",
}


def _first_chars(pattern: str) -> set[str] | None:
    """The ASCII characters a match of ``pattern`` can start with; None if it may be any."""
    from re import _parser

    try:
        first, nullable = _sequence_first(_parser.parse(pattern))
    except Exception:  # an unfamiliar construct: assume anything
        return None
    return None if first is None or nullable else first


def _sequence_first(items):
    out: set[str] = set()
    for op, av in items:
        first, nullable = _item_first(str(op), av)
        if first is None:
            return None, True
        out |= first
        if not nullable:
            return out, False
    return out, True


def _item_first(op: str, av):
    if op == "LITERAL":
        return {chr(av)}, False
    if op == "NOT_LITERAL":
        return {c for c in _ASCII if c != chr(av)}, False
    if op == "IN":
        return _class_first(av), False
    if op == "ANY":
        return set(_ASCII), False
    if op == "SUBPATTERN":
        return _sequence_first(av[-1])
    if op == "BRANCH":
        out, nullable = set(), False
        for branch in av[1]:
            first, empty = _sequence_first(branch)
            if first is None:
                return None, True
            out |= first
            nullable = nullable or empty
        return out, nullable
    if op in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
        low, _high, inner = av
        first, nullable = _sequence_first(inner)
        return first, nullable or low == 0
    if op in ("ASSERT", "ASSERT_NOT", "AT"):
        return set(), True
    return None, True


def _class_first(items) -> set[str]:
    chars: set[str] = set()
    negate = False
    for op, av in items:
        op = str(op)
        if op == "NEGATE":
            negate = True
        elif op == "LITERAL":
            chars.add(chr(av))
        elif op == "RANGE":
            chars |= {chr(c) for c in range(av[0], min(av[1], 127) + 1)}
        elif op == "CATEGORY":
            name = str(av)
            positive = name.replace("NOT_", "")
            test = _CATEGORIES.get(positive)
            if test is None:
                raise ValueError(name)
            members = {c for c in _ASCII if test(c)}
            chars |= (set(_ASCII) - members) if "NOT_" in name else members
        else:
            raise ValueError(op)
    return (set(_ASCII) - chars) if negate else chars


def _expected_block(opener: Tok) -> str:
    what = "function definition" if opener.value == "def" else f"'{opener.value}' statement"
    return f"IndentationError: expected an indented block after {what} on line {opener.line}"
