"""What every importer must do on its own document, checked the same way for all of them.

Each document-specific test module checks the facts of its document; the
properties here (spans quote the file, encodings and line endings change
nothing, each importer recognises only its own layout, truncated copies never
raise, text fields are clean) hold for every importer, so they are written once.
"""

from __future__ import annotations

import codecs
import dataclasses
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import SOURCES
from indsatsgraf.importers import registry
from indsatsgraf.importers.records import ImportResult, Span
from indsatsgraf.importers.text import from_string, read_source

NEW_PLAN = Path(__file__).parent / "data" / "kff-indsatsplan-2025-2028.txt"
HTML_RE = re.compile(r"</?\s*[a-z]+[^>]*>", re.IGNORECASE)


@dataclass(frozen=True)
class Case:
    """An importer and the document it was written for."""

    importer: str
    path: Path
    # Characters cp1252 cannot encode, and what an extraction in cp1252 would show instead.
    cp1252_stand_ins: dict[str, str] = dataclasses.field(default_factory=dict)
    # Lines at which copies are cut in two, each half parsed on its own.
    cuts: tuple[int, ...] = ()
    # How many lines of the start of the document still hold every recognition signal.
    recognisable_head: int | None = None

    @property
    def text(self) -> str:
        return self.path.read_text(encoding="utf-8")

    def parse(self, source) -> ImportResult:
        return registry.by_name(self.importer).parse(source)


def _every(step: int, path: Path) -> tuple[int, ...]:
    return tuple(range(0, len(path.read_text(encoding="utf-8").split("\n")) + 1, step))


PLAN_2015 = SOURCES / "tvaergaaende-indsatsplan-2015.txt"
PLAN_2023 = SOURCES / "sof-indsatsplan-2023-2026.txt"
STATUS_2019 = SOURCES / "sof-indsatsplan-status-2019.txt"
BIF_2018 = SOURCES / "bif-indsatsplan-2018-2022.txt"
SUD_2014 = SOURCES / "sud-pejlemaerker-2014-2017.txt"

SPECIFIC = [
    Case(
        "tvaergaaende-2015",
        PLAN_2015,
        cuts=(1, 4, 6, 60, 175, 437, 764, 1226, 1500),
        recognisable_head=240,
    ),
    # cp1252 has no "✓" (lines 277-278).
    Case(
        "sof-indsatsplan-2023",
        PLAN_2023,
        {"✓": "v"},
        cuts=_every(3, PLAN_2023),
        recognisable_head=200,
    ),
    # cp1252 has no Wingdings bullet (U+F076); such an extraction would show "•".
    Case(
        "sof-status-2019",
        STATUS_2019,
        {"\uf076": "•"},
        cuts=(1, 13, 50, 60, 145, 600, 662, 700, 1060, 1300),
        recognisable_head=720,
    ),
    Case("bif-indsatsplan-2018", BIF_2018, cuts=_every(3, BIF_2018)),
    # cp1252 has "¹", "²" and "³" but no other superscript digit.
    Case(
        "sud-pejlemaerker-2014",
        SUD_2014,
        {digit: "?" for digit in "⁰⁴⁵⁶⁷⁸⁹"},
        cuts=_every(5, SUD_2014),
    ),
]
CASES = [*SPECIFIC, Case("generic", NEW_PLAN)]
ENCODINGS: dict[str, tuple[Callable[[str], bytes], str]] = {
    "crlf": (lambda text: text.replace("\n", "\r\n").encode("utf-8"), "utf-8"),
    "bom": (lambda text: codecs.BOM_UTF8 + text.encode("utf-8"), "utf-8-sig"),
    "cp1252": (lambda text: text.encode("cp1252"), "cp1252"),
}


def ids(case: Case) -> str:
    return case.importer


def strings(value: object) -> Iterator[str]:
    """Every string in a record tree, except span quotes (they hold whole lines as printed)."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, Span):
        return
    elif dataclasses.is_dataclass(value):
        for item in dataclasses.fields(value):
            yield from strings(getattr(value, item.name))
    elif isinstance(value, list | tuple):
        for item in value:
            yield from strings(item)


def spans(result: ImportResult) -> list[Span]:
    """The span of every record and of every status update."""
    records = [*result.goals, *result.initiatives, *result.indicators, *result.budget_items]
    statuses = [status for initiative in result.initiatives for status in initiative.statuses]
    return [record.span for record in records] + [s.span for s in statuses if s.span]


@pytest.fixture(scope="module", params=CASES, ids=ids)
def case(request: pytest.FixtureRequest) -> Case:
    return request.param


@pytest.fixture(scope="module")
def result(case: Case) -> ImportResult:
    return case.parse(read_source(case.path))


def test_identity(case: Case) -> None:
    importer = registry.by_name(case.importer)
    assert importer.name == case.importer
    assert importer.description


def test_result_names_its_importer(case: Case, result: ImportResult) -> None:
    assert result.importer == case.importer


def test_spans_quote_the_file_lines(case: Case, result: ImportResult) -> None:
    lines = case.text.split("\n")
    assert spans(result)
    for span in spans(result):
        assert 1 <= span.first <= span.last <= len(lines)
        assert span.quote == "\n".join(lines[span.first - 1 : span.last])


def test_keys_are_unique_per_record_type(result: ImportResult) -> None:
    for records in (result.goals, result.initiatives, result.indicators, result.budget_items):
        keys = [record.key for record in records]
        assert len(keys) == len(set(keys))


def test_keys_are_deterministic(case: Case, result: ImportResult) -> None:
    assert case.parse(read_source(case.path)) == result


def test_text_fields_are_clean(result: ImportResult) -> None:
    """No HTML, Markdown emphasis, bullet glyph or doubled whitespace survives in any field."""
    texts = list(strings(result))
    assert texts
    for text in texts:
        assert text == " ".join(text.split()), text
        assert not HTML_RE.search(text), text
        assert "*" not in text and "•" not in text and "\uf076" not in text, text
        assert "\x00" not in text, text


@pytest.mark.parametrize("encoding", sorted(ENCODINGS))
def test_same_records_whatever_the_encoding(case: Case, encoding: str, tmp_path: Path) -> None:
    text = case.text
    if encoding == "cp1252":
        for character, stand_in in case.cp1252_stand_ins.items():
            text = text.replace(character, stand_in)
    encode, detected = ENCODINGS[encoding]
    plain, variant = tmp_path / "plain.txt", tmp_path / f"{encoding}.txt"
    plain.write_bytes(text.encode("utf-8"))
    variant.write_bytes(encode(text))
    source = read_source(variant)
    assert source.encoding == detected
    assert case.parse(source) == case.parse(read_source(plain))


@pytest.mark.parametrize("specific", SPECIFIC, ids=ids)
@pytest.mark.parametrize("document", SPECIFIC, ids=lambda case: case.path.name)
def test_recognises_its_own_layout_only(specific: Case, document: Case) -> None:
    score = registry.by_name(specific.importer).recognise(read_source(document.path))
    assert isinstance(score, float) and 0.0 <= score <= 1.0
    assert score >= 0.9 if document is specific else score < 0.3


@pytest.mark.parametrize("specific", [c for c in SPECIFIC if c.recognisable_head], ids=ids)
def test_recognises_a_truncated_copy(specific: Case) -> None:
    head = "\n".join(specific.text.split("\n")[: specific.recognisable_head])
    assert registry.by_name(specific.importer).recognise(from_string(head)) >= 0.9


@pytest.mark.parametrize("specific", SPECIFIC, ids=ids)
def test_truncated_copies_never_raise(specific: Case) -> None:
    """Either half of a copy cut anywhere reads without error, into spans of its own lines."""
    whole = specific.parse(read_source(specific.path))
    lines = specific.text.split("\n")
    for cut in specific.cuts:
        for part in (lines[:cut], lines[cut:]):
            source = from_string("\n".join(part))
            parsed = specific.parse(source)
            assert len(parsed.initiatives) <= len(whole.initiatives), cut
            for span in spans(parsed):
                assert 1 <= span.first <= span.last <= len(source.lines), cut
