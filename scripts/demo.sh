#!/usr/bin/env bash
# The main job, from nothing: set up; screen the bundled example applicants under every
# policy; create a fresh SQLite database with a demo cycle run through every stage built so
# far; print the demo logins; serve the web application on http://127.0.0.1:8000/.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export PATH="$PWD/.venv/bin:$PATH"
export QAWARD_VAR_DIR="${QAWARD_VAR_DIR:-$PWD/var/demo}"
export DJANGO_SETTINGS_MODULE=qaward.web.settings
PORT="${QAWARD_DEMO_PORT:-8000}"

echo "== 1. the rules engine: screening the example applicants under every policy"
qaward demo

echo "== 2. the web application: a fresh demo database in $QAWARD_VAR_DIR"
rm -rf "$QAWARD_VAR_DIR"
# Mails sent while the demo cycle is built go to files; the running site prints them.
QAWARD_EMAIL_BACKEND=django.core.mail.backends.filebased.EmailBackend \
    qaward-manage qaward_demo --policy "${QAWARD_DEMO_POLICY:-binjiang-2020}"
# Values the regulation leaves open that the demo had to assume (e.g. a notice length) are in
# a configuration file it wrote there; the site reads the same.
if [ -z "${QAWARD_CONFIG_DIR:-}" ] && [ -d "$QAWARD_VAR_DIR/config" ]; then
    export QAWARD_CONFIG_DIR="$QAWARD_VAR_DIR/config"
fi
qaward-manage collectstatic --noinput -v0
qaward-manage audit_verify

echo "== 3. serving on http://127.0.0.1:$PORT/  (public notice board: /notices/, API: /api/docs)"
exec gunicorn qaward.web.wsgi:application --bind "127.0.0.1:$PORT" --workers 2 \
    --no-control-socket --access-logfile - --log-level warning
