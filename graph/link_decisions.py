"""A planner's decisions about candidate links, kept in a TSV file every build reads.

Automatic matching leaves doubtful pairs as candidates. A person who knows the
plans accepts or rejects them once, and the decision must survive every
rebuild, so it lives in a plain file in the repository (reviewable in a diff),
not in the store. Two files are read: the decisions shipped with the package
(``data/link-decisions.tsv``, read-only defaults) and the user's own, which
every new decision goes to and which wins for a pair both name. The user's file
lives beside the default store, in ``$XDG_DATA_HOME/indsatsgraf/link-decisions.tsv``
(``~/.local/share/…``), so reinstalling the package keeps it;
``INDSATSGRAF_LINK_DECISIONS`` points elsewhere.

Columns: source IRI, target IRI, decision (accept/reject), date and note.
A pair is unordered; the last line about a pair wins.
"""

from __future__ import annotations

import csv
import datetime
import os
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from ..errors import IndsatsgrafError

ENV = "INDSATSGRAF_LINK_DECISIONS"
DECISIONS = ("accept", "reject")
HEADER = ["source", "target", "decision", "date", "note"]


class LinkDecisionError(IndsatsgrafError):
    """A decision that cannot be recorded; the message says why."""


@dataclass(frozen=True)
class Decision:
    source: str
    target: str
    decision: str  # "accept" | "reject"
    date: str
    note: str


def decisions_path() -> Path:
    """The user's decisions: ``$INDSATSGRAF_LINK_DECISIONS``, else beside the default store."""
    if os.environ.get(ENV):
        return Path(os.environ[ENV]).expanduser()
    base = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    return Path(base) / "indsatsgraf" / "link-decisions.tsv"


def shipped_path() -> Path:
    """The decisions that come with the package, read before the user's own."""
    return Path(str(resources.files("indsatsgraf") / "data" / "link-decisions.tsv"))


def pair(a: str, b: str) -> tuple[str, str]:
    """The order-free key of a link."""
    return (a, b) if a <= b else (b, a)


def load(path: Path | None = None) -> dict[tuple[str, str], Decision]:
    """Every decision by pair: the shipped ones, overridden per pair by the user's file
    (``path``, default :func:`decisions_path`; none if it does not exist yet)."""
    found = read(shipped_path())
    found.update(read(path or decisions_path()))
    return found


def read(path: Path) -> dict[tuple[str, str], Decision]:
    """The decisions of one file by pair (none if there is no file)."""
    if not path.exists():
        return {}
    found: dict[tuple[str, str], Decision] = {}
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.reader(handle, delimiter="\t"):
            if not row or row[0].startswith("#") or row[:3] == HEADER[:3]:
                continue
            if len(row) < 3 or row[2] not in DECISIONS:
                raise LinkDecisionError(f"{path}: cannot read line {row!r}")
            row += [""] * (5 - len(row))
            found[pair(row[0], row[1])] = Decision(*row[:5])
    return found


def record(
    source: str, target: str, decision: str, note: str = "", path: Path | None = None
) -> Decision:
    """Append a decision (today's date) to the file, creating it with a header."""
    if decision not in DECISIONS:
        raise LinkDecisionError(f"decision must be one of {', '.join(DECISIONS)}, not {decision!r}")
    for iri in (source, target):
        if not iri.startswith(("http://", "https://")):
            raise LinkDecisionError(f"{iri!r} is not an IRI", remedy="links")
    if source == target:
        raise LinkDecisionError("a link needs two different things")
    path = path or decisions_path()
    new = Decision(source, target, decision, datetime.date.today().isoformat(), note.strip())
    fresh = not path.exists()
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter="\t", lineterminator="\n")
        if fresh:
            writer.writerow(HEADER)
        writer.writerow([new.source, new.target, new.decision, new.date, new.note])
    return new
