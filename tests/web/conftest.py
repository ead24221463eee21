"""Fixtures shared by the web tests; the worlds they build are in ``office_world.py`` and
``board_world.py``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.web import board_world
from tests.web.office_world import IN_WINDOW, World, build_world

DEFAULT_TODAY = IN_WINDOW.isoformat()


@pytest.fixture(autouse=True)
def office_clock(settings: Any) -> None:
    """The office's clock, never the wall clock: by default a day inside the application
    window of the tests' usual cycle (2 March to 30 April 2026). Every test gets its own layer
    of settings, so a test that moves the clock (``office_world.set_today``) leaves the next
    test's clock alone."""
    settings.QAWARD_TODAY = DEFAULT_TODAY


@pytest.fixture
def w() -> World:
    """The office world (a test module may define its own ``w``)."""
    return build_world()


@pytest.fixture
def world(settings: Any, tmp_path: Path) -> board_world.World:
    """The notice board world, its uploads in a temporary media directory."""
    settings.MEDIA_ROOT = tmp_path
    settings.QAWARD_TODAY = board_world.TODAY.isoformat()
    return board_world.build_world()
