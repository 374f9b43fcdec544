"""The documents a graph was built from, kept in the graph's own store generation.

Every generation holds a copy of each document it was built from
(``sources/FILE``, the original bytes) and a manifest, ``documents.json``,
saying how each was imported. The store then describes itself, and a build
that adds or replaces one document can re-import all the others exactly as
they were, even when the user's copies have since moved, changed or gone.
Re-importing is needed because the cross-document links are computed from the
importers' records of every document, which the graph alone does not hold.

This module reads and writes that manifest; :func:`documents` is the one
answer to "what is in the graph", for the CLI and the web application alike.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path

from ..errors import IndsatsgrafError
from .store import GraphStore, StoreError

MANIFEST = "documents.json"
SOURCES = "sources"
FORMAT = 1
"""The manifest's format version, written into it so a later version can tell."""


class DocumentError(IndsatsgrafError):
    """A document that is not in the graph, or cannot be taken out of it."""


@dataclass(frozen=True)
class Document:
    """One document of the graph, as it was last imported.

    ``forced`` says the importer was named with ``--importer`` rather than
    recognised, so a rebuild forces it again. ``built_at`` (ISO 8601, UTC) is
    when this version of the document was added or replaced; a document kept
    through later builds keeps it. ``original_path`` is where it was read from.
    """

    file_name: str
    slug: str
    importer: str
    forced: bool
    confidence: float
    goals: int
    initiatives: int
    indicators: int
    budget_items: int
    triples: int
    sha256: str
    built_at: str
    original_path: str


def source_copy(generation: Path, document: Document) -> Path:
    """Where ``generation`` keeps the bytes of ``document``."""
    return generation / SOURCES / document.file_name


def read(generation: Path) -> list[Document]:
    """The documents of ``generation``; StoreError saying what to do when it has no manifest."""
    store = generation.parent.parent
    path = generation / MANIFEST
    if not path.is_file():
        raise StoreError(
            f"the graph at {store} was built by an earlier version of indsatsgraf, which did "
            f"not keep its documents, so documents cannot be added to it or taken out",
            remedy="fresh",
        )
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return [Document(**entry) for entry in data["documents"]]
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise StoreError(
            f"the list of documents in the graph ({path}) is damaged ({error})", remedy="fresh"
        ) from error


def write(generation: Path, documents: list[Document]) -> None:
    """Write the manifest of ``generation`` (before it becomes current)."""
    data = {"format": FORMAT, "documents": [asdict(d) for d in documents]}
    text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    (generation / MANIFEST).write_text(text, encoding="utf-8")


def documents(store: GraphStore) -> list[Document]:
    """The documents in the store's current graph, in build order."""
    if not store.exists():
        raise StoreError(f"no graph at {store.path}", remedy="build")
    return read(store.current.resolve())


def find(held: list[Document], name: str) -> Document:
    """The document called ``name`` (its file name or its slug), else DocumentError listing them."""
    for document in held:
        if name in (document.file_name, document.slug):
            return document
    listed = ", ".join(d.file_name for d in held) or "none"
    raise DocumentError(f"no document {name!r} in the graph; its documents are: {listed}")
