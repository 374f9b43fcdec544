"""The ``indsatsgraf`` command line: a thin layer over the library.

Each command parses options, calls one library function and prints its result;
library errors become ``click.ClickException`` messages without tracebacks.
Heavy libraries (pyoxigraph, rdflib, pyvis) are imported inside commands so
that ``indsatsgraf --help`` starts instantly.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

FORMAT_CHOICES = ("table", "json", "csv", "tsv", "md")


def friendly_errors(command: Callable[..., Any]) -> Callable[..., Any]:
    """Turn the library's own exceptions into one-line messages and exit codes."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from .graph.pipeline import BuildError
        from .graph.remote import RemoteError
        from .graph.store import StoreError
        from .importers.registry import UnknownLayout
        from .queries.catalog import QueryError

        try:
            return command(*args, **kwargs)
        except BuildError as error:
            if error.imported:
                good = ", ".join(i.path.name for i in error.imported)
                click.echo(f"read fine: {good}", err=True)
            click.echo("could not import:", err=True)
            for path, problem in error.failures:
                click.echo(f"  {path}: {problem}", err=True)
            raise click.ClickException(
                "nothing was written; the existing graph is unchanged"
            ) from None
        except (StoreError, QueryError, RemoteError, UnknownLayout) as error:
            raise click.ClickException(str(error)) from None

    return wrapper


def open_store(ctx: click.Context, *, build_if_missing: bool = True) -> Any:
    """The current graph, built from the bundled documents first if there is none."""
    from .graph.pipeline import build
    from .graph.store import GraphStore

    store = GraphStore(ctx.obj["store"])
    if not store.exists() and build_if_missing:
        click.echo(
            f"no graph at {store.path} yet; building it from the bundled documents", err=True
        )
        build(store)
    return store.open()


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--store",
    type=click.Path(path_type=Path),
    envvar="INDSATSGRAF_STORE",
    help="Store directory (default: $XDG_DATA_HOME/indsatsgraf/store, "
    "i.e. ~/.local/share/indsatsgraf/store). Env: INDSATSGRAF_STORE.",
)
@click.version_option(package_name="indsatsgraf")
@click.pass_context
def main(ctx: click.Context, store: Path | None) -> None:
    """A knowledge graph of Københavns Kommune's disability-policy action plans.

    Build the graph from the bundled documents, then ask it questions:

    \b
        indsatsgraf build
        indsatsgraf query multi-department-initiatives
        indsatsgraf viz -o graf.html
    """
    from .graph.store import default_location

    ctx.obj = {"store": store or default_location()}


@main.command()
@click.argument("sources", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--importer", "importer_name", help="Force this importer instead of recognising the layout."
)
@click.option("-q", "--quiet", is_flag=True, help="Print only the summary line.")
@click.option(
    "--max-file-size",
    type=click.IntRange(min=1),
    default=16,
    show_default=True,
    help="Refuse source files larger than this many MiB.",
)
@click.pass_context
@friendly_errors
def build(
    ctx: click.Context,
    sources: tuple[Path, ...],
    importer_name: str | None,
    quiet: bool,
    max_file_size: int,
) -> None:
    """Build the graph from SOURCES (files or directories; default: the bundled documents).

    The build is all or nothing: if any file cannot be imported, the existing
    graph stays exactly as it was.

    \b
    Example:
        indsatsgraf build
        indsatsgraf build data/sources/tvaergaaende-indsatsplan-2015.txt
    """
    from .graph.pipeline import build as run_build
    from .graph.store import GraphStore

    progress = None if quiet else (lambda message: click.echo(f"  {message}", err=True))
    summary = run_build(
        GraphStore(ctx.obj["store"]),
        list(sources) or None,
        importer_name=importer_name,
        progress=progress,
        max_bytes=max_file_size * 2**20,
    )
    if not quiet:
        for doc in summary.documents:
            click.echo(
                f"{doc.file_name}: {doc.importer} ({doc.confidence:.2f}) — {doc.goals} goals, "
                f"{doc.initiatives} initiatives, {doc.indicators} indicators, "
                f"{doc.budget_items} budget items, {doc.triples} triples"
            )
        for file_name, names in sorted(summary.report.unknown_organisations.items()):
            click.echo(f"{file_name}: unknown organisations: {'; '.join(sorted(names))}")
        for file_name, names in sorted(summary.report.new_partners.items()):
            click.echo(f"{file_name}: partners not in the registry: {'; '.join(sorted(names))}")
    click.echo(
        f"built {ctx.obj['store']} with {summary.triples} quads from {len(summary.documents)} documents"
    )


def parse_params(values: tuple[str, ...]) -> dict[str, str]:
    params = {}
    for value in values:
        if "=" not in value:
            raise click.BadParameter(f"{value!r} is not name=value", param_hint="--param")
        name, _, raw = value.partition("=")
        params[name.strip()] = raw
    return params


@main.command()
@click.argument("name", required=False)
@click.option("-e", "--expression", help="Run this SPARQL text instead of a saved query.")
@click.option(
    "-p",
    "--param",
    "params",
    multiple=True,
    metavar="NAME=VALUE",
    help="A query parameter (repeatable).",
)
@click.option(
    "-f", "--format", "fmt", type=click.Choice(FORMAT_CHOICES), default="table", show_default=True
)
@click.option("--limit", type=click.IntRange(min=1), help="At most this many rows.")
@click.option("--endpoint", help="Run on this SPARQL 1.1 endpoint instead of the embedded store.")
@click.option(
    "--timeout",
    type=float,
    default=30.0,
    show_default=True,
    help="Seconds to wait for a remote endpoint.",
)
@click.pass_context
@friendly_errors
def query(
    ctx: click.Context,
    name: str | None,
    expression: str | None,
    params: tuple[str, ...],
    fmt: str,
    limit: int | None,
    endpoint: str | None,
    timeout: float,
) -> None:
    """Run a saved query NAME, a query FILE.rq, or -e 'SPARQL'.

    Parameters are checked against their declared types and bound as RDF
    terms, never pasted into the query text. ASK queries exit 1 when false.

    \b
    Example:
        indsatsgraf query multi-department-initiatives --param department=BIF
        indsatsgraf query -e 'SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }' --format json
    """
    from .graph import sparql
    from .queries import catalog, formats

    if bool(name) == bool(expression):
        raise click.UsageError("give either a query NAME/FILE or -e 'SPARQL', not both or neither")
    saved = catalog.ad_hoc(expression) if expression else catalog.find(name or "")
    bindings = saved.bindings(parse_params(params))
    sparql.check(saved)
    if endpoint:
        result = sparql.run_remote(endpoint, saved, bindings, timeout=timeout, limit=limit)
    else:
        result = sparql.run_embedded(open_store(ctx), saved, bindings, limit=limit)
    if fmt == "table" and result.form == "SELECT":
        print_table(result)
    else:
        click.echo(formats.render(result, fmt))
    if result.form == "ASK" and not result.boolean:
        sys.exit(1)


def print_table(result: Any) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(show_lines=False)
    for variable in result.variables:
        table.add_column(variable, overflow="fold")
    for row in result.rows:
        table.add_row(*("" if row.get(v) is None else str(row.get(v)) for v in result.variables))
    console = Console(width=None if sys.stdout.isatty() else 200)
    console.print(table)
    console.print(f"{len(result.rows)} rows")


@main.command("queries")
@click.option("--json", "as_json", is_flag=True, help="Print as JSON.")
@friendly_errors
def list_queries(as_json: bool) -> None:
    """List the saved queries with their summaries and parameters.

    \b
    Example:
        indsatsgraf queries
    """
    import json

    from .queries.catalog import saved_queries

    queries = saved_queries()
    if as_json:
        click.echo(
            json.dumps(
                [
                    {
                        "name": q.name,
                        "summary": q.summary,
                        "tags": list(q.tags),
                        "parameters": [
                            {"name": p.name, "type": p.type, "default": p.default, "doc": p.doc}
                            for p in q.parameters
                        ],
                    }
                    for q in queries.values()
                ],
                ensure_ascii=False,
                indent=2,
            )
        )
        return
    for q in queries.values():
        click.echo(f"{q.name}\n    {q.summary}")
        for p in q.parameters:
            default = f" = {p.default}" if p.default else ""
            click.echo(f"    --param {p.name}=<{p.type}>{default}  {p.doc}")


@main.command()
@click.option(
    "-f",
    "--format",
    "fmt",
    type=click.Choice(["ttl", "trig", "nt", "nq", "jsonld"]),
    default="trig",
    show_default=True,
)
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    help="Write to this file instead of standard output.",
)
@click.pass_context
@friendly_errors
def export(ctx: click.Context, fmt: str, output: Path | None) -> None:
    """Write the whole graph as Turtle, TriG, N-Triples, N-Quads or JSON-LD.

    \b
    Example:
        indsatsgraf export --format nt -o graf.nt
    """
    from .graph.export import export as run_export

    data = run_export(open_store(ctx), fmt)
    if output:
        output.write_bytes(data)
        click.echo(f"wrote {output} ({len(data)} bytes)", err=True)
    else:
        click.echo(data.decode(), nl=False)


@main.command()
@click.option("--markdown", is_flag=True, help="Print only the per-document table, as Markdown.")
@click.pass_context
@friendly_errors
def stats(ctx: click.Context, markdown: bool) -> None:
    """Count triples, things per class, and things per source document.

    \b
    Example:
        indsatsgraf stats
        indsatsgraf stats --markdown
    """
    from .graph.export import extraction_table
    from .graph.export import stats as run_stats

    s = run_stats(open_store(ctx))
    if markdown:
        click.echo(extraction_table(s))
        return
    click.echo(f"triples: {s.triples} (distinct, over all graphs; quads: {s.quads})")
    click.echo("graphs:")
    for graph, n in sorted(s.per_graph.items()):
        click.echo(f"  {graph}  {n}")
    click.echo("things per class:")
    for cls, n in sorted(s.per_class.items()):
        click.echo(f"  {cls:<16} {n}")
    click.echo("things per document:")
    for file_name, counts in sorted(s.per_document_class.items()):
        listed = ", ".join(f"{c} {n}" for c, n in sorted(counts.items()))
        click.echo(f"  {file_name}: {listed}")


@main.command()
@click.pass_context
@friendly_errors
def validate(ctx: click.Context) -> None:
    """Check the graph against the SHACL shapes; exit 1 if anything violates them.

    \b
    Example:
        indsatsgraf validate
    """
    from .graph.validate import validate as run_validate

    violations = run_validate(open_store(ctx))
    for v in violations:
        who = f"{v.focus_label} <{v.focus}>" if v.focus_label else f"<{v.focus}>"
        click.echo(f"{v.severity}: {who}\n    {v.path}: {v.message}")
    if violations:
        click.echo(f"{len(violations)} violations", err=True)
        sys.exit(1)
    click.echo("the graph conforms to the shapes")


@main.command()
@click.argument("thing")
@click.pass_context
@friendly_errors
def show(ctx: click.Context, thing: str) -> None:
    """Everything known about THING (code, number, IRI or label) with its source lines.

    \b
    Example:
        indsatsgraf show 1.4.2
        indsatsgraf show Familiehus
    """
    from .graph.describe import describe, find

    store = open_store(ctx)
    matches = find(store, thing)
    if not matches:
        raise click.ClickException(f"nothing matches {thing!r}")
    if len(matches) > 1:
        click.echo(
            f"{len(matches)} things match {thing!r}; showing the first ({', '.join(matches[1:6])} …)",
            err=True,
        )
    d = describe(store, matches[0])
    click.echo(d.iri)
    for prop, value in d.properties:
        click.echo(f"  {prop}: {value}")
    for file_name, first, last, quote in d.sources:
        click.echo(f"\n  {file_name}, lines {first}-{last}:")
        for line in quote.splitlines():
            click.echo(f"    | {line}")


@main.command()
@click.option(
    "--endpoint",
    required=True,
    help="The endpoint's SPARQL query URL, e.g. http://127.0.0.1:7878/query.",
)
@click.option("--store-url", help="Its Graph Store Protocol URL (default: guessed, e.g. …/store).")
@click.option("--timeout", type=float, default=60.0, show_default=True)
@click.pass_context
@friendly_errors
def push(ctx: click.Context, endpoint: str, store_url: str | None, timeout: float) -> None:
    """Upload every named graph to a SPARQL endpoint and check the triple counts.

    \b
    Example:
        indsatsgraf push --endpoint http://127.0.0.1:7878/query
    """
    from .graph.remote import Endpoint
    from .graph.remote import push as run_push

    counts = run_push(open_store(ctx), Endpoint.from_url(endpoint, store_url), timeout)
    for graph, n in counts.items():
        click.echo(f"{graph}: {n} triples")
    click.echo(f"pushed {sum(counts.values())} triples in {len(counts)} graphs")


@main.command()
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    default=Path("indsatsgraf.html"),
    show_default=True,
)
@click.pass_context
@friendly_errors
def viz(ctx: click.Context, output: Path) -> None:
    """Write an interactive network page (self-contained, works offline).

    \b
    Example:
        indsatsgraf viz -o graf.html
    """
    from .viz.network import overview
    from .viz.render import render_html

    graph = overview(open_store(ctx))
    summary = render_html(graph, output, title="indsatsgraf — initiativer og forvaltninger")
    click.echo(f"wrote {output}: {summary.nodes} nodes, {summary.edges} edges")


if __name__ == "__main__":
    main()
