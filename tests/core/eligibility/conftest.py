import pytest

# The shared case checker lives in helpers.py; let pytest explain its failed assertions.
pytest.register_assert_rewrite("tests.core.eligibility.helpers")
