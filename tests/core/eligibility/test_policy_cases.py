"""Every policy's eligibility cases, at their boundaries: one table module per policy in
``tables/``, one test for all their rows (see ``helpers.Case`` for what a row asserts)."""

from __future__ import annotations

import importlib
import pkgutil

import pytest

from qaward.core.policy import Policy

from . import tables
from .helpers import Case, run, table_params

TABLES = [importlib.import_module(f"{tables.__name__}.{m.name}")
          for m in pkgutil.iter_modules(tables.__path__)]


def test_every_policy_has_its_table() -> None:
    assert sorted(t.POLICY.id for t in TABLES) == [
        "binjiang-2020", "changning-2023", "chanhe-2021", "chongming-2022", "hongkou-2021"]


@pytest.mark.parametrize(("policy", "case"), table_params((t.POLICY, t.CASES) for t in TABLES))
def test_policy_case(policy: Policy, case: Case) -> None:
    run(policy, case)
