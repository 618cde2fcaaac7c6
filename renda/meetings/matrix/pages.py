"""Permission-matrix rows (see renda/permission_matrix.py)."""

from renda.permission_matrix import Row

ROWS: list[Row] = []
