import uuid

import pytest


@pytest.fixture(autouse=True)
def _no_throttles(settings):
    # Counters live in the cache, which outlives a test (LocMem per process, Redis on CI), and the
    # test client always comes from 127.0.0.1: without this, API tests would throttle each other.
    # The throttle tests switch the rates back on with fresh client addresses.
    settings.RENDA_API_THROTTLE_RATES = {"anon": None, "auth": None}


@pytest.fixture
def token_for(world):
    """token_for("staff") -> the plaintext of a fresh API token for that role's user."""
    from renda.api.services import token_create

    def make(role: str) -> str:
        return token_create(user=world.users[role], name="测试")[1]

    return make


@pytest.fixture
def fresh_ip():
    """A client address no earlier run has counted against (throttle counters outlive a test run in Redis)."""
    n = uuid.uuid4().int
    return f"10.{n % 250}.{(n >> 8) % 250}.{(n >> 16) % 250 + 1}"
