"""The pure domain core: regulations as data, calendar, criteria, eligibility, scoring.

Nothing in this package imports Django or any outer layer (checked by import-linter,
see ``[tool.importlinter]`` in pyproject.toml).
"""
