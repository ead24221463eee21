"""The pure core imports no Django, no web framework and nothing from qaward's outer layers."""

from __future__ import annotations

import ast
from pathlib import Path

import qaward.core

FORBIDDEN_ROOTS = {"django", "ninja", "rest_framework"}
FORBIDDEN_QAWARD = ("qaward.cli", "qaward.exports", "qaward.web")


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def test_no_module_of_the_core_imports_django_or_an_outer_layer() -> None:
    core = Path(qaward.core.__file__).parent
    offenders = []
    for path in sorted(core.rglob("*.py")):
        for name in imported_modules(path):
            if name.split(".")[0] in FORBIDDEN_ROOTS or name.startswith(FORBIDDEN_QAWARD):
                offenders.append(f"{path.relative_to(core)} imports {name}")
    assert offenders == []


def test_the_checker_would_catch_a_django_import(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text("from django.db import models\nimport qaward.web.views\n", encoding="utf-8")
    assert imported_modules(bad) == {"django.db", "qaward.web.views"}
