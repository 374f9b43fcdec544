"""Which importers exist, and choosing one for a document by its content."""

from __future__ import annotations

from dataclasses import dataclass
from importlib import import_module

from ..errors import IndsatsgrafError
from .base import Importer
from .text import SourceText

# Most specific first; the generic importer is the fallback for unseen plans.
MODULES = (
    "tvaergaaende_2015",
    "sof_2023",
    "sof_status_2019",
    "bif_2018",
    "sud_pejlemaerker_2014",
    "committee_case",
    "generic",
)
RECOGNISED = 0.5


class UnknownLayout(IndsatsgrafError):
    """No importer recognises the document."""


@dataclass(frozen=True)
class Choice:
    importer: Importer
    confidence: float


def importers() -> list[Importer]:
    return [import_module(f"{__package__}.{name}").IMPORTER for name in MODULES]


def by_name(name: str) -> Importer:
    found = {imp.name: imp for imp in importers()}
    if name not in found:
        raise UnknownLayout(f"no importer named {name!r}; known: {', '.join(sorted(found))}")
    return found[name]


def choose(source: SourceText) -> Choice:
    """The importer most confident about ``source`` (the earlier on a tie); UnknownLayout if none is.

    An importer may declare a ``ceiling``, the most confident it ever is; it is
    not asked when an earlier importer already reached that. The generic
    fallback recognises a document by parsing all of it, so this spares a full
    second parse of every document a specific importer knows.
    """
    best, importer = -1.0, None
    fallback: Choice | None = None
    for candidate in importers():
        if getattr(candidate, "ceiling", 1.0) <= best:
            continue
        score = candidate.recognise(source)
        if getattr(candidate, "fallback", False) and score > 0:
            fallback = Choice(candidate, score)
        if score > best:
            best, importer = score, candidate
    assert importer is not None  # the registry is never empty
    if best < RECOGNISED and fallback is not None:
        return fallback  # prose the fallback read facts from, at its own (low) confidence
    if best < RECOGNISED:
        raise UnknownLayout(
            f"no importer recognises this layout (best guess {importer.name!r} at {best:.2f})",
            remedy="importer",
        )
    return Choice(importer, best)
