"""A per-user cache of parsed programs, so running the same long file again skips the parse.

An entry is the pickled AST of one (file name, text) pair, keyed by a hash of that
text, the file name (spans carry it), Python's version and a fingerprint of the
grammar and of this package's files (name, size, modification time: a changed parser
never reads an old AST).
Entries live only in the user's private cache directory (``cache_dir``), are
written atomically, and are read with an unpickler that can build nothing but AST
nodes. Anything wrong with an entry (corrupt, truncated, stale, unreadable) makes
it a miss; a cache that cannot be written is simply not used.
``GRADCLI_NO_CACHE=1`` turns caching off, the grammar tables' cache included.
"""

from __future__ import annotations

import io
import os
import pickle
import stat
import sys

from gradcli import __version__
from gradcli.syntax import ast

MIN_CHARS = 8192  # shorter programs are cached only when they are a process's first parse,
# whose cost is mostly the parser's set-up (its tables and the lexer's regexes, ~15 ms)
MAX_ENTRIES = 64
MAX_BYTES = 256 * 1024 * 1024
_MAGIC = b"gradcli-ast 1\n"
_PREFIX = "ast-"
_SUFFIX = ".pickle"
_ALLOWED = {("builtins", "complex"), ("builtins", "Ellipsis")}
_fingerprint: bytes | None = None

# SHA-256 from CPython's built-in module when there is one: ``hashlib`` loads OpenSSL first,
# ~3 ms of every start-up, for the same digest (3.11 names the module _sha256, 3.12+ _sha2)
try:
    from _sha256 import sha256
except ImportError:
    try:
        from _sha2 import sha256
    except ImportError:
        from hashlib import sha256


def enabled() -> bool:
    return os.environ.get("GRADCLI_NO_CACHE", "") in ("", "0")


def cache_dir() -> str | None:
    """A private per-user cache directory (mode 0700), or None if we cannot have one safely.
    (Paths are strings here: pathlib's import costs a small run several milliseconds.)"""
    if not enabled():
        return None
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    path = os.path.join(base, "gradcli")
    try:
        os.makedirs(path, mode=0o700, exist_ok=True)
        info = os.stat(path, follow_symlinks=False)
    except OSError:
        return None
    if not stat.S_ISDIR(info.st_mode):
        return None
    if hasattr(os, "getuid") and info.st_uid != os.getuid():
        return None
    if info.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
        return None
    return path


def key(text: str, filename: str, grammar) -> str:
    """The entry's name; ``grammar()`` returns the grammar's text (read once per process)."""
    digest = sha256(_code_fingerprint(grammar))
    digest.update(filename.encode("utf-8", "surrogatepass") + b"\0")
    digest.update(text.encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


def load(directory: str, entry_key: str) -> ast.Module | None:
    """The cached AST for ``entry_key``, or None on a miss of any kind."""
    path = os.path.join(directory, f"{_PREFIX}{entry_key[:40]}{_SUFFIX}")
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    except OSError:
        return None
    try:
        with os.fdopen(fd, "rb") as f:
            info = os.fstat(f.fileno())
            if not stat.S_ISREG(info.st_mode) or (hasattr(os, "getuid") and info.st_uid != os.getuid()):
                return None
            data = f.read()
        header = _MAGIC + entry_key.encode() + b"\n"
        if not data.startswith(header):
            return None
        digest_end = len(header) + 64
        payload = memoryview(data)[digest_end + 1:]
        if data[len(header):digest_end] != sha256(payload).hexdigest().encode():
            return None
        module = _ASTUnpickler(io.BytesIO(payload)).load()
        if type(module) is not ast.Module:
            return None
        os.utime(path)  # recently used: evicted last
        return module
    except Exception:  # a damaged entry is a miss, never an error
        return None


def store(directory: str, entry_key: str, module: ast.Module) -> None:
    """Write the entry atomically (temp file, then rename); give up quietly on any failure."""
    source, module.source = module.source, ""  # the text is the key; no need to keep it twice
    try:
        payload = pickle.dumps(module, protocol=pickle.HIGHEST_PROTOCOL)
    except Exception:  # e.g. RecursionError on a very deep AST: parse it each time
        return
    finally:
        module.source = source
    data = b"".join([_MAGIC, entry_key.encode(), b"\n", sha256(payload).hexdigest().encode(),
                     b"\n", payload])
    if write_atomically(os.path.join(directory, f"{_PREFIX}{entry_key[:40]}{_SUFFIX}"), data):
        _evict(directory)


def write_atomically(path: str, data: bytes) -> bool:
    """Write ``data`` to ``path`` all at once: a new private file beside it (created
    exclusively, mode 0600, never through a symlink), then a rename, so no reader sees
    half an entry. False, and nothing left behind, on any failure. (What tempfile.mkstemp
    does, without its import: a sixth of a first run's start-up.)"""
    temp = os.path.join(os.path.dirname(path), f".tmp-{os.getpid()}-{os.urandom(8).hex()}")
    try:
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o600)
    except OSError:
        return False
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(temp, path)
        return True
    except OSError:
        try:
            os.unlink(temp)
        except OSError:
            pass
        return False


def _evict(directory: str) -> None:
    """Remove the least recently used entries beyond MAX_ENTRIES or MAX_BYTES."""
    try:
        entries = []
        with os.scandir(directory) as it:
            for e in it:
                if e.name.startswith(_PREFIX) and e.name.endswith(_SUFFIX) and e.is_file(follow_symlinks=False):
                    info = e.stat(follow_symlinks=False)
                    entries.append((info.st_mtime, info.st_size, e.path))
    except OSError:
        return
    entries.sort(reverse=True)
    total = 0
    for i, (_mtime, size, path) in enumerate(entries):
        total += size
        if i >= MAX_ENTRIES or total > MAX_BYTES:
            try:
                os.unlink(path)
            except OSError:
                pass


class _ASTUnpickler(pickle.Unpickler):
    """Builds AST nodes and plain values only: no other class or function can be named."""

    def find_class(self, module, name):
        if module == ast.__name__:
            cls = getattr(ast, name, None)
            if isinstance(cls, type) and issubclass(cls, ast.Node):
                return cls
        elif (module, name) in _ALLOWED:
            return super().find_class(module, name)
        raise pickle.UnpicklingError(f"not an AST class: {module}.{name}")


def _code_fingerprint(grammar) -> bytes:
    """What the AST of a text depends on besides the text: versions, grammar, this package."""
    global _fingerprint
    if _fingerprint is None:
        digest = sha256(f"{__version__}\0{sys.version}\0{pickle.HIGHEST_PROTOCOL}\0".encode())
        digest.update(grammar().encode())
        # the syntax package's files by name, size and modification time: reading and
        # hashing their text cost more than the parse a cache hit saves on a short program
        here = os.path.dirname(os.path.abspath(__file__))
        for name in sorted(os.listdir(here)):
            if name.endswith(".py"):
                try:
                    st = os.stat(os.path.join(here, name))
                    digest.update(f"{name}\0{st.st_size}\0{st.st_mtime_ns}\0".encode())
                except OSError:
                    digest.update(name.encode() + b"\0?")
        _fingerprint = digest.digest()
    return _fingerprint
