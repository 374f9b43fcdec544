"""The ``indsatsgraf`` command line: a thin layer over the library.

Each command parses options, calls one library function and prints its result;
library errors become ``click.ClickException`` messages without tracebacks.
Heavy libraries (pyoxigraph, rdflib, pyvis) are imported inside commands so
that ``indsatsgraf --help`` starts instantly.
"""

from __future__ import annotations

import functools
import signal
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from . import api
from .errors import IndsatsgrafError
from .safetext import escaped, without_controls

FORMAT_CHOICES = ("table", "json", "csv", "tsv", "md")
Decorator = Callable[[Callable[..., Any]], Callable[..., Any]]


# -- options shared by several commands, each declared once ------------------------------


def format_option(
    default: str | None = "table",
    choices: tuple[str, ...] = FORMAT_CHOICES,
    help: str = "Output format.",
) -> Decorator:
    """-f/--format: the commands differ only in their default and the formats they offer."""
    return click.option(
        "-f",
        "--format",
        "fmt",
        type=click.Choice(choices),
        default=default,
        show_default=default is not None,
        help=help,
    )


def output_option(
    default: Path | None = None, *, required: bool = False, help: str = "The file to write."
) -> Decorator:
    """-o/--output: a file written atomically (or standard output where it has no default)."""
    return click.option(
        "-o",
        "--output",
        type=click.Path(path_type=Path),
        default=default,
        required=required,
        show_default=default is not None,
        help=help,
    )


def param_option(help: str = "A query parameter (repeatable).") -> Decorator:
    """-p/--param NAME=VALUE, read by :func:`parse_params`."""
    return click.option("-p", "--param", "params", multiple=True, metavar="NAME=VALUE", help=help)


def timeout_option(
    default: float = api.QUERY_TIMEOUT,
    help: str = "Seconds the query may take in all, on the embedded store or an endpoint.",
) -> Decorator:
    return click.option("--timeout", type=float, default=default, show_default=True, help=help)


#: What the user can do next, by the library's remedy key (errors.REMEDIES), in this face's words.
REMEDIES = {
    "build": "run `indsatsgraf build` first",
    "rebuild": "rebuild it with `indsatsgraf build` (the old graph is replaced atomically)",
    "fresh": "run `indsatsgraf build --fresh [SOURCES…]` to build it anew (from the bundled "
    "documents when no SOURCES are given)",
    "max-file-size": "raise the limit with --max-file-size",
    "timeout": "raise the limit with --timeout",
    "allow-service": "allow it with --allow-service URL or INDSATSGRAF_ALLOW_SERVICE",
    "importer": "force one with --importer NAME",
    "queries": "`indsatsgraf queries` lists them",
    "links": "copy it from `indsatsgraf links`",
    "focus": "name it with --focus THING",
    "query": "name it with --query NAME",
    "store": "give a new or empty folder with --store, so nothing of yours is replaced",
    "decisions": "fix it, or point --decisions / $INDSATSGRAF_LINK_DECISIONS elsewhere",
}


def worded(error: IndsatsgrafError) -> str:
    """The library's message with what to do next, in this command line's words."""
    message = str(error)
    hint = REMEDIES.get(error.remedy or "")
    return without_controls(f"{message}; {hint}" if hint else message)


def friendly_errors(command: Callable[..., Any]) -> Callable[..., Any]:
    """Turn the library's own errors into messages and exit codes; anything else is a bug.

    Every error meant for the user is an IndsatsgrafError (errors.py); a failed
    build keeps its report of every file that could not be imported.
    """

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except IndsatsgrafError as error:
            failures = getattr(error, "failures", None)
            if failures is None:
                raise click.ClickException(worded(error)) from None
            if error.imported:
                good = ", ".join(escaped(path.name) for path in error.imported)
                click.echo(f"read fine: {good}", err=True)
            click.echo("could not import:", err=True)
            for path, problem in failures:
                click.echo(f"  {escaped(str(path))}: {without_controls(problem)}", err=True)
            for remedy in error.remedies:
                click.echo(f"  ({REMEDIES.get(remedy, remedy)})", err=True)
            raise click.ClickException(
                "nothing was kept; the existing graph is unchanged"
            ) from None

    return wrapper


def open_store(ctx: click.Context, *, build_if_missing: bool = True) -> Any:
    """The current graph, built from the bundled documents first if there is none."""
    from . import api

    return api.open_graph(
        ctx.obj["store"],
        build_if_missing=build_if_missing,
        progress=lambda message: click.echo(message, err=True),
    )


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
    signal.signal(signal.SIGTERM, _stop_cleanly)
    ctx.obj = {"store": store or api.default_store_path()}


def _stop_cleanly(signum: int, frame: object) -> None:
    """SIGTERM unwinds like Ctrl-C, so half-written generations and output files are removed.

    The default action would end the process on the spot and leave them on disk.
    """
    click.echo("stopped (SIGTERM); nothing half-written was kept", err=True)
    raise SystemExit(128 + signum)


def compact_option(command: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--compact",
        is_flag=True,
        help="Compact the store's indexes before the new graph goes live: for a large archive "
        "that is queried often (queries 1.2-2.2x faster on 500 documents, build about a fifth "
        "slower).",
    )(command)


def build_progress(quiet: bool) -> Callable[[str], None] | None:
    return None if quiet else (lambda message: click.echo(f"  {escaped(message)}", err=True))


@main.command()
@click.argument("sources", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--fresh",
    is_flag=True,
    help="Build from SOURCES alone (the bundled documents when none are given), dropping "
    "every document in the graph.",
)
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
@click.option(
    "--dry-run",
    is_flag=True,
    help="Show what SOURCES would add and which links they would make; write nothing.",
)
@compact_option
@click.pass_context
@friendly_errors
def build(
    ctx: click.Context,
    sources: tuple[Path, ...],
    fresh: bool,
    importer_name: str | None,
    quiet: bool,
    max_file_size: int,
    dry_run: bool,
    compact: bool,
) -> None:
    """Add SOURCES (files or directories) to the graph, keeping its other documents.

    A document already in the graph (the same file name, as a slug) is
    replaced; every other one is kept, and the links are made anew over all of
    them. Without SOURCES the documents in the graph are rebuilt (an empty
    store gets the bundled documents). --fresh builds from SOURCES alone.

    The build is all or nothing: if any file cannot be imported, the existing
    graph stays exactly as it was.

    \b
    Example:
        indsatsgraf build
        indsatsgraf build tests/data/kff-indsatsplan-2025-2028.txt
        indsatsgraf build --fresh data/sources/tvaergaaende-indsatsplan-2015.txt
        indsatsgraf build --compact archive/
        indsatsgraf build --dry-run tests/data/kff-indsatsplan-2025-2028.txt
    """
    if dry_run:
        if not sources:
            raise click.UsageError("--dry-run needs the SOURCES it would add")
        found = api.preview(
            ctx.obj["store"], sources, importer=importer_name, max_bytes=max_file_size * 2**20
        )
        print_preview(ctx, found, quiet)
        return
    summary = api.build(
        ctx.obj["store"],
        sources,
        fresh=fresh,
        importer=importer_name,
        max_bytes=max_file_size * 2**20,
        compact=compact,
        progress=build_progress(quiet),
    )
    print_build_summary(ctx, summary, quiet)


@main.command()
@click.argument("document")
@click.option("-q", "--quiet", is_flag=True, help="Print only the summary line.")
@compact_option
@click.pass_context
@friendly_errors
def remove(ctx: click.Context, document: str, quiet: bool, compact: bool) -> None:
    """Take DOCUMENT (its file name or slug) out of the graph, keeping the others.

    The links are made anew over the documents that stay. Like `build`, it is
    all or nothing. The last document is not removed; `build --fresh` starts over.

    \b
    Example:
        indsatsgraf remove kff-indsatsplan-2025-2028.txt
    """
    summary = api.remove(
        ctx.obj["store"], document, compact=compact, progress=build_progress(quiet)
    )
    print_build_summary(ctx, summary, quiet)


def print_preview(ctx: click.Context, found: Any, quiet: bool) -> None:
    """A dry run: what each new document holds, the links it would make, nothing written."""
    print_build_summary(ctx, found.summary, quiet, verb="would add to")
    if not quiet:
        for link in found.links:
            click.echo(
                f"link: {link.source_label or link.source} —{link.relation}→ "
                f"{link.target_label or link.target}"
            )
    click.echo(f"{len(found.links)} links would be made; nothing was written")


def print_build_summary(ctx: click.Context, summary: Any, quiet: bool, verb: str = "built") -> None:
    """Each document with its counts, what changed, then one summary line."""
    if not quiet:
        for doc in summary.documents:
            click.echo(
                f"{escaped(doc.file_name)}: {doc.importer} ({doc.confidence:.2f}) — {doc.goals} goals, "
                f"{doc.initiatives} initiatives, {doc.indicators} indicators, "
                f"{doc.budget_items} budget items, {doc.triples} triples"
            )
            if summary.facts.get(doc.file_name):
                click.echo(f"  facts: {', '.join(map(str, summary.facts[doc.file_name]))}")
        for file_name, names in sorted(summary.report.unknown_organisations.items()):
            click.echo(f"{escaped(file_name)}: unknown organisations: {'; '.join(sorted(names))}")
        for file_name, names in sorted(summary.report.new_partners.items()):
            listed = "; ".join(sorted(names))
            click.echo(f"{escaped(file_name)}: partners not in the registry: {listed}")
        for file_name, problems in sorted(summary.report.warnings.items()):
            for problem in problems:
                click.echo(f"{escaped(file_name)}: warning: {problem}")
        for change, names in summary.changes.items():
            if names:
                click.echo(f"{change}: {', '.join(escaped(name) for name in names)}")
    for path, why in summary.skipped:  # shown even with --quiet: files the user may miss
        click.echo(f"skipped {escaped(str(path))}: {why}", err=True)
    for problem in summary.decision_problems:
        click.echo(f"warning: link decision {escaped(problem)}", err=True)
    counted = ", ".join(f"{len(names)} {change}" for change, names in summary.changes.items())
    click.echo(
        f"{verb} {ctx.obj['store']} with {summary.triples} quads from "
        f"{len(summary.documents)} documents ({counted})"
    )


@main.command("documents")
@format_option()
@click.pass_context
@friendly_errors
def list_documents(ctx: click.Context, fmt: str) -> None:
    """List the documents in the graph: file, importer, confidence, counts, checksum, when built.

    The table leaves out the slug and the original path, marks an importer named
    with --importer "(forced)" and cuts the SHA-256 checksum to 12 characters;
    the other formats give every field whole.

    \b
    Example:
        indsatsgraf documents
        indsatsgraf documents --format json
    """
    from dataclasses import asdict

    from .graph.sparql import QueryResult

    open_store(ctx)  # builds the bundled documents into an empty store, as every reader does
    rows: list[dict[str, Any]] = [asdict(doc) for doc in api.documents(ctx.obj["store"])]
    if fmt == "table":
        for row in rows:
            row["importer"] += " (forced)" if row.pop("forced") else ""
            row["confidence"] = f"{row['confidence']:.2f}"
            row["sha256"] = row["sha256"][:12]
            del row["slug"], row["original_path"]
    variables = list(rows[0]) if rows else []
    print_result(QueryResult("SELECT", variables, rows), fmt)


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
@param_option()
@format_option()
@click.option("--limit", type=click.IntRange(min=1), help="At most this many rows.")
@click.option("--endpoint", help="Run on this SPARQL 1.1 endpoint instead of the embedded store.")
@timeout_option()
@click.option(
    "--allow-service",
    "allow_service",
    multiple=True,
    metavar="URL",
    envvar="INDSATSGRAF_ALLOW_SERVICE",
    help="Let SERVICE <URL> (a federated query) call this endpoint (repeatable; "
    "env INDSATSGRAF_ALLOW_SERVICE, separated by spaces). Without it SERVICE is refused.",
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
    allow_service: tuple[str, ...],
) -> None:
    """Run a saved query NAME, a query FILE.rq, or -e 'SPARQL'.

    Parameters are checked against their declared types and bound as RDF
    terms, never pasted into the query text. A parameter that names a thing
    takes what `show` takes (2.1.5, 2015:2.1.5, Familiehus, an IRI); a plan
    parameter takes a file name, slug, year or words of the title (2015). ASK
    queries exit 1 when false. -e text has the prefixes ig, id, skos, org,
    prov, dcterms, rdf, rdfs, xsd and owl declared.
    A query that runs longer than --timeout is stopped. SERVICE calls to other
    endpoints are refused unless the endpoint is named with --allow-service.

    \b
    Example:
        indsatsgraf query multi-department-initiatives --param department=BIF
        indsatsgraf query initiative-lineage --param initiative=2015:2.1.5
        indsatsgraf query -e 'SELECT (COUNT(*) AS ?n) WHERE { ?s a ig:Initiative }' --format json
    """
    if bool(name) == bool(expression):
        raise click.UsageError("give either a query NAME/FILE or -e 'SPARQL', not both or neither")
    # Checked before the store is opened (or built): a bad query costs no build.
    saved = api.check_query(
        api.find_query(expression or name or "", inline=bool(expression)),
        timeout=timeout,
        allow_service=allow_service,
    )
    where = {
        "store": None if endpoint else open_store(ctx),
        "endpoint": endpoint,
        "limit": limit,
        "timeout": timeout,
        "allow_service": allow_service,
        "store_path": None if endpoint else ctx.obj["store"],
    }
    if saved.form == "SELECT" and fmt in ("json", "csv", "tsv"):
        # Written row by row as the store finds them: a whole archive's answer is never held.
        out = sys.stdout
        api.write_rows(api.stream_query(saved, parse_params(params), **where), fmt, out)
        if fmt == "json":
            out.write("\n")
        return
    result = api.run_query(saved, parse_params(params), **where)
    print_result(result, fmt)
    if result.form == "ASK" and not result.boolean:
        sys.exit(1)


def print_table(result: Any) -> None:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    from .graph.describe import compact
    from .queries.formats import printable

    table = Table(show_lines=False)
    for variable in result.variables:
        table.add_column(variable, overflow="fold")
    for row in result.rows:
        # IRIs are shortened with the project's prefixes (id:…, ig:…) to keep rows readable;
        # cells are Text, not strings, so "[bold]" in the data is shown, not read as markup.
        table.add_row(
            *(
                Text("" if row.get(v) is None else printable(compact(str(row.get(v)))))
                for v in result.variables
            )
        )
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

    queries = api.saved_queries()
    if as_json:
        click.echo(
            json.dumps(
                [
                    {
                        "name": q.name,
                        "summary": q.summary,
                        "tags": list(q.tags),
                        "parameters": [
                            {
                                "name": p.name,
                                "type": p.type,
                                "choices": list(p.choices),
                                "default": p.default,
                                "doc": p.doc,
                            }
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
            default = f" (default: {p.default})" if p.default is not None else ""
            click.echo(f"    --param {p.name}=<{p.shown_type}>  {p.doc}{default}")


@main.command()
@format_option("trig", ("ttl", "trig", "nt", "nq", "jsonld"))
@output_option(help="Write to this file instead of standard output.")
@click.pass_context
@friendly_errors
def export(ctx: click.Context, fmt: str, output: Path | None) -> None:
    """Write the whole graph as Turtle, TriG, N-Triples, N-Quads or JSON-LD.

    \b
    Example:
        indsatsgraf export --format nt -o graf.nt
    """
    from .files import check_target, write_atomically

    if output:
        check_target(output)
    data = api.export(open_store(ctx), fmt)
    if output:
        write_atomically(output, data)
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

    s = api.stats(open_store(ctx))
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
    violations = api.validate(open_store(ctx))
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
    """Everything known about THING with its source lines.

    THING is a number or code (2.1.5, SOF, HA01), a label or part of one
    (Familiehus), or an IRI, full or as `show` prints it (id:…). A name that
    is not an IRI is matched case-insensitively, best first: 1. a number or
    code equal to it, 2. a label equal to it, 3. a label starting with it,
    4. a label containing it. Within the best of these, initiatives and goals
    come before other things and organisations last. When several things are
    left, nothing is shown: they are listed with kind, plan and IRI, and
    PLAN:NAME (e.g. 2015:2.1, the plan by year, file name or slug) or the
    IRI picks one. The same names work in query parameters, viz --focus,
    analyze path and links accept|reject.

    \b
    Example:
        indsatsgraf show 1.4.2
        indsatsgraf show 2015:2.1
        indsatsgraf show Familiehus
        indsatsgraf show id:org/sof
    """
    from .queries.formats import printable

    d = api.describe(open_store(ctx), thing)
    click.echo(d.iri)
    for prop, value in d.properties:
        click.echo(printable(f"  {prop}: {value}"))
    for file_name, first, last, quote in d.sources:
        click.echo(printable(f"\n  {file_name}, lines {first}-{last}:"))
        for line in quote.splitlines():
            click.echo(printable(f"    | {line}"))


@main.command()
@click.option(
    "--endpoint",
    required=True,
    help="The endpoint's SPARQL query URL, e.g. http://127.0.0.1:7878/query.",
)
@click.option(
    "--store-url",
    help="Its Graph Store Protocol URL (default: the product's, read from its Server header; docs/endpoints.md).",
)
@timeout_option(help="Seconds each request to the endpoint may take.")
@click.pass_context
@friendly_errors
def push(ctx: click.Context, endpoint: str, store_url: str | None, timeout: float) -> None:
    """Upload every named graph to a SPARQL endpoint and check the triple counts.

    Credentials come from INDSATSGRAF_ENDPOINT_USER and _PASSWORD and are sent
    only when the endpoint asks (Basic or Digest), and only to its origin.

    \b
    Example:
        indsatsgraf push --endpoint http://127.0.0.1:7878/query
        INDSATSGRAF_ENDPOINT_USER=dba INDSATSGRAF_ENDPOINT_PASSWORD=… \\
            indsatsgraf push --endpoint http://127.0.0.1:8890/sparql
    """
    counts = api.push(open_store(ctx), endpoint, store_url=store_url, timeout=timeout)
    for graph, n in counts.items():
        click.echo(f"{graph}: {n} triples")
    click.echo(f"pushed {sum(counts.values())} triples in {len(counts)} graphs")


VIEW_CHOICES = ("overview", "departments", "focus", "dependencies", "lineage", "query")
#: Pictures that are charts, not networks (only `viz` draws them).
CHART_CHOICES = ("indicators",)
PICTURE_FORMATS = ("html", "svg", "png")


def view_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """The view and its filters, shared by `viz` and `analyze`."""
    options = [
        click.option(
            "--view",
            type=click.Choice(VIEW_CHOICES + CHART_CHOICES),
            help="Which picture (default: overview; focus with --focus, query with --query).",
        ),
        click.option(
            "--focus", metavar="THING", help="The thing at the centre: code, number, IRI or label."
        ),
        click.option(
            "--depth",
            type=click.IntRange(min=0),
            default=1,
            show_default=True,
            help="How many relations away from --focus (or the query's things) to show.",
        ),
        click.option(
            "--query", "query_name", metavar="NAME", help="Draw this saved SELECT/CONSTRUCT query."
        ),
        param_option(help="A parameter of --query (repeatable)."),
        click.option(
            "--plan",
            "plans",
            multiple=True,
            help="Only these plans (IRI or part of the file name, e.g. 2015).",
        ),
        click.option(
            "--department",
            "departments",
            multiple=True,
            help="Only things involving this department (code).",
        ),
        click.option(
            "--class",
            "classes",
            multiple=True,
            help="Only these classes (Initiative, Department, Goal …).",
        ),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def view_spec(
    view: str | None,
    focus: str | None,
    depth: int,
    query_name: str | None,
    params: tuple[str, ...],
    plans: tuple[str, ...],
    departments: tuple[str, ...],
    classes: tuple[str, ...],
) -> Any:
    from .viz.network import ViewSpec

    return ViewSpec(
        view, focus, depth, query_name, parse_params(params), plans, departments, classes
    )


@main.command()
@output_option(Path("indsatsgraf.html"), help="The page to write.")
@format_option(
    None,
    PICTURE_FORMATS,
    help="html (interactive page), svg or png (print resolution, 3x); default: from -o's suffix.",
)
@click.option(
    "--size-by",
    type=click.Choice(["degree", "amount"]),
    default="degree",
    show_default=True,
    help="Node size by number of links or by kroner.",
)
@view_options
@click.pass_context
@friendly_errors
def viz(ctx: click.Context, output: Path, fmt: str | None, size_by: str, **view: Any) -> None:
    """Write a picture: an interactive page (self-contained, works offline), SVG or PNG.

    Views: overview (plans, goals, initiatives, departments, budget items,
    indicators), departments (who shares initiatives with whom), focus (the
    neighbourhood of one thing), dependencies (what one initiative rests on),
    lineage (the same initiative across plans), query (a saved query as a graph)
    and indicators (baseline, status and target of each indicator, as a chart).

    \b
    Example:
        indsatsgraf viz -o graf.html
        indsatsgraf viz --view departments -o forvaltninger.svg
        indsatsgraf viz --focus 1.4.2 --depth 2 -o 1.4.2.png
        indsatsgraf viz --view dependencies --focus 1.4.2 -o afhaengigheder.html
        indsatsgraf viz --view lineage --plan 2015 -o forloeb.html
        indsatsgraf viz --view indicators -o fremdrift.png
        indsatsgraf viz --query multi-department-initiatives --class Initiative --class Department
    """
    from .files import check_target, write_atomically

    check_target(output)
    data, what = api.picture(
        open_store(ctx), view_spec(**view), fmt or picture_format(output), size_by=size_by
    )
    write_atomically(output, data)
    click.echo(f"wrote {output}: {what}")


def picture_format(output: Path) -> str:
    """The format -o's suffix names; a page when it names none of them."""
    suffix = output.suffix.lower().lstrip(".")
    return suffix if suffix in PICTURE_FORMATS else "html"


def print_result(result: Any, fmt: str) -> None:
    """A rich table for SELECT rows; every other form and format as the library renders it."""
    if fmt == "table" and result.form == "SELECT":
        print_table(result)
    else:
        click.echo(api.render(result, fmt))


top_option = click.option(
    "--top", type=click.IntRange(min=1), default=10, show_default=True, help="How many initiatives."
)


@main.group()
def analyze() -> None:
    """Measure the network: centrality, communities, bridges, paths; export for Gephi.

    Each analysis takes the same view and filters as `viz` (default: the overview).

    \b
    Example:
        indsatsgraf analyze bridges
        indsatsgraf analyze path 1.4.2 BUF
        indsatsgraf analyze export --format gexf -o indsatsgraf.gexf
    """


@analyze.command()
@view_options
@top_option
@format_option()
@click.pass_context
@friendly_errors
def centrality(ctx: click.Context, top: int, fmt: str, **view: Any) -> None:
    """Degree and betweenness centrality of departments and the top initiatives.

    \b
    Example:
        indsatsgraf analyze centrality --top 5
        indsatsgraf analyze centrality --view departments
    """
    print_result(api.analyze(open_store(ctx), "centrality", view_spec(**view), top=top), fmt)


@analyze.command()
@view_options
@format_option()
@click.pass_context
@friendly_errors
def communities(ctx: click.Context, fmt: str, **view: Any) -> None:
    """Communities (Louvain) with their departments and best-connected members.

    \b
    Example:
        indsatsgraf analyze communities --class Initiative --class Department
    """
    print_result(api.analyze(open_store(ctx), "communities", view_spec(**view)), fmt)


@analyze.command()
@view_options
@top_option
@format_option()
@click.pass_context
@friendly_errors
def bridges(ctx: click.Context, top: int, fmt: str, **view: Any) -> None:
    """The departments and initiatives that tie departments together the most.

    \b
    Example:
        indsatsgraf analyze bridges --plan 2015
    """
    print_result(api.analyze(open_store(ctx), "bridges", view_spec(**view), top=top), fmt)


@analyze.command()
@click.argument("source")
@click.argument("target")
@view_options
@format_option()
@click.pass_context
@friendly_errors
def path(ctx: click.Context, source: str, target: str, fmt: str, **view: Any) -> None:
    """The shortest chain of relations from SOURCE to TARGET (code, number, IRI or label).

    \b
    Example:
        indsatsgraf analyze path 2.1.5 BIF
        indsatsgraf analyze path 1.4.2 SUF --class Initiative --class Goal
    """
    spec = view_spec(**view)
    found = api.analyze(open_store(ctx), "path", spec, source=source, target=target)
    print_result(found, fmt)


@analyze.command("export")
@view_options
@format_option("graphml", ("graphml", "gexf"))
@output_option(required=True)
@click.pass_context
@friendly_errors
def export_view(ctx: click.Context, fmt: str, output: Path, **view: Any) -> None:
    """Write a view as GraphML or GEXF, for Gephi and Cytoscape.

    \b
    Example:
        indsatsgraf analyze export --format gexf -o indsatsgraf.gexf
        indsatsgraf analyze export --view departments -o forvaltninger.graphml
    """
    nodes, edges = api.export_view(open_store(ctx), view_spec(**view), fmt, output)
    click.echo(f"wrote {output}: {nodes} nodes, {edges} edges")


@main.command()
@output_option(Path("docs/queries.md"), help="The page to write or check.")
@click.option("--check", is_flag=True, help="Do not write; exit 1 if the page is out of date.")
@friendly_errors
def docs(output: Path, check: bool) -> None:
    """Write the saved-query reference page with real example answers.

    The examples come from a fresh graph of the bundled documents, so the page
    does not depend on your store. With --check nothing is written and the exit
    code says whether the page is up to date.

    \b
    Example:
        indsatsgraf docs
        indsatsgraf docs --check
    """
    from .files import write_atomically
    from .queries.docs import bundled_store, render_page, stale

    with bundled_store() as store:
        page = render_page(store)
    if check:
        if stale(output, page):
            click.echo(
                f"{output} is out of date; run `indsatsgraf docs` to regenerate it", err=True
            )
            sys.exit(1)
        click.echo(f"{output} is up to date")
        return
    output.parent.mkdir(parents=True, exist_ok=True)
    write_atomically(output, page.encode("utf-8"))
    click.echo(f"wrote {output} ({page.count(chr(10) + '## ')} queries)")


@main.group(invoke_without_command=True)
@click.option(
    "--decisions",
    type=click.Path(path_type=Path),
    envvar="INDSATSGRAF_LINK_DECISIONS",
    help="Your link-decisions file (default: $XDG_DATA_HOME/indsatsgraf/link-decisions.tsv, "
    "read over the package's shipped data/link-decisions.tsv). Env: INDSATSGRAF_LINK_DECISIONS.",
)
@click.pass_context
def links(ctx: click.Context, decisions: Path | None) -> None:
    """Cross-document links: list candidates awaiting review, accept or reject them.

    Links scoring between the review and the acceptance threshold are
    candidates. A decision is written to the decisions file and applied by the
    next `indsatsgraf build`; `links` alone lists the candidates.

    \b
    Example:
        indsatsgraf links
        indsatsgraf links accept tvaergaaende-indsatsplan-2015/initiative/1.4.2 \
            sof-indsatsplan-status-2019/initiative/hjerneskadekoordinationen-samarbejde-mellem-sundheds-og
        indsatsgraf build
    """
    ctx.obj["decisions"] = decisions
    if ctx.invoked_subcommand is None:
        ctx.invoke(list_links)


@links.command("list")
@format_option("md")
@click.pass_context
@friendly_errors
def list_links(ctx: click.Context, fmt: str = "md") -> None:
    """List the candidate links awaiting review, with their score and evidence.

    \b
    Example:
        indsatsgraf links list --format json
    """
    print_result(api.link_candidates(open_store(ctx)), fmt)


def _record_link_decision(
    ctx: click.Context, source: str, target: str, decision: str, note: str
) -> None:
    store = open_store(ctx)
    made = api.decide_link(
        store, source, target, decision, note=note, decisions=ctx.obj.get("decisions")
    )
    first, second, path = made
    click.echo(f"{decision}ed {first} ↔ {second} in {path}")
    click.echo("run `indsatsgraf build` to apply it to the graph")


def _decision_command(decision: str, example: str) -> None:
    """Register `links accept` or `links reject`: the same arguments, one word apart."""

    @links.command(decision)
    @click.argument("source")
    @click.argument("target")
    @click.option("--note", default="", help="Why (kept in the decisions file).")
    @click.pass_context
    @friendly_errors
    def command(ctx: click.Context, source: str, target: str, note: str) -> None:
        _record_link_decision(ctx, source, target, decision, note)

    command.help = (
        f"{decision.capitalize()} the link SOURCE ↔ TARGET: two things of the graph, named "
        "as `show` accepts them (an IRI, its part after …/id/, PLAN:NUMBER, a label); the "
        "decision records their full IRIs."
        f"\n\n\b\nExample:\n    indsatsgraf links {decision} {example}"
    )


_decision_command(
    "accept",
    "tvaergaaende-indsatsplan-2015/initiative/1.1.2 \\\n"
    "        sof-indsatsplan-status-2019/initiative/sikre-et-tilstraekkeligt-antal-botilbudspladser-til-det \\\n"
    '        --note "Sølund in both"',
)
_decision_command(
    "reject",
    "tvaergaaende-indsatsplan-2015/initiative/1.5.1 \\\n"
    "        bif-indsatsplan-2018-2022/initiative/bif-har-fokus-paa-at-samarbejde-med-hhv-socialforvaltningen-sof-og-sundheds-og",
)


@main.command()
@click.option("--port", type=click.IntRange(1, 65535), default=8000, show_default=True)
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option(
    "--read-only", is_flag=True, help="Refuse every change: link decisions and uploaded documents."
)
@click.option(
    "--writable",
    is_flag=True,
    help="Allow changes even when listening on an address other than 127.0.0.1.",
)
@click.option(
    "--sources",
    "source_dirs",
    multiple=True,
    type=click.Path(path_type=Path, file_okay=False),
    help="A folder with the source documents (their text is shown on document pages).",
)
@click.pass_context
@friendly_errors
def serve(
    ctx: click.Context,
    port: int,
    host: str,
    read_only: bool,
    writable: bool,
    source_dirs: tuple[Path, ...],
) -> None:
    """Serve the graph as a web application for planners (Danish, works offline).

    On any address but 127.0.0.1 the server is read-only unless --writable.

    \b
    Example:
        indsatsgraf serve
        indsatsgraf serve --host 0.0.0.0 --port 8080
    """
    import uvicorn

    from .web.app import Settings, create_app

    open_store(ctx)
    local = host in ("127.0.0.1", "localhost", "::1")
    locked = read_only or (not local and not writable)
    app = create_app(Settings(ctx.obj["store"], read_only=locked, source_dirs=source_dirs))
    mode = "read-only" if locked else "writable"
    click.echo(f"indsatsgraf serves {ctx.obj['store']} at http://{host}:{port}/ ({mode})", err=True)
    if locked and not read_only:
        click.echo(
            "read-only because it listens beyond this machine; --writable allows changes", err=True
        )
    uvicorn.run(app, host=host, port=port, log_level="warning")


if __name__ == "__main__":
    main()
