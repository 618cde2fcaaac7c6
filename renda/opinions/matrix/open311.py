"""Permission-matrix rows for the opinions open311 URLs (added to renda/permission_matrix.py)."""

from renda.permission_matrix import Row, page, public  # noqa: F401

from ..matrix_world import ow  # noqa: F401  (ow(w): the opinions objects of the test world)

ROWS: list[Row] = []
