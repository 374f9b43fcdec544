"""The network views' own stored answers: small aggregates a build keeps per generation.

An archive's network views must not read the whole archive when a page asks:
the overview chooses which plans to draw from each plan's size, and the
departments view sizes each department's node by its initiatives. Both are a
few thousand rows at most, computed once by the build (about a second at ×100)
like the saved queries that declare ``#+ stored: yes``. They are not saved
queries a planner runs (they are not in ``indsatsgraf queries``); their names
carry the prefix ``network-`` so they never share a stored answer's key with one.

Kept apart from :mod:`.network` so that a build, which lists them, need not load
networkx.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from pathlib import Path

from ..queries.catalog import SavedQuery, parse_query_file

#: The views' queries whose answers every build stores (viz/queries/NAME.rq).
STORED = ("plan-sizes", "department-initiatives")


@cache
def stored_query(name: str) -> SavedQuery:
    """One of the views' stored queries, named ``network-NAME`` in the answers file."""
    path = Path(str(resources.files(__package__).joinpath("queries", f"{name}.rq")))
    return parse_query_file(path, name=f"network-{name}")


def stored_queries() -> list[SavedQuery]:
    """The views' queries a build answers and keeps with the generation."""
    return [stored_query(name) for name in STORED]
