"""The package list in pyproject.toml must name every package folder, or `pip install .` drops it."""

import pathlib
import re

ROOT = pathlib.Path(__file__).resolve().parents[1]


def listed_packages():
    text = (ROOT / "pyproject.toml").read_text()
    block = re.search(r"packages = \[(.*?)\]", text, re.S).group(1)
    return set(re.findall(r'"([\w.]+)"', block))


def test_every_package_folder_is_listed():
    found = {"gradcli.grammar"}
    for init in (ROOT / "gradcli").rglob("__init__.py"):
        rel = init.parent.relative_to(ROOT)
        found.add(".".join(rel.parts))
    assert found == listed_packages()


def test_grammar_ships_as_package_data():
    assert (ROOT / "grammar" / "gradcli.lark").is_file()
    assert (ROOT / "grammar" / "__init__.py").is_file()
