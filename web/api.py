"""The machine API: every saved query as JSON and CSV at a stable URL, described in OpenAPI.

``/api/queries/{name}.json?param=…`` returns ``rows``, ``truncated`` and
``next`` (keyset paging with ``_next``, ``_size``, ``_sort``, ``_desc``);
``.csv`` returns every row. Parameters are the saved query's own, typed and
checked the same way as on the command line.
"""

from __future__ import annotations

from typing import Any

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from ..queries.catalog import Parameter
from . import pages
from .library import ROW_CAP, catalog

SCHEMA_TYPES: dict[str, dict[str, Any]] = {
    "department": {"type": "string", "enum": ["SOF", "BUF", "BIF", "SUF", "TMF", "ØKF", "KFF"]},
    "plan": {"type": "string", "description": "file name, slug or IRI of a plan"},
    "iri": {"type": "string", "format": "uri"},
    "integer": {"type": "integer"},
    "year": {"type": "integer", "minimum": 1900, "maximum": 2100},
    "text": {"type": "string", "minLength": 1},
}


def api_query(request: Request) -> Response:
    name, suffix = pages.split_suffix(request.path_params["name"], (".json", ".csv"))
    if not suffix:
        raise HTTPException(404, "add .json or .csv to the query's name")
    query = pages.saved(name)
    given, result, truncated = pages.query_result(request, query)
    rows = result.rows[:ROW_CAP]
    if suffix == ".csv":
        return pages.download(query.name, result.variables, rows, ".csv", truncated)
    page = pages.paged(request, result.variables, rows, truncated, pages.answer_key(query, given))
    return JSONResponse(
        {
            "query": query.name,
            "parameters": given,
            **page.summary(),
        }
    )


def api_list(request: Request) -> Response:
    rows = [
        {
            "name": q.name,
            "summary": q.summary,
            "json": f"/api/queries/{q.name}.json",
            "csv": f"/api/queries/{q.name}.csv",
            "parameters": [_parameter(p) for p in q.parameters],
        }
        for q in catalog().values()
    ]
    return JSONResponse({"rows": rows, "truncated": False, "next": None})


def _parameter(p: Parameter) -> dict[str, Any]:
    schema = dict(SCHEMA_TYPES.get(p.type, {"type": "string"}))
    if p.type == "choice":
        schema = {"type": "string", "enum": list(p.choices)}
    if p.default is not None:
        schema["default"] = int(p.default) if schema.get("type") == "integer" else p.default
    return {
        "name": p.name,
        "in": "query",
        "required": False,
        "description": p.doc,
        "schema": schema,
    }


PAGING = [
    {
        "name": "_next",
        "in": "query",
        "schema": {"type": "string"},
        "description": "token from `next`",
    },
    {"name": "_size", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 1000}},
    {"name": "_sort", "in": "query", "schema": {"type": "string"}, "description": "a column"},
    {"name": "_desc", "in": "query", "schema": {"type": "string", "enum": ["1"]}},
]


def openapi(request: Request) -> Response:
    """OpenAPI 3.1 description of the machine API, made from the saved queries' headers."""
    paths: dict[str, Any] = {}
    for q in catalog().values():
        parameters = [_parameter(p) for p in q.parameters]
        paths[f"/api/queries/{q.name}.json"] = {
            "get": {
                "operationId": f"{q.name}-json",
                "summary": q.summary,
                "description": q.description,
                "tags": list(q.tags),
                "parameters": parameters + PAGING,
                "responses": {
                    "200": {
                        "description": "one page of rows",
                        "content": {
                            "application/json": {"schema": {"$ref": "#/components/schemas/Page"}}
                        },
                    },
                    "400": {"description": "a parameter is not of its type"},
                },
            }
        }
        paths[f"/api/queries/{q.name}.csv"] = {
            "get": {
                "operationId": f"{q.name}-csv",
                "summary": q.summary + " (CSV, every row)",
                "parameters": parameters,
                "responses": {"200": {"description": "CSV", "content": {"text/csv": {}}}},
            }
        }
    document = {
        "openapi": "3.1.0",
        "info": {
            "title": "indsatsgraf",
            "version": "1",
            "description": "Saved queries over the graph of Københavns Kommune's disability-policy action plans.",
        },
        "paths": paths,
        "components": {
            "schemas": {
                "Page": {
                    "type": "object",
                    "properties": {
                        "query": {"type": "string"},
                        "variables": {"type": "array", "items": {"type": "string"}},
                        "rows": {"type": "array", "items": {"type": "object"}},
                        "total": {"type": "integer"},
                        "truncated": {"type": "boolean"},
                        "next": {"type": ["string", "null"]},
                    },
                }
            }
        },
    }
    return JSONResponse(document)


def routes() -> list[Route]:
    return [
        Route("/api/queries", api_list),
        Route("/api/queries/{name}", api_query),
        Route("/openapi.json", openapi),
    ]
