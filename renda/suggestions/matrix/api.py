"""Permission-matrix rows for the suggestions JSON API (renda/api/endpoints/suggestions.py)."""

ROWS: list = []
