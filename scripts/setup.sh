#!/usr/bin/env bash
# Idempotent set-up of everything qaward needs on a fresh Debian machine:
# a virtual environment in .venv with the pinned Python packages and qaward itself.
# Re-runs are cheap: packages are reinstalled only when a requirements file changes.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-python3}
VENV=.venv

if ! "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
    echo "qaward needs Python 3.11 or newer; $("$PYTHON" --version) found" >&2
    exit 1
fi

# Debian packages: Chromium for the browser tests, CJK fonts so Chinese renders in it and in the
# PDF reports, Pango/HarfBuzz for WeasyPrint (the PDF reports), poppler-utils (pdftotext,
# pdftoppm) for the tests that read the PDFs back.
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
for pkg in fonts-noto-cjk libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 poppler-utils; do
    dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
    echo "installing Debian packages: ${missing[*]}"
    SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends \
        "${missing[@]}" >/dev/null
fi

if [ ! -x "$VENV/bin/python" ]; then
    "$PYTHON" -m venv "$VENV"
fi

stamp="$VENV/.requirements.sha256"
want=$(cat requirements/*.txt pyproject.toml | sha256sum | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
    "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -r requirements/dev.txt
    "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check --no-deps -e .
    echo "$want" > "$stamp"
fi
