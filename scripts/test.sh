#!/usr/bin/env bash
# Install (first run only) and run the whole test suite.
. "$(dirname "$0")/setup_env.sh" requirements-dev.txt
exec .venv/bin/python -m pytest "$@"
