"""Compare one saved query's answers from two stores, with SPARQL's freedoms allowed.

Every saved query has a total ORDER BY, so rows are compared in order. What
SPARQL leaves open is normalised first: the order inside GROUP_CONCAT (values
compared as sets). GROUP_CONCAT over no values is not normalised: it is ""
on Virtuoso and unbound on Oxigraph, so the saved queries are written to give
unbound on both (docs/endpoints.md), and "" against unbound is a difference.
"""

from __future__ import annotations

import re

from indsatsgraf.graph.sparql import QueryResult
from indsatsgraf.queries.catalog import SavedQuery, saved_queries

# A GROUP_CONCAT's separator and the variable of the expression it stands in.
CONCAT = re.compile(
    r'GROUP_CONCAT\s*\((?:[^()]|\([^()]*\))*?separator\s*=\s*"([^"]*)"\s*\).*?\bAS\s+\?(\w+)',
    re.I | re.S,
)
# A list copied to the column a person reads, with an empty list left unbound
# ("" on Virtuoso): BIND(IF(?list != "", ?list, ?none) AS ?column).
COPY = re.compile(
    r'BIND\s*\(\s*IF\s*\(\s*\?(\w+)\s*!=\s*""\s*,\s*\?\1\s*,\s*\?\w+\s*\)\s*AS\s+\?(\w+)'
)
EXAMPLE = re.compile(r"^#\+ param: (\w+) .*?\be\.g\. ([^)]+?)\)?$", re.M)
# Non-ASCII words whose folding differs per store unless written portably (issue 12).
DANISH = [
    ("initiatives-by-keyword", {"keyword": "born"}),
    ("initiatives-by-keyword", {"keyword": "børn"}),
    ("initiatives-by-keyword", {"keyword": "samraadet"}),
    ("initiatives-by-target-group", {"group": "pårørende"}),
    ("initiatives-by-target-group", {"group": "børn"}),
]


def parameter_sets() -> list[tuple[str, dict[str, str]]]:
    """Each saved query with its defaults, with each documented example value, and Danish words."""
    sets: list[tuple[str, dict[str, str]]] = []
    for name, query in sorted(saved_queries().items()):
        sets.append((name, {}))
        for param, values in EXAMPLE.findall(query.text):
            for value in re.split(r",| or ", values):  # "e.g. 2014, x.txt or its IRI"
                if value.strip() and not value.strip().startswith("its "):
                    sets.append((name, {param: value.strip()}))
    return sets + DANISH


def concat_columns(query: SavedQuery) -> dict[str, str]:
    """GROUP_CONCAT columns by their separators, and the columns copied from them."""
    columns = {variable: separator for separator, variable in CONCAT.findall(query.text)}
    for source, column in COPY.findall(query.text):
        if source in columns:
            columns[column] = columns[source]
    return columns


def normalised(result: QueryResult, query: SavedQuery) -> list[tuple]:
    columns = concat_columns(query)
    rows = []
    for row in result.rows:
        cells = []
        for variable in result.variables:
            value = row.get(variable)
            if variable in columns:
                value = None if value is None else frozenset(str(value).split(columns[variable]))
            cells.append((variable, value))
        rows.append(tuple(cells))
    return rows


def assert_same_answer(local: QueryResult, remote: QueryResult, query: SavedQuery) -> None:
    assert local.form == remote.form
    assert local.variables == remote.variables
    assert normalised(local, query) == normalised(remote, query)
    assert sorted(local.triples) == sorted(remote.triples)
    assert local.boolean == remote.boolean


def assert_same_answer_at(endpoint: str, oxstore, name: str, params: dict[str, str]) -> None:
    """The saved query ``name`` answers the same on ``oxstore`` and at ``endpoint``.

    Names (2.1.5, Familiehus, 2015) are looked up in each store on its own, as
    a user of either would have them looked up.
    """
    from indsatsgraf.graph.names import Names
    from indsatsgraf.graph.sparql import run_embedded, run_remote

    query = saved_queries()[name]
    local = run_embedded(oxstore, query, query.bindings(params, Names.of_store(oxstore)))
    remote_bindings = query.bindings(params, Names.at_endpoint(endpoint, 30.0))
    assert_same_answer(local, run_remote(endpoint, query, remote_bindings), query)
