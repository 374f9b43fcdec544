"""Bad input: every case gives a clear message naming the file, exit 1, no traceback,
and leaves the existing store exactly as it was (docs/robustness.md lists them)."""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import SOURCES
from indsatsgraf.cli import main
from indsatsgraf.graph.export import canonical_nquads
from indsatsgraf.graph.store import GraphStore
from indsatsgraf.importers.registry import choose
from indsatsgraf.importers.text import from_string, read_source

PLAN_2015 = SOURCES / "tvaergaaende-indsatsplan-2015.txt"
BIF = SOURCES / "bif-indsatsplan-2018-2022.txt"


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    path = tmp_path_factory.mktemp("bad") / "store"
    assert CliRunner().invoke(main, ["--store", str(path), "build", str(BIF)]).exit_code == 0
    return path, canonical_nquads(GraphStore(path).open())


def build_fails(store: tuple[Path, str], target: Path, *reasons: str) -> str:
    """Build ``target``; check exit 1, no traceback, the reason, and the store unchanged."""
    path, before = store
    result = CliRunner().invoke(main, ["--store", str(path), "build", str(target)])
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    for reason in reasons:
        assert reason in result.output, result.output
    assert "existing graph is unchanged" in result.output
    assert canonical_nquads(GraphStore(path).open()) == before
    return result.output


def test_missing_path(store, tmp_path: Path) -> None:
    build_fails(store, tmp_path / "findes-ikke.txt", "findes-ikke.txt", "no such file or directory")


def test_empty_file(store, tmp_path: Path) -> None:
    (tmp_path / "tom.txt").write_text("   \n\n")
    build_fails(store, tmp_path / "tom.txt", "tom.txt", "the file is empty")


def test_binary_data(store, tmp_path: Path) -> None:
    (tmp_path / "billede.txt").write_bytes(bytes(range(256)) * 40)
    build_fails(store, tmp_path / "billede.txt", "billede.txt", "binary data")


def test_pdf_bytes(store, tmp_path: Path) -> None:
    (tmp_path / "plan.pdf").write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n")
    build_fails(store, tmp_path / "plan.pdf", "plan.pdf", "cannot read this PDF file")


def test_unrecognised_text(store, tmp_path: Path) -> None:
    (tmp_path / "brev.txt").write_text("Kære borger,\n\nTak for dit brev.\n\nVenlig hilsen\n")
    build_fails(store, tmp_path / "brev.txt", "brev.txt", "no importer recognises this layout")


def test_very_large_file(store, tmp_path: Path) -> None:
    big = tmp_path / "arkiv.txt"
    chunk = PLAN_2015.read_bytes()
    with big.open("wb") as handle:
        for _ in range(17 * 2**20 // len(chunk) + 1):
            handle.write(chunk)
    build_fails(store, big, "arkiv.txt", "MiB limit", "--max-file-size")


def test_mixed_directory_reports_good_and_bad_and_imports_nothing(store, tmp_path: Path) -> None:
    folder = tmp_path / "blandet"
    folder.mkdir()
    shutil.copy(PLAN_2015, folder / "god.txt")
    (folder / "tom.txt").write_text("")
    (folder / "data.bin").write_bytes(b"\x00\xff" * 500)
    output = build_fails(store, folder, "read fine: god.txt", "tom.txt", "data.bin")
    assert "god.txt:" not in output.split("could not import:")[1]


def test_bad_file_found_after_documents_were_written(store, tmp_path: Path, monkeypatch) -> None:
    from indsatsgraf.graph import pipeline
    from indsatsgraf.graph.store import GenerationWriter

    monkeypatch.setattr(pipeline, "BATCH_QUADS", 1)  # write each document as soon as it is built
    written: list[int] = []
    write = GenerationWriter.write

    def counted(self: GenerationWriter, batch: bytes) -> None:
        written.append(len(batch))
        write(self, batch)

    monkeypatch.setattr(GenerationWriter, "write", counted)
    folder = tmp_path / "sent"
    folder.mkdir()
    shutil.copy(PLAN_2015, folder / "a-god.txt")
    shutil.copy(BIF, folder / "b-god.txt")
    (folder / "c-tom.txt").write_text("")
    generations = sorted((store[0] / "generations").iterdir())
    build_fails(store, folder, "read fine: a-god.txt, b-god.txt", "c-tom.txt", "empty")
    # The vocabulary, both documents and the BIF plan kept in the graph (built in file-name
    # order, before c-tom.txt) reached the new generation,
    assert len(written) == 4
    assert sorted((store[0] / "generations").iterdir()) == generations  # which was deleted


def test_importer_crash_is_reported_not_raised(store, tmp_path: Path, monkeypatch) -> None:
    from indsatsgraf.importers import tvaergaaende_2015

    def broken(source):
        raise ValueError("boom")

    monkeypatch.setattr(tvaergaaende_2015.IMPORTER, "parse", broken)
    shutil.copy(PLAN_2015, tmp_path / "plan.txt")
    build_fails(store, tmp_path / "plan.txt", "plan.txt", "importer failed", "boom")


ENCODINGS: dict[str, Callable[[str], bytes]] = {
    "cp1252": lambda t: t.encode("cp1252", errors="replace"),
    "latin-1": lambda t: t.encode("latin-1", errors="replace"),
    "utf-16": lambda t: t.encode("utf-16"),
    "utf-16-le without BOM": lambda t: t.encode("utf-16-le"),
    "utf-8 with BOM": lambda t: b"\xef\xbb\xbf" + t.encode("utf-8"),
    "CRLF": lambda t: t.replace("\n", "\r\n").encode("utf-8"),
}


@pytest.mark.parametrize("encoding", sorted(ENCODINGS))
def test_encodings_decode_with_danish_letters_intact(encoding: str, tmp_path: Path) -> None:
    text = PLAN_2015.read_text(encoding="utf-8")
    path = tmp_path / "plan.txt"
    path.write_bytes(ENCODINGS[encoding](text))
    source = read_source(path)
    # Characters the encoding cannot hold (latin-1 has no "–") were written as "?".
    expected = (
        text.encode("latin-1", "replace").decode("latin-1") if encoding == "latin-1" else text
    )
    assert source.lines == from_string(expected).lines
    assert "Børne- og Ungdomsforvaltningen" in source.text
    assert "Sølund" in source.text
    assert choose(source).importer.name == "tvaergaaende-2015"


def test_encoded_file_builds_the_same_graph(tmp_path: Path) -> None:
    original, encoded = GraphStore(tmp_path / "a"), GraphStore(tmp_path / "b")
    folder = tmp_path / "cp"
    folder.mkdir()
    (folder / PLAN_2015.name).write_bytes(PLAN_2015.read_text(encoding="utf-8").encode("cp1252"))
    from indsatsgraf.graph.pipeline import build

    build(original, [PLAN_2015])
    build(encoded, [folder / PLAN_2015.name])
    strip_checksum = lambda text: "\n".join(  # noqa: E731 - the checksum differs by design
        line for line in text.splitlines() if "sha256" not in line
    )
    assert strip_checksum(canonical_nquads(original.open())) == strip_checksum(
        canonical_nquads(encoded.open())
    )


@pytest.mark.parametrize("fraction", [0.1, 0.33, 0.5, 0.77, 0.95])
def test_document_cut_off_imports_what_is_there(fraction: float, tmp_path: Path) -> None:
    lines = PLAN_2015.read_text(encoding="utf-8").split("\n")
    cut = tmp_path / "afskåret.txt"
    cut.write_text("\n".join(lines[: int(len(lines) * fraction)]), encoding="utf-8")
    result = CliRunner().invoke(main, ["--store", str(tmp_path / "s"), "build", str(cut)])
    assert result.exit_code == 0, result.output
    complete = CliRunner().invoke(main, ["--store", str(tmp_path / "t"), "build", str(PLAN_2015)])
    # The summary line's count: progress lines name stored queries ("…of initiatives-per-…").
    found = int(re.search(r"(\d+) initiatives,", result.output).group(1))
    assert 0 < found <= 32
    assert "32 initiatives" in complete.output
