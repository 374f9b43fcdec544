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

A decision is checked when it is written (two valid IRIs, one line), so the file
the tool writes always reads back. A line edited by hand that cannot be read is
passed over and named, with its line number, in the build's warnings: one bad
line must not block every later build. A file that cannot be read at all (a
folder, no permission) stops the build with a message, before the graph changes.
"""

from __future__ import annotations

import csv
import datetime
import io
import os
import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from ..errors import IndsatsgrafError
from ..files import reason, write_atomically

ENV = "INDSATSGRAF_LINK_DECISIONS"
DECISIONS = ("accept", "reject")
HEADER = ["source", "target", "decision", "date", "note"]
MAX_LINE = 128 * 1024
"""The longest line read: an IRI pair and a note are far shorter (and ``csv`` refuses longer fields)."""
MAX_NOTE = 2000


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


def load(
    path: Path | None = None, problems: list[str] | None = None
) -> dict[tuple[str, str], Decision]:
    """Every decision by pair: the shipped ones, overridden per pair by the user's file
    (``path``, default :func:`decisions_path`; none if it does not exist yet).

    Lines that cannot be read are left out and described in ``problems``.
    """
    found = read(shipped_path(), problems)
    found.update(read(path or decisions_path(), problems))
    return found


def read(path: Path, problems: list[str] | None = None) -> dict[tuple[str, str], Decision]:
    """The decisions of one file by pair (none if there is no file).

    Each line is read on its own, so a line that is not UTF-8, too long or
    malformed costs only itself; it is named in ``problems`` as ``FILE:LINE: …``.
    """
    if not path.exists() and not path.is_symlink():
        return {}
    try:
        data = path.read_bytes()
    except OSError as error:
        raise LinkDecisionError(
            f"{path}: cannot read the link decisions ({reason(error)})", remedy="decisions"
        ) from None
    found: dict[tuple[str, str], Decision] = {}
    for number, raw in enumerate(data.split(b"\n"), start=1):
        try:
            decision = _parse_line(raw)
        except ValueError as error:
            if problems is not None:
                problems.append(f"{path}:{number}: {error}; the line was left out")
            continue
        if decision is not None:
            found[pair(decision.source, decision.target)] = decision
    return found


def _parse_line(raw: bytes) -> Decision | None:
    """The decision on one line of the file; None for a blank, comment or header line."""
    if len(raw) > MAX_LINE:
        raise ValueError(
            f"the line is {len(raw) // 1024} KiB long, over the {MAX_LINE // 1024} KiB limit"
        )
    try:
        line = raw.decode("utf-8").removesuffix("\r")
    except UnicodeDecodeError as error:
        raise ValueError(f"not UTF-8 text (byte {raw[error.start]:#04x})") from None
    if not line.strip() or line.startswith("#"):
        return None
    row = next(csv.reader([line], delimiter="\t"))
    if row[:3] == HEADER[:3]:
        return None
    if len(row) < 3 or row[2] not in DECISIONS:
        raise ValueError("expected SOURCE, TARGET, accept|reject, DATE, NOTE separated by tabs")
    row += [""] * (5 - len(row))
    for iri in row[:2]:
        check_iri(iri)
    return Decision(*row[:5])


IRI_SCHEME = re.compile(r"https?://")


def check_iri(iri: str) -> None:
    """Raise ValueError unless ``iri`` is an http(s) IRI the graph store accepts."""
    import pyoxigraph as ox

    shown = repr(iri) if len(iri) <= 200 else repr(iri[:200]) + "…"
    if not IRI_SCHEME.match(iri):
        raise ValueError(f"{shown} is not an IRI")
    try:
        ox.NamedNode(iri)
    except ValueError as error:
        raise ValueError(f"{shown} is not a valid IRI ({error})") from None
    if any(c.isspace() for c in iri):  # the store accepts some; a link decision never needs one
        raise ValueError(f"{shown} is not a valid IRI (it holds white space)")


def record(
    source: str, target: str, decision: str, note: str = "", path: Path | None = None
) -> Decision:
    """Add a decision (today's date) to the end of the file, creating it with a header.

    Everything is checked first, so the file only ever gains lines that read
    back as one line (the note's line breaks and tabs become spaces).
    """
    if decision not in DECISIONS:
        raise LinkDecisionError(f"decision must be one of {', '.join(DECISIONS)}, not {decision!r}")
    for iri in (source, target):
        try:
            check_iri(iri)
        except ValueError as error:
            raise LinkDecisionError(str(error), remedy="links") from None
    if source == target:
        raise LinkDecisionError("a link needs two different things")
    note = " ".join(note.split())  # one line in the file, whatever was typed
    if len(note) > MAX_NOTE:
        raise LinkDecisionError(
            f"the note is {len(note)} characters long; keep it under {MAX_NOTE}"
        )
    path = path or decisions_path()
    new = Decision(source, target, decision, datetime.date.today().isoformat(), note)
    row = io.StringIO()
    csv.writer(row, delimiter="\t", lineterminator="\n").writerow(
        [new.source, new.target, new.decision, new.date, new.note]
    )
    line = row.getvalue()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        old = path.read_bytes() if path.exists() else "\t".join(HEADER).encode() + b"\n"
    except OSError as error:
        raise LinkDecisionError(
            f"{path}: cannot record the decision ({reason(error)}); the file is unchanged"
        ) from None
    if old and not old.endswith(b"\n"):
        old += b"\n"
    write_atomically(path, old + line.encode("utf-8"))  # a full disk leaves the old file
    return new
