"""The fact base: its model, loader, files, dates, errors and text normalisation.

Imports nothing above it (tests/test_layout.py)."""
