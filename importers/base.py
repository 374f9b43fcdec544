"""What every importer offers: recognising its layout and reading it.

The pipeline asks each importer how well it recognises a document
(``recognise``, 0.0 … 1.0) and hands the document to the best one, so the
choice depends on content, never on file names.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Protocol

from . import danish
from .records import ImportResult, ImportWarning
from .text import SourceText


class Importer(Protocol):
    name: str
    description: str

    def recognise(self, source: SourceText) -> float:
        """How sure this importer is that ``source`` has its layout (0 … 1)."""
        ...

    def parse(self, source: SourceText) -> ImportResult:
        """Read every record of ``source``; never raise on odd text."""
        ...


# (weight, how often the feature occurs, how often it must occur to count fully)
Signal = tuple[float, int, int]


def score(signals: Iterable[Signal]) -> float:
    """A recognition score from weighted signals, rounded to 0.001.

    Each signal adds its full weight once it occurs ``needed`` times, so a
    truncated copy of a layout still scores high while other layouts, lacking
    the signals, score near zero.
    """
    return round(sum(weight * min(count, needed) / needed for weight, count, needed in signals), 3)


@dataclass
class LayoutImporter:
    """An importer made of a layout's recognition signals and its reader.

    Importers differ only in what they look for and how they read, so each
    module supplies those two functions and this class supplies the rest.
    """

    name: str
    description: str
    signals: Callable[[SourceText], Iterable[Signal]]
    read: Callable[[SourceText], ImportResult]

    def recognise(self, source: SourceText) -> float:
        """How sure this importer is that ``source`` has its layout (0 … 1)."""
        return score(self.signals(source))

    def parse(self, source: SourceText) -> ImportResult:
        """Read every record of ``source``; never raise on odd text.

        Amounts and periods that cannot be right are left out by the readers;
        here each is named with its line, so the build can say what it passed over.
        """
        result = self.read(source)
        result.warnings.extend(
            ImportWarning(line, problem) for line, problem in danish.value_warnings(source.lines)
        )
        return result
