"""Inputs made from real programs (examples/*.py) by breaking them, and plain junk bytes.

Each generator is a function of a ``random.Random``, so an input is reproducible from
its generator's seed and index.
"""

from __future__ import annotations

import random
import re
from pathlib import Path

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
_TOKEN = re.compile(rb"[A-Za-z_][A-Za-z_0-9]*|\d+(?:\.\d*)?|\s+|.", re.S)

# Byte strings known to upset lexers: encodings, layout, nesting, huge numbers.
SPECIALS = [b"\xef\xbb\xbf", b"\x00", b"\xff\xfe", b"\r", b"\r\n", b"\t", b"\f", b"\\\n", b"\x1b",
            b"\xc3\x28", b"\xe2\x80\xa8", b"\xcc\x81", b"\"\"\"", b"'''", b"f'{", b"}", b"#", b"(" * 300,
            b")" * 50, b"[" * 201, b"1e999999", b"9" * 5000, b"0x", b"1_", b"..", b"lambda", b"**",
            b"    " * 120 + b"x", b"if 1:\n", b"\n\t \n", b"__class__", b"_x", b"torch._C",
            b"getattr", b"open", b"__import__", b"import os", b"from sys import *",
            b"torch.ones(100000, 100000)", b"torch.zeros(3).expand(10**6, 3)", b"10**10**10",
            b"[0]*10**10", b"range(10**12)", b".backward()", b".grad", b"requires_grad=True",
            b"torch.autograd.grad(", b"retain_graph=True", b"create_graph=True", b"torch.no_grad()",
            b".T", b"@", b"[..., None]", b"[::-1]", b"[1:2, None]", b".view(-1)", b"dim=5",
            b"dtype=torch.int64", b"torch.tensor([])", b"float('nan')", b"1/0", b"x/torch.zeros(1)"]


def seeds() -> list[bytes]:
    return [p.read_bytes() for p in sorted(EXAMPLES.glob("*.py"))]


def mutate(rng: random.Random, seed: bytes, pool: list[bytes] | None = None) -> bytes:
    """One to four token- or byte-level edits of ``seed``."""
    tokens = _TOKEN.findall(seed) or [b""]
    for _ in range(rng.randint(1, 4)):
        i = rng.randrange(len(tokens))
        j = rng.randrange(len(tokens))
        how = rng.randrange(9)
        if how == 0 and len(tokens) > 1:
            del tokens[i]
        elif how == 1:
            tokens[i], tokens[j] = tokens[j], tokens[i]
        elif how == 2:
            tokens.insert(i, tokens[j])
        elif how == 3:
            tokens.insert(i, rng.choice(SPECIALS))
        elif how == 4:
            tokens[i] = bytes([rng.randrange(256)])
        elif how == 5:  # a run of tokens repeated: deeper nesting, longer lines
            k = rng.randint(1, 8)
            tokens[i:i] = tokens[i:i + k] * rng.randint(2, 50)
        elif how == 6:  # a line cut short or joined with the next
            tokens[i] = b"" if tokens[i].startswith(b"\n") else b"\n"
        elif how == 7 and pool:
            other = _TOKEN.findall(rng.choice(pool)) or [b""]
            a = rng.randrange(len(other))
            tokens[i:i] = other[a:a + rng.randint(1, 30)]
        else:  # indentation changed on one line
            tokens.insert(i, rng.choice([b" ", b"\t", b"    ", b"\n    ", b"\n\t"]))
    return b"".join(tokens)


def mutated_program(rng: random.Random) -> bytes:
    pool = _SEEDS or seeds()
    return mutate(rng, rng.choice(pool), pool)


def random_bytes(rng: random.Random) -> bytes:
    """Junk: random bytes, random picks of the specials and printable text, now and then a
    hostile shape of issue 7's size (up to 10 MB lines, 10,000 levels of nesting)."""
    if rng.random() < 0.01:
        return hostile_shape(rng)
    kind = rng.randrange(3)
    n = rng.randint(0, 400)
    if kind == 0:
        return bytes(rng.randrange(256) for _ in range(n))
    if kind == 1:
        return bytes(rng.choice(b" \n\t()[]{}:;,.=+-*/@<>!~%&|^#'\"\\xy01") for _ in range(n))
    return b"".join(rng.choice(SPECIALS + [b"x", b" ", b"\n", b"=", b"(", b")", b":", b",", b"1"])
                    for _ in range(rng.randint(0, 40)))


def hostile_shape(rng: random.Random) -> bytes:
    """A program with one dimension pushed far: sizes drawn log-uniformly, so most stay cheap."""
    n = int(10 ** rng.uniform(1, 4))  # nesting depth, 10 to 10,000
    width = int(10 ** rng.uniform(2, 7))  # line length, 100 bytes to 10 MB
    shapes = [
        lambda: b"x = " + b"(" * n + b"1" + b")" * n + b"\n",
        lambda: b"x = " + b"[" * n + b"]" * rng.choice([n, n - 1, 0]) + b"\n",
        lambda: b"x = " + b"-" * n + b"1\n",
        lambda: b"".join(b" " * i + b"if True:\n" for i in range(n)) + b" " * n + b"pass\n",
        lambda: b"".join(b"\t" * (i % 3) + b" " * (i % 5) + b"if x:\n" for i in range(n)),
        lambda: b"x = 1 #" + b"a" * width + b"\nprint(x)\n",
        lambda: b"x = 1" + b" + 1" * (width // 4) + b"\n",
        lambda: b"x = '" + b"a" * width + b"'\n",
        lambda: b"\xef\xbb\xbf" + bytes(rng.randrange(256) for _ in range(min(width, 5000))),
        lambda: b"import torch\nx = torch.ones(" + b", ".join([b"2"] * min(n, 60)) + b")\n",
    ]
    return rng.choice(shapes)()


_SEEDS = seeds()
