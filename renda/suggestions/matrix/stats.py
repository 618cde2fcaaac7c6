"""Permission-matrix rows for the suggestion statistics pages and documents (renda/suggestions/urls_stats.py)."""

ROWS: list = []
