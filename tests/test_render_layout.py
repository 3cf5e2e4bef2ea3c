"""render/layout.py lays out piped tables without Rich: it must print what Rich prints.

Random parts (tables of random widths and heights with multi-line, empty, spaced and
long cells; titles; free text) are printed both ways; whenever ``plain_text`` takes
them, its text must equal Rich's byte for byte. The generator keeps most cases within
what ``plain_text`` takes, so the comparison is not vacuous.
"""

from __future__ import annotations

import io
import random

import pytest

from gradcli.render import table
from gradcli.render.layout import Grid, plain_text

WORDS = ["x", "w", "name", "AddBackward0", "(2, 3)", "float32", "True", "None", "[5.]", "", "d y / d node *",
         "tensor([1., 2.])", "[[1., 2.],\n [3., 4.]]", "a b  c", " lead", "trail ", "1.0000e+00", "-inf", "nan",
         "[[ 0.1000, -2.0000,  3.0000],\n [ 4.0000,  5.0000, -6.0000],\n [ 7.0000,  8.0000,  9.0000]]"]
RARE = ["Σᵢ vᵢ", "é", "tab\there", "x" * 60, "y" * 97, "ctrl\x1b[0m"]


def cell(rng: random.Random) -> str:
    if rng.random() < 0.01:
        return rng.choice(RARE)
    if rng.random() < 0.15:
        return " ".join(rng.choice(WORDS) for _ in range(rng.randrange(1, 6)))
    return rng.choice(WORDS)


def grid(rng: random.Random) -> Grid:
    n = rng.randrange(1, 8)
    title = rng.choice([None, "", "Leaves", "Intermediate nodes", "t" * rng.randrange(80, 110),
                        "check: autograd's gradient of y against central differences (float64)"])
    g = table.new_table(title, [rng.choice(WORDS[:12]) or "c" for _ in range(n)], styled=rng.random() < 0.5)
    for _ in range(rng.randrange(0, 6)):
        g.add_row(*(cell(rng) for _ in range(n)))
    return g


def text(rng: random.Random) -> str:
    return "\n".join(" ".join(rng.choice(WORDS[:10]) or "z" for _ in range(rng.randrange(1, 25)))
                     for _ in range(rng.randrange(1, 3)))


def rich_text(parts) -> str:
    out = io.StringIO()
    real = table.plain_text
    table.plain_text = lambda parts, width: None
    try:
        table.print_parts(parts, out)
    finally:
        table.plain_text = real
    return out.getvalue()


@pytest.mark.parametrize("seed", range(8))
def test_plain_layout_is_richs(seed):
    rng = random.Random(seed)
    taken = 0
    for _ in range(120):
        parts = [grid(rng) if rng.random() < 0.75 else text(rng) for _ in range(rng.randrange(1, 4))]
        plain = plain_text(parts, table.PIPE_WIDTH)
        if plain is None:
            continue
        taken += 1
        assert plain == rich_text(parts), parts
    assert taken >= 30, f"plain_text took only {taken} of 120 cases"


def test_what_plain_text_leaves_to_rich():
    wide = table.new_table("t", ["a", "b"])
    wide.add_row("x" * 60, "y" * 40)
    assert plain_text([wide], 100) is None  # 60 + 40 + 3 > 100: Rich wraps it
    fits = table.new_table("t", ["a", "b"])
    fits.add_row("x" * 60, "y" * 37)
    assert plain_text([fits], 100) is not None
    unicode = table.new_table("t", ["a"])
    unicode.add_row("Σ")
    assert plain_text([unicode], 100) is None
    assert plain_text(["x" * 101], 100) is None
    assert plain_text([object()], 100) is None
