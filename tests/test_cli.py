"""The command line as a user meets it: outputs, formats, errors, exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import SOURCES
from indsatsgraf.cli import main


@pytest.fixture(scope="module")
def store_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("cli") / "store"
    result = CliRunner().invoke(main, ["--store", str(path), "build"])
    assert result.exit_code == 0, result.output
    return path


def run(store_dir: Path, *args: str) -> object:
    return CliRunner().invoke(main, ["--store", str(store_dir), *args])


def test_build_reports_each_document_with_its_importer(store_dir: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["--store", str(tmp_path / "s"), "build"])
    assert result.exit_code == 0
    assert "tvaergaaende-indsatsplan-2015.txt: tvaergaaende-2015" in result.output
    assert "32 initiatives" in result.output


def test_build_compact_says_so_and_builds_the_same_documents(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["--store", str(tmp_path / "s"), "build", "--compact"])
    assert result.exit_code == 0, result.output
    assert "compacting the indexes" in result.output
    assert "built " in result.output and "from 5 documents" in result.output


def test_multi_department_query_lists_the_known_cross_department_initiatives(
    store_dir: Path,
) -> None:
    result = run(store_dir, "query", "multi-department-initiatives", "--format", "json")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    by_notation = {
        r["notation"]: r for r in rows if r["plan"] == "tvaergaaende-indsatsplan-2015.txt"
    }
    assert by_notation["1.4.2"]["departments"] == "BIF, BUF, SOF, SUF"
    assert by_notation["1.4.2"]["departmentCount"] == 4
    assert by_notation["2.1.1"]["departments"] == "BUF, SOF"
    assert by_notation["1.4.1"]["departments"] == "BIF, SOF"
    counts = [r["departmentCount"] for r in rows]
    assert counts == sorted(counts, reverse=True)
    assert all(r["departmentCount"] >= 2 for r in rows)
    # The column holds initiatives and særlige prioriteringer; kind tells them apart.
    assert by_notation["1.4.2"]["kind"] == "indsats"
    assert {r["kind"] for r in rows} == {"indsats", "særlig prioritering"}
    assert set(rows[0]) == {
        "initiative",
        "kind",
        "label",
        "notation",
        "departments",
        "departmentCount",
        "plan",
    }


def test_department_parameter_filters_and_bad_code_is_refused(store_dir: Path) -> None:
    result = run(
        store_dir, "query", "multi-department-initiatives", "-p", "department=SUF", "-f", "json"
    )
    rows = json.loads(result.output)
    assert rows and all("SUF" in r["departments"] for r in rows)
    bad = run(store_dir, "query", "multi-department-initiatives", "-p", "department=XYZ")
    assert bad.exit_code != 0
    assert "not a department code" in bad.output
    assert "Traceback" not in bad.output


@pytest.mark.parametrize(
    "fmt,marker",
    [
        ("csv", "initiative,kind,label"),
        ("tsv", "initiative\tkind\tlabel"),
        ("md", "| initiative | kind | label"),
    ],
)
def test_formats(store_dir: Path, fmt: str, marker: str) -> None:
    result = run(store_dir, "query", "multi-department-initiatives", "--format", fmt)
    assert result.exit_code == 0
    assert result.output.startswith(marker)
    assert "1.4.2" in result.output


def test_table_format_shows_rows(store_dir: Path) -> None:
    result = run(store_dir, "query", "multi-department-initiatives", "--limit", "3")
    assert result.exit_code == 0
    assert "3 rows" in result.output


def test_unknown_query_suggests_close_names(store_dir: Path) -> None:
    result = run(store_dir, "query", "multi-department-initiativs")
    assert result.exit_code != 0
    assert "Did you mean: multi-department-initiatives" in result.output


def test_unknown_parameter_is_refused_with_the_known_ones(store_dir: Path) -> None:
    result = run(store_dir, "query", "multi-department-initiatives", "-p", "departement=SOF")
    assert result.exit_code != 0
    assert "did you mean department" in result.output


def test_update_is_refused(store_dir: Path) -> None:
    result = run(store_dir, "query", "-e", "INSERT DATA { <http://a> <http://b> <http://c> }")
    assert result.exit_code != 0
    assert "update" in result.output


def test_ask_exit_code_follows_the_answer(store_dir: Path) -> None:
    yes = run(
        store_dir, "query", "-e", "ASK { ?s a <https://w3id.org/indsatsgraf/ontology#Initiative> }"
    )
    no = run(store_dir, "query", "-e", "ASK { ?s a <http://example.org/Nothing> }")
    assert (yes.exit_code, yes.output.strip()) == (0, "yes")
    assert (no.exit_code, no.output.strip()) == (1, "no")


def test_queries_lists_names_summaries_and_parameters() -> None:
    result = CliRunner().invoke(main, ["queries"])
    assert result.exit_code == 0
    assert "multi-department-initiatives" in result.output
    assert "--param department=<department>" in result.output


def test_stats_and_export_agree(store_dir: Path) -> None:
    stats_out = run(store_dir, "stats").output
    triples = int(stats_out.split("triples: ")[1].split()[0])
    nt = run(store_dir, "export", "--format", "nt").output
    assert len([line for line in nt.splitlines() if line.strip()]) == triples


def test_validate_passes_on_the_bundled_documents(store_dir: Path) -> None:
    result = run(store_dir, "validate")
    assert result.exit_code == 0, result.output
    assert "conforms" in result.output


def test_show_prints_the_source_lines(store_dir: Path) -> None:
    result = run(store_dir, "show", "1.4.2")
    assert result.exit_code == 0
    assert "tvaergaaende-indsatsplan-2015.txt, lines 396-" in result.output
    assert "Sammenhængende og helhedsorienteret indsats" in result.output


def test_build_of_a_bad_file_exits_nonzero_without_traceback(
    store_dir: Path, tmp_path: Path
) -> None:
    bad = tmp_path / "noise.txt"
    bad.write_text("lorem ipsum\n" * 20)
    result = run(store_dir, "build", str(bad))
    assert result.exit_code == 1
    assert "noise.txt" in result.output and "no importer recognises" in result.output
    assert "Traceback" not in result.output
    assert run(store_dir, "show", "1.4.2").exit_code == 0


def test_query_without_a_store_builds_one_first(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        main,
        ["--store", str(tmp_path / "new"), "query", "multi-department-initiatives", "-f", "csv"],
    )
    assert result.exit_code == 0
    assert "1.4.2" in result.output


def test_store_from_environment_variable(tmp_path: Path) -> None:
    path = tmp_path / "envstore"
    result = CliRunner().invoke(
        main,
        ["build", str(SOURCES / "tvaergaaende-indsatsplan-2015.txt")],
        env={"INDSATSGRAF_STORE": str(path)},
    )
    assert result.exit_code == 0
    assert (path / "current").is_symlink()


def test_a_query_loads_neither_the_importers_nor_networkx(store_dir: Path) -> None:
    # Start-up time is measured in benchmarks/; this pins the reason it is short:
    # a query on an existing graph needs no importer, linker, view or networkx.
    import subprocess
    import sys

    probe = (
        "import sys; from indsatsgraf.cli import main\n"
        "try: main(['--store', sys.argv[1], 'query', 'ontology-terms', '--limit', '1'])\n"
        "except SystemExit: pass\n"
        "heavy = [m for m in ('networkx', 'rdflib', 'pyvis', 'indsatsgraf.graph.pipeline',"
        " 'indsatsgraf.importers.registry', 'indsatsgraf.viz.network') if m in sys.modules]\n"
        "print('heavy:', heavy, file=sys.stderr)"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe, str(store_dir)], capture_output=True, text=True, check=True
    )
    assert "heavy: []" in done.stderr, done.stderr
