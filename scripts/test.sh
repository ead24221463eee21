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
echo "== pytest"; pytest -n 2 -q "$@"
