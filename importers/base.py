"""What every importer offers: recognising its layout and reading it.

The pipeline asks each importer how well it recognises a document
(``recognise``, 0.0 … 1.0) and hands the document to the best one, so the
choice depends on content, never on file names.
"""

from __future__ import annotations

from typing import Protocol

from .records import ImportResult
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
