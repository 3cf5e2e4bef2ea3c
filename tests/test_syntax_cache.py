"""The cache of parsed programs: a hit is the same AST, a bad entry or an unsafe directory is a miss."""

from __future__ import annotations

import hashlib
import os
import pickle
import subprocess
import sys
from pathlib import Path

import pytest

from gradcli.syntax import ast, cache, parse, parser

PROGRAM = """import torch
x = torch.tensor([1.0, 2.0], requires_grad=True)
def f(a, *rest, scale=2j, **kw):
    return [v * scale for v in rest if v is not ...]
y = (x ** 2).sum() if x.shape[0] > 1 else -x[...].sum()
print(f"{y.item()!r:>10} and {x=}")
y.backward()
try:
    y.backward()
except (RuntimeError, KeyError) as e:
    raise ValueError(str(e)) from None
except:
    raise
else:
    pass
finally:
    print("done")
"""


def dump(node):
    """A node as nested tuples of its class and every field, positions included."""
    if isinstance(node, ast.Node):
        return (type(node).__name__,) + tuple(dump(getattr(node, name)) for name in ast.field_names(type(node)))
    if isinstance(node, list):
        return [dump(v) for v in node]
    return node


@pytest.fixture
def home(tmp_path, monkeypatch):
    """A private cache home; every program is worth caching."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.delenv("GRADCLI_NO_CACHE", raising=False)
    monkeypatch.setattr(cache, "MIN_CHARS", 0)
    return tmp_path / "gradcli"


def entries(directory: Path) -> list[Path]:
    return sorted(directory.glob("ast-*.pickle")) if directory.exists() else []


def parse_without_parser(monkeypatch, text, filename="p.py"):
    """Parse, failing the test if the text is parsed rather than read from the cache."""
    with monkeypatch.context() as m:
        m.setattr(parser, "_parse_text", lambda *a: pytest.fail("parsed instead of loaded from the cache"))
        return parse(text, filename)


def test_a_hit_returns_an_equal_ast_with_its_spans(home, monkeypatch):
    first = parse(PROGRAM, "p.py")
    assert len(entries(home)) == 1
    assert os.stat(home).st_mode & 0o777 == 0o700
    second = parse_without_parser(monkeypatch, PROGRAM)
    assert dump(second) == dump(first)
    assert second.source == PROGRAM
    assert second.body[3].span == first.body[3].span


def test_the_file_name_and_the_text_are_part_of_the_key(home):
    parse(PROGRAM, "p.py")
    parse(PROGRAM, "q.py")
    parse(PROGRAM + "z = 1\n", "p.py")
    assert len(entries(home)) == 3
    assert parse(PROGRAM, "q.py").pos[0] == "q.py"


@pytest.mark.parametrize("damage", ["flip", "truncate", "empty", "other key", "evil pickle"])
def test_a_damaged_entry_is_ignored_and_rewritten(home, monkeypatch, damage):
    expected = dump(parse(PROGRAM, "p.py"))
    [entry] = entries(home)
    data = entry.read_bytes()
    payload_start = data.index(b"\n", len(b"gradcli-ast 1\n")) + 66  # after the key and the digest
    if damage == "flip":
        data = data[:-20] + bytes([data[-20] ^ 0xFF]) + data[-19:]
    elif damage == "truncate":
        data = data[:len(data) // 2]
    elif damage == "empty":
        data = b""
    elif damage == "other key":
        data = data.replace(data[14:30], b"0" * 16, 1)
    else:  # a valid header and digest around a pickle that would run a command
        payload = pickle.dumps(_Evil())
        data = data[:payload_start - 65] + hashlib.sha256(payload).hexdigest().encode() + b"\n" + payload
    entry.write_bytes(data)
    assert dump(parse(PROGRAM, "p.py")) == expected
    assert dump(parse_without_parser(monkeypatch, PROGRAM)) == expected  # rewritten


class _Evil:
    def __reduce__(self):
        return (os.system, ("echo pwned > /dev/null",))


def test_a_group_writable_directory_is_not_used(home):
    home.mkdir(mode=0o770)
    os.chmod(home, 0o770)
    assert cache.cache_dir() is None
    assert dump(parse(PROGRAM, "p.py")) == dump(parse(PROGRAM, "p.py"))
    assert entries(home) == []


def test_no_cache_when_disabled(home, monkeypatch):
    monkeypatch.setenv("GRADCLI_NO_CACHE", "1")
    parse(PROGRAM, "p.py")
    assert not home.exists()


def test_an_unusable_cache_home_is_harmless(tmp_path, monkeypatch):
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    monkeypatch.setattr(cache, "MIN_CHARS", 0)
    assert isinstance(parse(PROGRAM, "p.py"), ast.Module)


def test_an_unwritable_directory_is_harmless(home, monkeypatch):
    real_open = os.open

    def refuse(path, flags, *args):  # (the tests run as root, for whom chmod does not refuse)
        if flags & os.O_CREAT:
            raise PermissionError("read-only file system")
        return real_open(path, flags, *args)
    monkeypatch.setattr(os, "open", refuse)
    assert isinstance(parse(PROGRAM, "p.py"), ast.Module)
    assert entries(home) == []


def test_a_failed_write_leaves_nothing_behind(home, monkeypatch):
    def full(*args):
        raise OSError(28, "No space left on device")
    monkeypatch.setattr(os, "replace", full)
    assert isinstance(parse(PROGRAM, "p.py"), ast.Module)
    assert entries(home) == [] and list(home.glob(".tmp-*")) == []


def test_entries_are_private_files(home):
    parse(PROGRAM, "p.py")
    (entry,) = entries(home)
    assert entry.stat().st_mode & 0o777 == 0o600


def test_old_entries_are_evicted(home, monkeypatch):
    monkeypatch.setattr(cache, "MAX_ENTRIES", 2)
    written = []
    for i in range(4):
        before = set(entries(home))
        parse(PROGRAM + f"z = {i}\n", "p.py")
        [new] = set(entries(home)) - before
        os.utime(new, (1000 + i, 1000 + i))  # mtimes in order, whatever the clock's resolution
        written.append(new)
    assert entries(home) == sorted(written[2:])
    parse_without_parser(monkeypatch, PROGRAM + "z = 3\n")


def test_short_programs_are_cached_only_as_a_process_first_parse(home, monkeypatch):
    monkeypatch.setattr(cache, "MIN_CHARS", 10_000)
    parser.prepare()  # set up: a short parse now costs less than reading an entry
    parse(PROGRAM, "p.py")
    assert entries(home) == []
    monkeypatch.setattr(parser, "_READY", False)  # as in a new process: the entry saves the set-up
    parse(PROGRAM, "p.py")
    assert len(entries(home)) == 1


def test_a_short_program_run_again_skips_the_parser_set_up(tmp_path):
    code = ("import sys\nfrom gradcli.syntax import parse, parser\n"
            "m = parse('x = 1\\ny = x + 2\\n', 'p.py')\n"
            "print(type(m.body[1]).__name__, parser._READY)")
    env = dict(os.environ, XDG_CACHE_HOME=str(tmp_path))
    env.pop("GRADCLI_NO_CACHE", None)
    runs = [subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                           check=True).stdout.strip() for _ in range(2)]
    assert runs == ["Assign True", "Assign False"]  # parsed (tables set up), then loaded


def _parse_in_fresh_process(cache_home: Path, text: str) -> str:
    import subprocess
    import sys
    code = ("import sys\nfrom gradcli.syntax import parse\n"
            f"m = parse({text!r}, 'p.py')\n"
            "print(type(m.body[0]).__name__, 'lark' in sys.modules)")
    env = dict(os.environ, XDG_CACHE_HOME=str(cache_home))
    env.pop("GRADCLI_NO_CACHE", None)
    return subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                          check=True).stdout.strip()


def test_the_parse_tables_are_cached_so_a_later_run_does_not_import_lark(tmp_path):
    assert _parse_in_fresh_process(tmp_path, "x = 1\n") == "Assign True"  # builds Lark, writes the tables
    assert len(list((tmp_path / "gradcli").glob("tables-*.marshal"))) == 1
    assert _parse_in_fresh_process(tmp_path, "y = 2\n") == "Assign False"


@pytest.mark.parametrize("damage", ["flip", "truncate", "empty"])
def test_damaged_parse_tables_are_ignored_and_rewritten(tmp_path, damage):
    _parse_in_fresh_process(tmp_path, "x = 1\n")
    (tables,) = (tmp_path / "gradcli").glob("tables-*.marshal")
    data = tables.read_bytes()
    tables.write_bytes({"flip": data[:-9] + bytes([data[-9] ^ 1]) + data[-8:],
                        "truncate": data[: len(data) // 2], "empty": b""}[damage])
    assert _parse_in_fresh_process(tmp_path, "x = (1,\n 2)\n") == "Assign True"
    assert _parse_in_fresh_process(tmp_path, "x = 2\n") == "Assign False"  # a new text: parsed, tables read
