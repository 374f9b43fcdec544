"""Link decisions are checked when written, and a bad line never blocks a build.

Amounts and periods are kept as written: signs stay, impossible values and
backwards periods are import warnings with their line.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import SOURCES
from indsatsgraf.cli import main
from indsatsgraf.graph import link_decisions
from indsatsgraf.importers import danish, registry
from indsatsgraf.importers.text import from_string

PLAN_2015 = SOURCES / "tvaergaaende-indsatsplan-2015.txt"
ID = "https://w3id.org/indsatsgraf/id/tvaergaaende-indsatsplan-2015/initiative/"
GOOD = [ID + "1.4.1", ID + "1.4.2"]


@pytest.mark.parametrize("bad", ["http://a b/x", "http://a\tb/x", "http://a\nb/x", "urn:x"])
def test_a_bad_iri_is_refused_when_the_decision_is_written(tmp_path: Path, bad: str):
    path = tmp_path / "decisions.tsv"
    with pytest.raises(link_decisions.LinkDecisionError, match="IRI"):
        link_decisions.record(bad, GOOD[0], "accept", path=path)
    assert not path.exists()


def test_a_note_with_line_breaks_stays_on_one_line(tmp_path: Path):
    path = tmp_path / "decisions.tsv"
    link_decisions.record(*GOOD, "accept", note="first\nsecond\tthird", path=path)
    assert len(path.read_text().splitlines()) == 2
    (decision,) = link_decisions.read(path).values()
    assert decision.note == "first second third"


def build_with(tmp_path: Path, decisions: Path) -> object:
    return CliRunner().invoke(
        main,
        ["--store", str(tmp_path / "store"), "build", "-q", str(PLAN_2015)],
        env={"INDSATSGRAF_LINK_DECISIONS": str(decisions)},
    )


def test_bad_lines_are_named_and_the_build_goes_on(tmp_path: Path):
    path = tmp_path / "decisions.tsv"
    link_decisions.record(*GOOD, "accept", path=path)
    with path.open("ab") as handle:
        handle.write(b"http://a b/x\t" + GOOD[1].encode() + b"\taccept\t2024-01-01\t\n")
        handle.write(b"http://a\xe6b/x\t" + GOOD[1].encode() + b"\treject\t\t\n")
        handle.write(
            GOOD[0].encode() + b"\t" + GOOD[1].encode() + b"\taccept\t\t" + b"x" * 140_000 + b"\n"
        )
        handle.write(b"only two\tfields\n")
    result = build_with(tmp_path, path)
    assert result.exit_code == 0, result.output
    for line in (3, 4, 5, 6):
        assert f"{path}:{line}: " in result.output, result.output
    assert "not a valid IRI" in result.output
    assert "not UTF-8" in result.output
    assert "over the 128 KiB limit" in result.output
    assert "Traceback" not in result.output
    assert list(link_decisions.read(path)) == [link_decisions.pair(*GOOD)]


def test_a_decisions_file_that_is_a_folder_is_a_message(tmp_path: Path):
    folder = tmp_path / "decisions.tsv"
    folder.mkdir()
    result = build_with(tmp_path, folder)
    assert result.exit_code == 1
    assert "cannot read the link decisions" in result.output
    assert "Traceback" not in result.output
    with pytest.raises(link_decisions.LinkDecisionError, match="cannot record"):
        link_decisions.record(*GOOD, "accept", path=folder)


def test_a_read_only_decisions_file_is_left_as_it_was(tmp_path: Path):
    path = tmp_path / "decisions.tsv"
    link_decisions.record(*GOOD, "accept", path=path)
    before = path.read_bytes()
    path.chmod(0o444)
    with pytest.raises(Exception, match="read-only") as raised:
        link_decisions.record(GOOD[1], ID + "1.4.3", "reject", path=path)
    assert "Traceback" not in str(raised.value)
    assert path.read_bytes() == before


def parse(text: str):
    source = from_string(text)
    return registry.choose(source).importer.parse(source)


def test_signs_are_kept_in_every_amount_reader():
    assert [a.value for a in danish.amounts("Økonomi: -5.000.000 kr.")] == [Decimal(-5_000_000)]
    assert [a.value for a in danish.amounts("minus 2,5 mio. kr. i 2024")] == [Decimal(-2_500_000)]
    assert [a.value for a in danish.amounts("2015-5 mio. kr.")] == [Decimal(5_000_000)]


def test_impossible_amounts_and_backwards_periods_are_line_warnings():
    lines = [
        "Titel",
        "Økonomi: 999.999.999.999.999.999.999.999.999.999 mio. kr.",
        "Periode: 2024-2023",
    ]
    assert danish.amounts(lines[1]) == []
    assert danish.period(lines[2]) == ("Periode: 2024-2023", None, None)
    found = danish.value_warnings(lines)
    assert [line for line, _ in found] == [2, 3]
    assert "impossible amount" in found[0][1]
    assert "period runs backwards: '2024-2023'" in found[1][1]


def test_value_warnings_keep_their_lines_when_only_some_lines_are_read():
    # value_warnings searches the whole text for lines worth reading; the numbers must
    # stay those of the lines, a period split over two lines is none, and a line that
    # holds a break of its own must not shift the ones after it.
    lines = ["Indledning", "Periode 2030", "– 2020", *["tekst"] * 50]
    lines += ["Budget: 5.000.000 mia. DKK", "ramme 2026 –  2025 og 12 kr."]
    assert [line for line, _ in danish.value_warnings(lines)] == [54, 55]
    broken = ["a\nb", "Periode: 2019–2018", "x", "7.000 mia. Kroner"]
    found = danish.value_warnings(broken)
    assert found == [
        (2, "period runs backwards: '2019–2018'"),
        (4, "impossible amount '7.000 mia. Kroner'"),
    ]


def test_a_layout_importer_reports_the_warnings_with_their_lines(tmp_path: Path):
    text = PLAN_2015.read_text(encoding="utf-8").splitlines()
    text.insert(40, "Periode: 2024-2023")
    odd = tmp_path / "tvaergaaende-odd.txt"
    odd.write_text("\n".join(text) + "\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["--store", str(tmp_path / "store"), "build", str(odd)])
    assert result.exit_code == 0, result.output
    assert (
        "tvaergaaende-odd.txt: warning: line 41: period runs backwards: '2024-2023'"
        in result.output
    )
