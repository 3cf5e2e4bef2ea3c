"""Shared pytest options.  ``pytest --update-golden`` rewrites golden files instead of
comparing against them, so a change of output is reviewed as a diff."""

import pytest


def pytest_addoption(parser):
    parser.addoption("--update-golden", action="store_true", default=False,
                     help="rewrite tests/golden/ from the current output instead of comparing")


@pytest.fixture
def update_golden(request) -> bool:
    return request.config.getoption("--update-golden")
