"""The one loader of the library's own SPARQL: ``.rq`` files beside the code that runs them.

Every query lives in a ``.rq`` file, so it can be read, tested and run at any
endpoint as it is. The saved queries a user runs by name are in ``queries/``;
the queries the library runs for itself (name resolution, descriptions,
statistics, network views) sit in a ``queries/`` folder inside the package that
uses them (``graph/queries/``, ``viz/queries/``), shipped as package data, so
``graph/`` never reaches up into ``queries/`` for its own work.
"""

from __future__ import annotations

from functools import cache
from importlib import resources


@cache
def query_file(package: str, name: str) -> str:
    """The text of ``NAME.rq`` in the ``queries`` folder of ``package`` (e.g. ``__package__``)."""
    path = resources.files(package) / "queries" / f"{name}.rq"
    return path.read_text(encoding="utf-8")
