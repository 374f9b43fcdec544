"""Recall of the importers on real texts, scored against the facts their SOURCES.md lists.

The folder (default ``../shared/realtexts`` next to the repository) holds public
texts and a SOURCES.md whose table says, for each file, what a reader finds in
it: amounts, codes, departments, meeting dates, indstilling points. This
script reads each file as ``indsatsgraf build`` would (format by content,
importer by content), reads the expected facts from that table, and prints
recall for each kind of fact.

    python benchmarks/realtexts.py [FOLDER] [--misses]
"""

from __future__ import annotations

import argparse
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

from indsatsgraf.importers import danish, facts, registry
from indsatsgraf.importers.readers import read_document
from indsatsgraf.importers.records import ImportResult

DEFAULT = Path(__file__).resolve().parents[1].parent / "shared" / "realtexts"
KINDS = ("codes", "amounts", "departments", "meeting dates", "indstilling points")
MEETING = re.compile(
    r"(?:Mødedato|meeting|start/end|møde)\s+(?P<date>\d{2}[.-]\d{2}[.-]\d{4})(?!\s+from URL)", re.I
)
POINT_COUNT = re.compile(
    r"(?P<n>\d+)\s+(?:numbered\s+|bulleted\s+)?(?:\"[^\"]*\"\s+)?(?:at-)?points?\b"
    r"|at-points\s+1[–-](?P<last>\d+)",
    re.I,
)
AT_ITEM = re.compile(r"\b(\d+)\.\s+at\b")


@dataclass
class Score:
    expected: int = 0
    found: int = 0
    misses: list[str] = field(default_factory=list)

    @property
    def recall(self) -> float | None:
        return self.found / self.expected if self.expected else None


def sources_table(folder: Path) -> dict[str, tuple[str, str]]:
    """File name → (title, structures) from the Markdown table in SOURCES.md."""
    rows = {}
    for line in (folder / "SOURCES.md").read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) >= 6 and cells[0].endswith(".txt"):
            rows[cells[0]] = (cells[2], cells[4])
    return rows


def expected_facts(title: str, structures: str) -> dict[str, set[str]]:
    """What SOURCES.md says a reader finds, as comparable keys per kind."""
    text = f"{title}; {structures}"
    expected: dict[str, set[str]] = {kind: set() for kind in KINDS}
    expected["codes"] = {m["code"] for m in facts.BUDGET_CODE.finditer(text)} | {
        m["case"] for m in facts.CASE_NUMBER.finditer(text)
    }
    expected["amounts"] = {str(a.value) for a, _ in danish.broad_amounts(structures)}
    expected["departments"] = {
        _department(m["name"]) for m in facts.DEPARTMENT.finditer(structures)
    }
    expected["meeting dates"] = {_iso(m["date"]) for m in MEETING.finditer(structures)}
    counts = [int(m["last"] or m["n"]) for m in POINT_COUNT.finditer(structures)]
    counts += (
        [max(int(n) for n in AT_ITEM.findall(structures))] if AT_ITEM.search(structures) else []
    )
    expected["indstilling points"] = (
        {str(n) for n in range(1, max(counts) + 1)} if counts else set()
    )
    return expected


def found_facts(result: ImportResult) -> dict[str, set[str]]:
    """What the importer found, as the same keys."""
    mentions = result.mentions
    amounts = [*result.amounts, *(a for p in result.proposals for a in p.amounts)]
    amounts += [a for item in [*result.initiatives, *result.budget_items] for a in item.amounts]
    proposals = [p for p in result.proposals if p.kind == "proposal"]
    doc = result.document
    return {
        "codes": {m.value for m in mentions if m.kind in ("budget-code", "case-number") and m.value}
        | {b.code for b in result.budget_items if b.code},
        "amounts": {str(a.value) for a in amounts},
        "departments": {_department(m.text) for m in mentions if m.kind == "department"},
        "meeting dates": {doc.meeting_date.isoformat()} if doc.meeting_date else set(),
        "indstilling points": {str(n) for n in range(1, len(proposals) + 1)},
    }


def _department(name: str) -> str:
    name = " ".join(name.split()).lower()
    return re.sub(r"(?:s|'s)$", "", name) if name.endswith(("ens", "ets", "'s")) else name


def _iso(text: str) -> str:
    day, month, year = re.split(r"[.-]", text)
    return f"{year}-{month}-{day}"


def score(folder: Path) -> tuple[dict[str, Score], list[tuple[str, str, float, str]]]:
    """Recall per kind over every listed text, and each text's importer and title."""
    scores = {kind: Score() for kind in KINDS}
    documents = []
    for name, (title, structures) in sorted(sources_table(folder).items()):
        _, source = read_document(folder / name)
        choice = registry.choose(source)
        result = choice.importer.parse(source)
        documents.append((name, choice.importer.name, choice.confidence, result.document.title))
        expected, found = expected_facts(title, structures), found_facts(result)
        for kind in KINDS:
            hits = expected[kind] & found[kind]
            scores[kind].expected += len(expected[kind])
            scores[kind].found += len(hits)
            scores[kind].misses += [f"{name}: {miss}" for miss in sorted(expected[kind] - hits)]
    return scores, documents


def table(scores: dict[str, Score]) -> str:
    lines = ["| fact | expected | found | recall |", "|---|---|---|---|"]
    for kind, s in scores.items():
        recall = f"{s.recall:.2f}" if s.recall is not None else "–"
        lines.append(f"| {kind} | {s.expected} | {s.found} | {recall} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", nargs="?", type=Path, default=DEFAULT)
    parser.add_argument("--misses", action="store_true", help="list every expected fact not found")
    args = parser.parse_args(argv)
    if not (args.folder / "SOURCES.md").is_file():
        print(f"{args.folder}: no SOURCES.md here", file=sys.stderr)
        return 2
    scores, documents = score(args.folder)
    for name, importer, confidence, title in documents:
        print(f"{name}: {importer} ({confidence:.2f}) — {title[:70]}")
    print()
    print(table(scores))
    if args.misses:
        for s in scores.values():
            for miss in s.misses:
                print("missed", miss)
    return 0


if __name__ == "__main__":
    sys.exit(main())
