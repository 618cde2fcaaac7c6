import pytest

from renda.opinions.matrix_world import ow

pytestmark = pytest.mark.django_db


def test_matrix_world_states(world):
    o = ow(world)
    assert (o.submitted.status, o.forwarded.status, o.replied.status, o.closed.status) == (
        "submitted", "forwarded", "replied", "closed")
    assert o.part.status == "assigned" and o.closed.is_published and o.raw_key.startswith("o311_")
    assert ow(world) is o
