#!/usr/bin/env bash
# Set up a virtual environment with the package and its test extras, then run
# the whole test suite. Browser tests need Debian's chromium at /usr/bin/chromium
# (.ci/run installs it).
set -euo pipefail
cd "$(dirname "$0")"
python3 -m venv .venv
.venv/bin/pip install -q --upgrade pip
.venv/bin/pip install -q ".[test]"
.venv/bin/ruff check .
.venv/bin/ruff format --check .
.venv/bin/python -m pytest -q "$@"
