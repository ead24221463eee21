#!/usr/bin/env bash
# The test command: set up, lint, type-check, check the architecture, run every test.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export PATH="$PWD/.venv/bin:$PATH"

echo "== ruff"; ruff check src tests bench
echo "== mypy (strict on the pure core)"; mypy src/qaward
echo "== import contracts"; lint-imports
echo "== policies"; qaward policy validate --all
echo "== pytest (SQLite)"; pytest -n 2 -q "$@"
# The pure core (tests/core, tests/test_cli.py) touches no database; everything that does
# runs again on the real PostgreSQL server.
echo "== pytest: the web layer and the browser tests again on the real PostgreSQL server"
bash scripts/ensure_postgres.sh
QAWARD_DATABASE_URL=${QAWARD_TEST_POSTGRES_URL:-postgresql://postgres@127.0.0.1:5432/qaward} \
    pytest -n 2 -q tests/web tests/browser
