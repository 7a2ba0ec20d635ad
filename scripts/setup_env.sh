# Sourced by start.sh and test.sh: a project virtualenv in .venv with the pinned requirements.
# Usage: . scripts/setup_env.sh REQUIREMENTS_FILE
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
PY=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
stamp=".venv/.installed-$(cat "$1" requirements.txt | cksum | cut -d' ' -f1)"
if [ ! -f "$stamp" ]; then
  .venv/bin/python -m pip install --quiet --upgrade pip
  .venv/bin/python -m pip install --quiet -r "$1"
  touch "$stamp"
fi
export GX_ANALYTICS_ENABLED=false STREAMLIT_BROWSER_GATHER_USAGE_STATS=false
