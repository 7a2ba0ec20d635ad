#!/usr/bin/env bash
# Install (first run only) and start the app on the built-in demo municipality.
. "$(dirname "$0")/setup_env.sh" requirements.txt
exec .venv/bin/python -m streamlit run streamlit_app.py --server.address 127.0.0.1 "$@"
