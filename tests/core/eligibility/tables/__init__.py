"""Eligibility case tables, one module per policy: ``POLICY`` and ``CASES`` (table name ->
rows). ``test_policy_cases.py`` finds every module here and runs every row."""
