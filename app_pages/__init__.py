"""Streamlit pages. Pages only call the packages and draw; no computation here."""
