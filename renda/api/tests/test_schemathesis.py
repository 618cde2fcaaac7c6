"""Fuzz the whole OpenAPI schema through the WSGI app: no 5xx, and every response (status code,
content type, body) matches what the schema declares. Runs anonymously and as a staff user with a
token, over the shared test world, deterministically and within a bounded number of examples."""

import os

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from config.wsgi import application

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
# Bounded for `make test`; for a deeper local run: RENDA_FUZZ_EXAMPLES=500 pytest <this file>
MAX_EXAMPLES = int(os.environ.get("RENDA_FUZZ_EXAMPLES", "25"))

CONFIG = schemathesis.Config.from_dict({
    "generation": {"deterministic": True, "max-examples": MAX_EXAMPLES},
    # Stateful runs chain calls through links; the stateless checks above are the contract here.
    "phases": {"stateful": {"enabled": False}},
})


# Loaded at collection time, through the WSGI app like any client would (the request touches no
# database). schemathesis' lazy from_fixture() loader does not work with pytest 9.
schema = schemathesis.openapi.from_wsgi("/api/openapi.json", application, config=CONFIG)

@pytest.fixture(autouse=True)
def _keep_test_connection():
    """A WSGI request closes "old" database connections when it ends, and inside the test's
    transaction the connection looks old: keep it open, as Django's test client does."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


FUZZ_SETTINGS = settings(
    max_examples=MAX_EXAMPLES,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                           HealthCheck.filter_too_much, HealthCheck.data_too_large],
)


@schema.parametrize()
@FUZZ_SETTINGS
def test_api_anonymous(case, world):
    case.call_and_validate(checks=CHECKS)


@schema.parametrize()
@FUZZ_SETTINGS
def test_api_as_staff(case, world, token_for):
    token = token_for("staff")
    case.call_and_validate(headers={"Authorization": f"Bearer {token}"}, checks=CHECKS)
