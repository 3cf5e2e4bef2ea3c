"""Issue 7's hostile inputs, through the real ``gradcli`` command: exit code and message.

Each program is a file of bytes; the command must end with the documented exit code and
its first line on standard error must be the documented message (never a traceback).
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
import tracemalloc

import pytest

from fuzz.oracle import GRADCLI
from gradcli.errors import SourceError

TEN_MB = 10_000_000

# (name, program bytes, extra options, exit code, first line of stderr as a regex; for exit 0, stdout)
CASES = [
    ("invalid UTF-8", b"x = 1\ny = '\xff\xfe'\n", [], 1,
     r"p\.py:2:6: error: SyntaxError: Non-UTF-8 code starting with '\\xff' on line 2, but no encoding "
     r"declared \(gradcli reads programs as UTF-8\)"),
    ("binary junk", bytes(range(256)) * 40, [], 1,
     r"p\.py:2:118: error: SyntaxError: Non-UTF-8 code starting with '\\x80' on line 2"),
    ("a NUL byte", b"x = 1\x00\n", [], 1, r"p\.py:1:6: error: SyntaxError: source code cannot contain null bytes"),
    ("a BOM", b"\xef\xbb\xbfimport torch\nprint(torch.ones(2))\n", [], 0, "tensor([1., 1.])\n"),
    ("a BOM does not shift columns", b"\xef\xbb\xbfx = = 1\n", [], 1,
     r"p\.py:1:5: error: SyntaxError: invalid syntax: unexpected '=' \(expected an expression\)"),
    ("a 10 MB line that is valid", b"x = 1  #" + b"a" * TEN_MB + b"\nprint(x)\n", [], 0, "1\n"),
    ("a 10 MB string", b"x = '" + b"a" * TEN_MB + b"'\nprint(len(x))\n", [], 0, "10000000\n"),
    # refused at the operator past 3,000 (CPython: RecursionError past 2,992), not after the 10 MB
    ("a 10 MB chain of +", b"x = 1" + b" + 1" * (TEN_MB // 4) + b"\n", [], 1,
     r"p\.py:1:12007: error: SyntaxError: too many nested expressions"),
    ("a 10 MB chain of .a", b"a = 1\nx = a" + b".a" * (TEN_MB // 2) + b"\n", [], 1,
     r"p\.py:2:6006: error: SyntaxError: too many nested expressions"),
    ("a 10 MB chain of calls", b"f = lambda: f\nx = f" + b"()" * (TEN_MB // 2) + b"\n", [], 1,
     r"p\.py:2:6006: error: SyntaxError: too many nested expressions"),
    ("a 10 MB chain of **", b"x = 1" + b" ** 1" * (TEN_MB // 5) + b"\n", [], 1,
     r"p\.py:1:15007: error: SyntaxError: too many nested expressions"),
    ("1 MB of not", b"x = " + b"not " * 250_000 + b"1\n", [], 1,
     r"p\.py:1:47993: error: SyntaxError: too many nested expressions"),
    ("100,000 nested lambdas", b"f = " + b"lambda: " * 100_000 + b"1\n", [], 1,
     r"p\.py:1:47995: error: SyntaxError: too many nested expressions"),
    ("100,000 nested conditional expressions", b"x = " + b"1 if 1 else " * 100_000 + b"1\n", [], 1,
     r"p\.py:1:35995: error: SyntaxError: too many nested expressions"),
    ("10,000 nested parentheses", b"x = " + b"(" * 10_000 + b"1" + b")" * 10_000 + b"\n", [], 1,
     r"p\.py:1:205: error: SyntaxError: too many nested parentheses"),
    ("20,000 unary minus signs", b"x = " + b"-" * 20_000 + b"1\n", [], 1,
     r"p\.py:1:12002: error: SyntaxError: too many nested expressions"),
    ("10,000 nested blocks", b"".join(b" " * i + b"if True:\n" for i in range(10_000)) + b" " * 10_000 + b"pass\n",
     [], 1, r"p\.py:102:102: error: IndentationError: too many levels of indentation"),
    ("10,000 elif branches", b"x = 1\nif x == 0:\n    pass\n" + b"elif x:\n    pass\n" * 10_000, [], 1,
     r"p\.py:6004:1: error: SyntaxError: too many nested expressions"),  # the 3,001st (CPython: ~2,990)
    ("100,000 nested brackets of mixed kinds", b"x = " + b"([{" * 33_334 + b"\n", [], 1,
     r"p\.py:1:205: error: SyntaxError: too many nested parentheses"),
    ("100,000 nested subscripts", b"a = [0]\nx = " + b"a[" * 100_000 + b"0" + b"]" * 100_000 + b"\n", [], 1,
     r"p\.py:2:406: error: SyntaxError: too many nested parentheses"),
    ("a 10 MB line of (", b"(" * TEN_MB, [], 1, r"p\.py:1:201: error: SyntaxError: too many nested parentheses"),
    ("a 10 MB string with 1M escapes", b"x = '" + b"\\n" * 1_000_000 + b"a" * 8_000_000 + b"'\nprint(len(x))\n",
     [], 0, "9000000\n"),
    ("10 MB of blank lines", b"\n" * TEN_MB + b"print(1)\n", [], 0, "1\n"),
    ("10 MB of ;", b";" * TEN_MB, [], 1, r"p\.py:1:1: error: SyntaxError: invalid syntax: unexpected ';'"),
    ("a file of only a BOM", b"\xef\xbb\xbf", [], 0, ""),
    ("CRLF line endings", b"x = 1\r\nif x:\r\n    print(x)\r\n", [], 0, "1\n"),
    ("lone CR line endings", b"x = 1\rif x:\r    print(x)\r", [], 0, "1\n"),
    ("form feeds reset the indentation", b"\x0cx = 1\n\x0c\nif x:\n\x0c    print(x)\n", [], 0, "1\n"),
    ("a form feed then an indent", b"\x0c x = 1\n", [], 1, r"p\.py:1:3: error: IndentationError: unexpected indent"),
    ("a line continuation at the end", b"x = 1 \\\n", [], 1,
     r"p\.py:1:8: error: SyntaxError: unexpected EOF while parsing"),
    ("only line continuations", b"\\\n" * 500_000, [], 1,
     r"p\.py:500000:2: error: SyntaxError: unexpected EOF while parsing"),
    ("unbalanced indentation", b"if True:\n    x = 1\n  y = 2\n", [], 1,
     r"p\.py:3:3: error: IndentationError: unindent does not match any outer indentation level"),
    ("an unexpected indent", b"x = 1\n    y = 2\n", [], 1, r"p\.py:2:5: error: IndentationError: unexpected indent"),
    ("tabs mixed with spaces", b"if True:\n    x = 1\n\ty = 2\n", [], 1,
     r"p\.py:3:2: error: TabError: inconsistent use of tabs and spaces in indentation"),
    ("--max-steps", b"n = 0\nwhile True:\n    n += 1\n", ["--max-steps", "1000"], 1,
     r"p\.py:2:1: error: step limit of 1000 exceeded \(raise it with --max-steps\)"),
    ("--max-steps counts calls", b"def f():\n    return 1\nn = 0\nwhile n < 100:\n    n += f()\n",
     ["--max-steps", "50"], 1, r"p\.py:\d+:\d+: error: step limit of 50 exceeded \(raise it with --max-steps\)"),
    ("--max-steps bounds a long range", b"x = sum(range(10**12))\n", [], 1,
     r"p\.py:1:9: error: step limit of 10000000 exceeded: range\(0, 1000000000000\) has 1,000,000,000,000 items "
     r"\(raise it with --max-steps\)"),
    ("--max-elements", b"import torch\nx = torch.ones(2000)\n", ["--max-elements", "1000"], 1,
     r"p\.py:2:5: error: MemoryError: a tensor of shape \[2000\] would hold 2,000 elements \(8\.0 KB\), more than "
     r"the limit of 1,000 \(raise it with --max-elements\)"),
    ("--max-elements by default", b"import torch\nx = torch.ones(100000, 100000)\n", [], 1,
     r"p\.py:2:5: error: MemoryError: a tensor of shape \[100000, 100000\] would hold 10,000,000,000 elements "
     r"\(40\.0 GB\), more than the limit of 1,000,000,000 \(raise it with --max-elements\)"),
    ("--timeout", b"n = 0\nwhile True:\n    n += 1\n", ["--timeout", "0.5"], 1,
     r"p\.py:\d+:\d+: error: TimeoutError: gave up after --timeout 0\.5 seconds"),
    ("the recursion limit", b"def f(n):\n    return f(n + 1)\nf(0)\n", [], 1,
     r"p\.py:1:1: error: recursion deeper than 200 calls \(the program's functions call themselves too deeply\)"),
]


@pytest.mark.parametrize("name,program,options,code,expected", CASES, ids=[c[0] for c in CASES])
def test_hostile_program_ends_with_its_documented_exit_and_message(tmp_path, name, program, options, code,
                                                                 expected):
    path = tmp_path / "p.py"
    path.write_bytes(program)
    p = subprocess.run([GRADCLI, "run", str(path), *options], capture_output=True, timeout=120,
                       stdin=subprocess.DEVNULL, cwd=tmp_path)
    err = p.stderr.decode("utf-8", "replace")
    assert "Traceback" not in err
    assert p.returncode == code, err[:500]
    if code == 0:
        assert p.stdout.decode() == expected and err == ""
    else:
        first = err.split("\n", 1)[0]
        assert re.fullmatch(expected + r".*", first.replace(str(tmp_path) + "/", "")), first[:300]


def test_ctrl_c_exits_130_and_says_nothing(tmp_path):
    path = tmp_path / "p.py"
    path.write_text("import torch\nx = torch.ones(3)\nwhile True:\n    x = x + 1\n")
    p = subprocess.Popen([GRADCLI, "run", str(path), "--max-steps", "1000000000"],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL)
    time.sleep(2.0)
    p.send_signal(signal.SIGINT)
    out, err = p.communicate(timeout=30)
    assert (p.returncode, out, err) == (130, b"", b"")


def test_output_into_a_closed_pipe_ends_quietly_with_exit_0(tmp_path):
    path = tmp_path / "p.py"
    path.write_text("for i in range(1000000):\n    print(i)\n")
    p = subprocess.Popen([GRADCLI, "run", str(path)], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         stdin=subprocess.DEVNULL)
    assert p.stdout.readline() == b"0\n"
    p.stdout.close()  # the reader goes away, as `| head -1` does
    err = p.stderr.read()
    assert (p.wait(timeout=60), err) == (0, b"")


@pytest.mark.parametrize("quote", [b"'", b'"""', b""])
def test_a_long_string_literal_takes_memory_in_proportion(monkeypatch, quote):
    # the string terminals once kept state per character in the regex engine: 4.5 GB for 10 MB
    # (they still keep some per backslash escape: about 140 bytes each)
    from gradcli.syntax import parser
    monkeypatch.setattr(parser, "cache_dir", lambda: None)
    tracemalloc.start()
    try:
        if quote:
            module = parser.parse(b"x = " + quote + b"a\\'" + b"a" * TEN_MB + quote + b"\n", "p.py")
            assert len(module.body[0].value.value) == TEN_MB + 2
        else:  # digits: a number literal that long is refused, after a cheap match
            with pytest.raises(SourceError, match="integer literal too long"):
                parser.parse(b"x = " + b"9" * TEN_MB + b"\n", "p.py")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 12 * TEN_MB


@pytest.mark.parametrize("unit", [b"\n", b"   \n", b"# a comment\n", b"\t\x0c \n"])
def test_blank_and_comment_lines_take_memory_in_proportion(monkeypatch, unit):
    # one _NEWLINE token spans them all; the regex engine once kept state per line: 2 GB for 10 MB
    from gradcli.syntax import parser
    monkeypatch.setattr(parser, "cache_dir", lambda: None)
    source = unit * (2_000_000 // len(unit)) + b"x = 1\n"
    tracemalloc.start()
    try:
        module = parser.parse(source, "p.py")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert module.body[0].pos[1] == source.count(b"\n")
    assert peak < 4 * len(source)


def _cpython_compiles(source: str) -> bool:
    # in a fresh interpreter: CPython's compiler counts its depth from the caller's stack depth
    p = subprocess.run([sys.executable, "-c", "import sys; compile(sys.stdin.read(), 'p.py', 'exec')"],
                       input=source.encode(), capture_output=True, timeout=60)
    assert p.returncode == 0 or p.stderr.splitlines()[-1].split(b":")[0] in (b"RecursionError", b"MemoryError")
    return p.returncode == 0


def _chain(op: str, n: int) -> str:
    return "x = 1" + f" {op} 1" * n + "\n"


@pytest.mark.parametrize("op", ["+", "*", "|", "<<", "@"])  # (CPython's parser refuses ** sooner)
def test_an_operator_chain_is_refused_where_cpython_refuses_it(op):
    # CPython compiles 2,990 levels and refuses 3,001 (RecursionError); we refuse at the 3,001st operator
    from gradcli.syntax import parser
    assert _cpython_compiles(_chain(op, 2990)) and not _cpython_compiles(_chain(op, 3001))
    assert parser.parse(_chain(op, 2990), "p.py").body
    with pytest.raises(SourceError, match="^SyntaxError: too many nested expressions$") as e:
        parser.parse(_chain(op, 3001), "p.py")
    assert (e.value.span.line, e.value.span.column) == (1, 5 + (3 + len(op)) * 3000 + 2)


@pytest.mark.parametrize("source", [
    "x = 1" + " and 1" * 20_000 + "\n",  # one BoolOp
    "x = 1" + " < 1" * 20_000 + "\n",  # one Compare
    "x = 1" + " + 1 < 1" * 10_000 + "\n",  # many short sums
    "x = [" + "1 + 1, " * 20_000 + "]\n",  # commas end the chains
    "x = 1" + " + 1 * 1" * 2_900 + "\n",  # a 2,900-deep sum of products
    "x = 1" + " + (1" * 150 + ")" * 150 + " + 1" * 2_800 + "\n",  # brackets: their own chains
    "x = a" + ".b(1)[0]" * 900 + "\n",  # 2,700 trailers
    "f(" + "x + 1 if x else x - 1, " * 3_000 + ")\n",
    "x = " + "lambda: 1 + 1 if 1 else " * 1_000 + "1\n",
])
def test_long_lines_that_cpython_compiles_parse(source):
    from gradcli.syntax import parser
    assert _cpython_compiles(source)
    assert parser.parse(source, "p.py").body


def test_a_memory_error_while_parsing_is_one_line_at_exit_1(tmp_path, monkeypatch):
    from gradcli.syntax import builder, parser

    def out_of_memory(tok, file):
        raise MemoryError

    monkeypatch.setattr(parser, "cache_dir", lambda: None)
    monkeypatch.setattr(builder, "_number", out_of_memory)  # (the driver holds the methods)
    with pytest.raises(SourceError, match=r"^MemoryError: out of memory while parsing \(12 bytes\)$") as e:
        parser.parse(b"x = 1\ny = 2\n", "p.py")
    assert (e.value.span.line, e.value.span.column) == (1, 5)
    assert parser.parse(b"x = y\n", "p.py").body  # the parser is still usable
    # and through the command's error boundary (the same patch, in a child process)
    (tmp_path / "p.py").write_bytes(b"x = 1\n")
    patch = ("import sys; from gradcli.syntax import builder\n"
             "def number(tok, file): raise MemoryError\n"
             "builder._number = number\n"
             "from gradcli.cli.app import main; sys.argv[0] = 'gradcli'; main()\n")
    p = subprocess.run([sys.executable, "-c", patch, "run", "p.py"], capture_output=True, timeout=60,
                       stdin=subprocess.DEVNULL, cwd=tmp_path, env={**os.environ, "XDG_CACHE_HOME": str(tmp_path)})
    err = p.stderr.decode()
    assert p.returncode == 1 and "Traceback" not in err
    assert err.splitlines()[0] == "p.py:1:5: error: MemoryError: out of memory while parsing (6 bytes)"


def test_fstring_fields_on_a_long_line_are_lexed_once(monkeypatch):
    # each field was padded to its column and lexed again: quadratic (80,000 fields on a line: 5 minutes)
    from gradcli.syntax import parser
    from gradcli.syntax.lexer import GradLexer
    monkeypatch.setattr(parser, "cache_dir", lambda: None)
    parser.prepare()
    lexed = []
    real = GradLexer.lex
    monkeypatch.setattr(GradLexer, "lex", lambda self, text, *at: lexed.append(len(text)) or real(self, text, *at))
    source = "x = 1\ny = [" + "f'{x + 1:>{x}}', " * 2_000 + "]\nz = f'''\n{x}'''\n"
    module = parser.parse(source, "p.py")
    assert sum(lexed) < 3 * len(source)
    first, last = module.body[1].value.elts[0], module.body[1].value.elts[-1]
    assert first.values[0].value.pos[1:3] == (2, 9) and last.values[0].value.pos[1:3] == (2, 9 + 17 * 1_999)
    assert module.body[2].value.values[1].value.pos[1:3] == (4, 2)


def test_an_error_on_a_long_line_shows_a_window_and_a_caret_as_wide_as_the_name(tmp_path):
    # a generated program's long line is shown as 200 characters around the error; the caret
    # under it is as wide as the span, not as the distance from the window's start
    name = "undefined_name_here"
    program = tmp_path / "p.py"
    program.write_text("y = " + "1 + " * 1000 + name + " + 2\n")
    p = subprocess.run([GRADCLI, "run", str(program)], capture_output=True, text=True, timeout=60)
    head, shown, caret = p.stderr.splitlines()[:3]
    assert head.endswith(f"p.py:1:4005: error: NameError: name '{name}' is not defined")
    assert shown.startswith("...") and len(shown) <= 206
    assert caret.strip() == "^" + "~" * (len(name) - 1)
    assert shown[caret.index("^"):].startswith(name)
