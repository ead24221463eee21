"""Fixtures shared by the web tests; the worlds they build are in ``office_world.py`` and
``board_world.py``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.web import board_world
from tests.web.office_world import World, build_world


@pytest.fixture
def w() -> World:
    """The office world (a test module may define its own ``w``)."""
    return build_world()


@pytest.fixture
def world(settings: Any, tmp_path: Path) -> board_world.World:
    """The notice board world, its uploads in a temporary media directory."""
    settings.MEDIA_ROOT = tmp_path
    return board_world.build_world()
