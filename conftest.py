"""Shared pytest fixtures: the org fixture world lives in renda/testing.py."""

pytest_plugins = ["renda.testing"]
