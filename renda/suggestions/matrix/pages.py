"""Permission-matrix rows for the suggestion pages (renda/suggestions/urls.py)."""

ROWS: list = []
