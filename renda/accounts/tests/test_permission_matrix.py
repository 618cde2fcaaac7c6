"""Runs the role × action matrix in renda/permission_matrix.py against the real URLconf."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from renda.permission_matrix import EXEMPT, EXEMPT_PREFIXES, MATRIX, ROLES

CASES = [(row, role) for row in MATRIX for role in ROLES]


@pytest.mark.parametrize(("row", "role"), CASES, ids=[f"{r.name}|{r.action}|{role}" for r, role in CASES])
def test_matrix(row, role, world, client_for):
    client = client_for(role)
    url = row.url(world)
    if row.method == "post":
        data = row.data(world) if row.data else {}
        response = client.post(url, data, content_type="application/json") if row.api else client.post(url, data)
    else:
        response = client.get(url)
    expected = row.expect[role]
    assert response.status_code == expected, f"{role} {row.method.upper()} {url}: {response.status_code} != {expected}"


def _names(resolver: URLResolver, namespace: str = "") -> set[str]:
    names: set[str] = set()
    for p in resolver.url_patterns:
        if isinstance(p, URLResolver):
            ns = f"{namespace}{p.namespace}:" if p.namespace else namespace
            names |= _names(p, ns)
        elif isinstance(p, URLPattern) and p.name:
            names.add(namespace + p.name)
    return names


def test_every_named_url_is_in_the_matrix():
    covered = {row.name for row in MATRIX} | {n for row in MATRIX for n in row.extra_names} | set(EXEMPT)
    missing = sorted(n for n in _names(get_resolver()) if n not in covered and not n.startswith(EXEMPT_PREFIXES))
    assert missing == [], f"add these URLs to renda/permission_matrix.py: {missing}"


def test_docs_match_the_matrix():
    from pathlib import Path

    from renda.accounts.management.commands.permissions_doc import render_matrix

    doc = (Path(__file__).resolve().parents[3] / "docs" / "permissions.md").read_text(encoding="utf-8")
    assert render_matrix() in doc, "docs/permissions.md is stale: run `manage.py permissions_doc`"
