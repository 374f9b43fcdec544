"""Shared fixtures: a graph built once per test session from the bundled documents."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SOURCES = REPO / "data" / "sources"


@pytest.fixture(scope="session")
def built_store(tmp_path_factory: pytest.TempPathFactory):
    """A GraphStore built from the bundled documents (shared, read-only)."""
    from indsatsgraf.graph.pipeline import build
    from indsatsgraf.graph.store import GraphStore

    store = GraphStore(tmp_path_factory.mktemp("store"))
    build(store)
    return store


@pytest.fixture(scope="session")
def oxstore(built_store):
    return built_store.open()
