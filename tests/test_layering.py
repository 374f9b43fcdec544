"""The library's structure, checked: where SPARQL lives, who imports whom, one error family.

Each test reads the source (with ``ast``) or the loaded classes, so a change that
breaks the layering fails here rather than in a review.
"""

from __future__ import annotations

import ast
import importlib
import importlib.util
import inspect
import pkgutil
import re
import subprocess
import sys
from pathlib import Path

import indsatsgraf
import pytest
from indsatsgraf import errors
from indsatsgraf.errors import REMEDIES, IndsatsgrafError

ROOT = Path(indsatsgraf.__file__).parent
LIBRARY = ("graph", "queries", "viz", "importers")
#: Text that is a SPARQL query rather than prose that mentions one.
SPARQL = re.compile(
    r"\b(SELECT|CONSTRUCT|ASK|DESCRIBE)\b[^\"']*\bWHERE\s*\{|\bSELECT\s+(DISTINCT\s+)?[?*(]", re.I
)


def python_files(*folders: str) -> list[Path]:
    return sorted(p for folder in folders for p in (ROOT / folder).rglob("*.py"))


def string_literals(path: Path) -> list[tuple[int, str]]:
    """Every string constant, f-strings included (their literal parts joined)."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            found.append((node.lineno, node.value))
        elif isinstance(node, ast.JoinedStr):
            parts = [v.value for v in node.values if isinstance(v, ast.Constant)]
            found.append((node.lineno, "?x".join(str(p) for p in parts)))
    return found


def imported_modules(path: Path) -> set[str]:
    """The absolute module names ``path`` imports, relative imports resolved."""
    package = ".".join(path.relative_to(ROOT.parent).with_suffix("").parts[:-1])
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = importlib.util.resolve_name("." * node.level + (node.module or ""), package)
            names.add(base)
            names.update(f"{base}.{alias.name}" for alias in node.names)
    return names


def test_the_sparql_detector_sees_a_query_in_a_string() -> None:
    # The checks below are only as good as this pattern: it must catch what they forbid.
    assert SPARQL.search("SELECT ?s WHERE { ?s ?p ?o }")
    assert SPARQL.search("PREFIX ig: <x>\nselect distinct ?g where { graph ?g {} }")
    assert SPARQL.search("ASK WHERE { ?s a ig:Plan }")
    assert not SPARQL.search("a view shows what the SELECT query returns")


@pytest.mark.parametrize("path", python_files(*LIBRARY), ids=lambda p: str(p.relative_to(ROOT)))
def test_no_library_module_holds_sparql_text(path: Path) -> None:
    """Every query lives in a .rq file (graph/query_files.py loads the library's own)."""
    queries = [(line, text[:60]) for line, text in string_literals(path) if SPARQL.search(text)]
    assert queries == [], f"{path.name} holds SPARQL in Python strings: {queries}"


@pytest.mark.parametrize("path", python_files("graph"), ids=lambda p: p.name)
def test_graph_modules_import_neither_queries_nor_viz(path: Path) -> None:
    upward = {
        name
        for name in imported_modules(path)
        if name.startswith(("indsatsgraf.queries", "indsatsgraf.viz", "indsatsgraf.cli"))
    }
    assert upward == set(), f"{path.name} imports {upward}"


@pytest.mark.parametrize("path", python_files(*LIBRARY), ids=lambda p: str(p.relative_to(ROOT)))
def test_no_library_module_imports_the_command_line(path: Path) -> None:
    assert not {n for n in imported_modules(path) if n.startswith("indsatsgraf.cli")}


def library_modules() -> list[str]:
    names = ["indsatsgraf.errors", "indsatsgraf.files", "indsatsgraf.api"]
    for folder in LIBRARY:
        package = importlib.import_module(f"indsatsgraf.{folder}")
        for info in pkgutil.walk_packages(package.__path__, f"indsatsgraf.{folder}."):
            names.append(info.name)
    return names


def test_every_library_exception_belongs_to_the_one_family() -> None:
    outside = []
    for name in library_modules():
        module = importlib.import_module(name)
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if (
                cls.__module__ == name
                and issubclass(cls, Exception)
                and not issubclass(cls, IndsatsgrafError)
            ):
                outside.append(f"{name}.{cls.__name__}")
    # The HTTP client's own errors are caught and reworded by graph/remote.py.
    assert outside == [
        "indsatsgraf.graph.http.DeadlineExceeded",
        "indsatsgraf.graph.http.HttpError",
    ]


def test_the_named_user_errors_are_in_the_family() -> None:
    from indsatsgraf.errors import QueryError
    from indsatsgraf.files import OutputError
    from indsatsgraf.graph.deadline import QueryTimeout
    from indsatsgraf.graph.documents import DocumentError
    from indsatsgraf.graph.link_decisions import LinkDecisionError
    from indsatsgraf.graph.names import AmbiguousName, UnknownName
    from indsatsgraf.graph.pipeline import BuildError
    from indsatsgraf.graph.remote import RemoteError
    from indsatsgraf.graph.store import StoreError
    from indsatsgraf.importers.registry import UnknownLayout
    from indsatsgraf.importers.text import UnreadableSource
    from indsatsgraf.queries.catalog import QueryError as CatalogQueryError
    from indsatsgraf.viz.network import ViewError

    for cls in (
        QueryError,
        QueryTimeout,
        DocumentError,
        LinkDecisionError,
        AmbiguousName,
        UnknownName,
        BuildError,
        RemoteError,
        StoreError,
        UnknownLayout,
        UnreadableSource,
        ViewError,
        OutputError,
    ):
        assert issubclass(cls, IndsatsgrafError), cls
    assert CatalogQueryError is QueryError


def test_library_messages_name_no_command_line_option_or_command() -> None:
    """A message fits every face; the CLI adds "--timeout" or "`indsatsgraf build`" itself."""
    flags = re.compile(r"(?<![\w-])--[a-z][a-z-]+|`indsatsgraf ")
    found = []
    for path in python_files(*LIBRARY) + [ROOT / "errors.py", ROOT / "files.py", ROOT / "api.py"]:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Raise) and node.exc is not None:
                for line, text in string_literals_of(node.exc):
                    if flags.search(text):
                        found.append(f"{path.name}:{line}: {text[:70]}")
    assert found == []


def string_literals_of(node: ast.AST) -> list[tuple[int, str]]:
    return [
        (n.lineno, n.value)
        for n in ast.walk(node)
        if isinstance(n, ast.Constant) and isinstance(n.value, str)
    ]


def test_every_remedy_the_library_names_is_worded_by_both_lists() -> None:
    from indsatsgraf.cli import REMEDIES as CLI_REMEDIES

    used = set()
    for path in python_files(*LIBRARY) + [ROOT / "api.py"]:
        used |= set(re.findall(r'remedy="([a-z-]+)"', path.read_text(encoding="utf-8")))
    assert used, "the pattern found no remedy at all"
    assert used <= set(REMEDIES), used - set(REMEDIES)
    assert set(REMEDIES) == set(CLI_REMEDIES)


def test_a_remedy_survives_the_process_boundary_of_the_deadline() -> None:
    # Embedded queries run in a forked child; its error comes back pickled.
    import pickle

    error = errors.QueryError("the query ran too long", remedy="timeout")
    again = pickle.loads(pickle.dumps(error))
    assert (str(again), again.remedy) == ("the query ran too long", "timeout")


def test_the_cli_words_a_remedy_and_the_library_does_not(tmp_path: Path) -> None:
    from click.testing import CliRunner
    from indsatsgraf.cli import main
    from indsatsgraf.graph.store import GraphStore, StoreError

    with pytest.raises(StoreError) as caught:
        GraphStore(tmp_path / "none").open()
    assert "indsatsgraf" not in str(caught.value) and caught.value.remedy == "build"
    result = CliRunner().invoke(
        main, ["--store", str(tmp_path / "none"), "query", "no-such-query-name"]
    )
    assert result.exit_code == 1
    assert "no saved query named 'no-such-query-name'" in result.output
    assert "`indsatsgraf queries` lists them" in result.output


@pytest.mark.parametrize("command", [[], ["query"], ["build"], ["viz"], ["serve"], ["links"]])
def test_help_imports_no_heavy_library(command: list[str]) -> None:
    # A group's callback runs before a command's --help is printed, so the
    # store location it computes must not import the store itself.
    probe = (
        "import sys; from indsatsgraf.cli import main\n"
        f"try: main({[*command, '--help']!r})\n"
        "except SystemExit: pass\n"
        "print('heavy:', sorted(m for m in ('pyoxigraph', 'rdflib', 'networkx', 'pyvis',"
        " 'rich') if m in sys.modules), file=sys.stderr)"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert "heavy: []" in done.stderr, done.stderr


def test_each_shared_option_is_declared_once_in_the_cli() -> None:
    source = (ROOT / "cli.py").read_text(encoding="utf-8")
    for flag in ('"--format",', '"--output",', '"--param",', '"--timeout",'):
        assert source.count(flag) == 1, flag


def test_package_data_ships_every_query_folder() -> None:
    """pip install must carry the .rq files beside graph/ and viz/ code, not only queries/.

    ``ROOT`` is the package as installed (in CI a plain ``pip install``), so the
    files are looked for where an installed package has them; the declaration
    is read from the checkout's pyproject.toml.
    """
    pyproject = (Path(__file__).resolve().parent.parent / "pyproject.toml").read_text(
        encoding="utf-8"
    )
    for folder in ("graph", "viz"):
        assert list((ROOT / folder / "queries").glob("*.rq")), folder
        assert f'"indsatsgraf.{folder}" = ["queries/*.rq"]' in pyproject, folder
