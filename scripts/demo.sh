#!/usr/bin/env bash
# The main job: set up, then screen the bundled example applicants under every policy.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec .venv/bin/qaward demo "$@"
