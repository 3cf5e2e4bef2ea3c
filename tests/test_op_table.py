"""Every backward formula in the op table is well formed.

OpSpec builds its formulas and its grad_fn class on first use (start-up time), so a
malformed formula would otherwise surface only when a program first meets that op.
"""

import importlib
import pkgutil

import gradcli.autograd
from gradcli.autograd.function import Node
from gradcli.autograd.ops.registry import OpSpec


def _all_specs() -> list[OpSpec]:
    found = {}
    for info in pkgutil.walk_packages(gradcli.autograd.__path__, "gradcli.autograd."):
        module = importlib.import_module(info.name)
        for value in vars(module).values():
            candidates = [value, getattr(value, "spec", None)]
            if isinstance(value, dict):
                candidates += list(value.values())
            for c in candidates:
                if isinstance(c, OpSpec):
                    found[id(c)] = c
    return list(found.values())


def test_the_table_is_found():
    assert len(_all_specs()) > 150


def test_every_formula_takes_grad_first_and_every_spec_has_its_named_node_class():
    for spec in _all_specs():
        formulas = spec.formulas
        assert len(formulas) == len(spec.inputs), spec.name
        cls = spec.grad_fn
        assert issubclass(cls, Node) and cls.__name__ == spec.name and cls.spec is spec
        assert spec.grad_fn is cls  # made once
        everything = (1 << len(formulas)) - 1
        plan = spec.plan(everything)
        assert {i for i, _, _ in plan.calls} == {i for i, f in enumerate(formulas) if f is not None}, spec.name
